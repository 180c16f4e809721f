-- The listings order by created_at (all items, one owner's items, all
-- users): indexes that keep a page fast at 100,000 rows.
CREATE INDEX IF NOT EXISTS ix_item_created_at ON item (created_at DESC);
CREATE INDEX IF NOT EXISTS ix_item_owner_id_created_at ON item (owner_id, created_at DESC);
CREATE INDEX IF NOT EXISTS ix_user_created_at ON "user" (created_at DESC);
