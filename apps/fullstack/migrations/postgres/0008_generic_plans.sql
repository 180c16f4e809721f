-- The server plans each statement once per connection (it connects with
-- plan_cache_mode = force_generic_plan). PostgreSQL's default re-plans a
-- statement on every run when a generic plan looks dearer than the custom
-- ones, which a page's `LIMIT $1` always does (an unknown limit is taken as
-- a tenth of the table): the listings paid about 100 µs of planning a
-- request at 100,000 items and nothing at 100.
--
-- A generic plan cannot see which owner a page is for, so it estimates
-- owner_id = $n from the column's number of distinct values. When one owner
-- holds most items, ANALYZE finds one or two, the planner expects every row
-- to match, and the owner listing walks ix_item_created_at filtering on
-- the owner: 17 ms for an owner with no items among 100,000. Stated here as
-- a fraction of the rows (one owner per hundred items), the estimate keeps
-- the owner's own index, which reads only that owner's page whoever holds
-- the rest.
ALTER TABLE item ALTER COLUMN owner_id SET (n_distinct = -0.01);
ANALYZE item;
