-- Item totals with no cost per insert (replaces 0005's insert trigger,
-- which cost about 85 µs of PostgreSQL per inserted item with 16 writers:
-- the trigger's machinery and the hot count rows' version chains).
--
-- Each item records the transaction that inserted it (created_xid). An
-- owner's total is item_total.n, the items already folded in, plus the
-- items whose created_xid is at or above the fold mark, counted from an
-- index: the tail. The server folds the tail into item_total every few
-- milliseconds (item_total_fold), so the tail stays short, and an insert
-- pays one index entry and no trigger. A bulk insert pays nothing more per
-- row than the index; the fold after it counts the rows once, grouped.
--
-- Why the sum is exact. The fold counts, in one snapshot, the items with
-- created_xid in [mark, xmin of that snapshot): every transaction below
-- xmin has ended, so none of those items can still appear or vanish by an
-- insert. It adds them to item_total and moves the mark to xmin in the
-- same transaction, so a reader's snapshot sees the totals and the mark
-- that go together. A delete (or an owner change) subtracts only the items
-- below the mark it reads; it reads the mark under a share lock that the
-- fold's update lock excludes, so a fold either counted the deleted items
-- with the delete already committed (not counted) or runs before the
-- delete reads the mark (and the delete then subtracts them).
-- Items from before this migration have no created_xid: they are counted
-- in item_total, as if folded.
ALTER TABLE item ADD COLUMN created_xid xid8;
ALTER TABLE item ALTER COLUMN created_xid SET DEFAULT pg_current_xact_id();
-- The tails: one owner's (owner listings) and everyone's (the superuser's).
CREATE INDEX ix_item_owner_id_created_xid ON item (owner_id, created_xid);
CREATE INDEX ix_item_created_xid ON item (created_xid);

-- The nil uuid's row holds the count of all items.
CREATE TABLE item_total (
    owner_id UUID PRIMARY KEY,
    n BIGINT NOT NULL
);
CREATE TABLE item_fold (
    one BOOLEAN PRIMARY KEY DEFAULT true CHECK (one),
    mark xid8 NOT NULL
);

-- Moves are noted with the moved item's created_xid (see 0005).
ALTER TABLE item_move ADD COLUMN created_xid xid8;

CREATE FUNCTION item_total_fold() RETURNS BIGINT AS $$
DECLARE
    folded BIGINT;
BEGIN
    -- Both bounds, as the listings write them: with the lower bound alone
    -- the planner guesses a third of the table matches and scans it whole
    -- (16 ms at 100,000 items, 50 times a second).
    IF NOT EXISTS (
        SELECT 1 FROM item
        WHERE created_xid >= (SELECT mark FROM item_fold)
          AND created_xid < pg_snapshot_xmax(pg_current_snapshot())
    ) THEN
        RETURN 0;
    END IF;
    -- Waits for deletes and moves in flight to commit; holds new ones back.
    PERFORM 1 FROM item_fold FOR UPDATE;
    WITH snap AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS x),
    tail AS (
        SELECT i.owner_id, count(*) AS n FROM item i, item_fold f, snap
        WHERE i.created_xid >= f.mark AND i.created_xid < snap.x
        GROUP BY i.owner_id
    ),
    added AS (
        INSERT INTO item_total AS t (owner_id, n)
            SELECT owner_id, n FROM tail
            UNION ALL
            SELECT '00000000-0000-0000-0000-000000000000', sum(n) FROM tail HAVING count(*) > 0
            ON CONFLICT (owner_id) DO UPDATE SET n = t.n + excluded.n
    ),
    moved AS (
        UPDATE item_fold SET mark = snap.x FROM snap WHERE item_fold.mark < snap.x
    )
    SELECT coalesce(sum(n), 0) INTO folded FROM tail;
    RETURN folded;
END $$ LANGUAGE plpgsql;

-- Deleted items leave the totals if they were folded in. All deletes queue
-- on the nil row first, so two of them never wait on each other's rows in
-- opposite orders. Items that leave with their owner (the cascade) are not
-- subtracted from the owner: the owner's row goes with them.
CREATE OR REPLACE FUNCTION item_count_removed() RETURNS trigger AS $$
DECLARE
    m xid8;
    total BIGINT;
BEGIN
    SELECT mark INTO m FROM item_fold FOR SHARE;
    SELECT count(*) INTO total FROM removed WHERE created_xid IS NULL OR created_xid < m;
    IF total = 0 THEN
        RETURN NULL;
    END IF;
    UPDATE item_total SET n = n - total WHERE owner_id = '00000000-0000-0000-0000-000000000000';
    UPDATE item_total t SET n = t.n - o.n FROM (
        SELECT owner_id, count(*) AS n FROM removed
        WHERE created_xid IS NULL OR created_xid < m
        GROUP BY owner_id
    ) o
    WHERE t.owner_id = o.owner_id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION item_move_noted() RETURNS trigger AS $$
BEGIN
    INSERT INTO item_move (from_owner, to_owner, created_xid)
        VALUES (OLD.owner_id, NEW.owner_id, OLD.created_xid);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- A moved item that was folded in moves between owners' totals; one in
-- the tail is counted under its new owner by the tail itself.
CREATE OR REPLACE FUNCTION item_count_moved() RETURNS trigger AS $$
DECLARE
    m xid8;
BEGIN
    SELECT mark INTO m FROM item_fold FOR SHARE;
    PERFORM 1 FROM item_total WHERE owner_id = '00000000-0000-0000-0000-000000000000' FOR UPDATE;
    WITH moved AS (DELETE FROM item_move RETURNING from_owner, to_owner, created_xid),
    folded AS (SELECT * FROM moved WHERE created_xid IS NULL OR created_xid < m)
    INSERT INTO item_total AS t (owner_id, n)
        SELECT owner_id, sum(d) FROM (
            SELECT from_owner AS owner_id, -1 AS d FROM folded
            UNION ALL
            SELECT to_owner, 1 FROM folded
        ) moves GROUP BY owner_id
        ON CONFLICT (owner_id) DO UPDATE SET n = t.n + excluded.n;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION user_count_removed() RETURNS trigger AS $$
BEGIN
    INSERT INTO user_count AS c (shard, n)
        SELECT pg_backend_pid() % 16, -count(*) FROM removed
        ON CONFLICT (shard) DO UPDATE SET n = c.n + excluded.n;
    DELETE FROM item_total WHERE owner_id IN (SELECT id FROM removed);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- The insert trigger goes; the totals start from the rows, which the
-- column change above already holds still (ACCESS EXCLUSIVE on item).
DROP TRIGGER item_count_added ON item;
DROP FUNCTION item_count_added();
INSERT INTO item_total (owner_id, n)
    SELECT owner_id, count(*) FROM item GROUP BY owner_id
    UNION ALL
    SELECT '00000000-0000-0000-0000-000000000000', count(*) FROM item;
INSERT INTO item_fold (mark) VALUES ('0');
-- item_count stays, no longer written, for replicas of the previous release
-- still serving during a rolling upgrade (their totals stand still until
-- they are replaced); a later migration drops it with 0003's tables.
