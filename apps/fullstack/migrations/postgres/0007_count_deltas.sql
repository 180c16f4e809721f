-- Listing totals without a hot row. 0005 added each statement's change to a
-- shared row in place (an upsert into one of 16 shards): under concurrent
-- writers every insert rewrote the same few rows, each new version held its
-- row's lock until commit, and the trigger cost a single-row insert 85 µs of
-- PostgreSQL CPU at 16 writers (50 alone).
--
-- Now a statement appends its change to item_count_delta: a row for each
-- owner it touched and one under the nil uuid for all items. Appending takes
-- no lock another writer waits on. The application folds the deltas into
-- item_count (item_count_fold(), called by db::fold_counts every few tens of
-- milliseconds while there are any); a total is the sum of the owner's rows in
-- both tables, read in one statement, so a fold (one statement too) is seen
-- entirely or not at all.
--
-- The application's own single-row insert appends its delta in the same
-- statement (db::insert_item) and says so for its transaction with
-- set_config('ferroapi.counted', 'app', true); the insert trigger's WHEN
-- skips such statements, and with them the trigger call. Every other insert
-- (bulk SQL, another program) is counted by the trigger as before.
CREATE TABLE item_count_delta (
    owner_id UUID NOT NULL,
    n BIGINT NOT NULL
);
CREATE INDEX ix_item_count_delta_owner_id ON item_count_delta (owner_id);

CREATE OR REPLACE FUNCTION item_count_added() RETURNS trigger AS $$
BEGIN
    INSERT INTO item_count_delta (owner_id, n)
        SELECT owner_id, count(*) FROM added GROUP BY owner_id
        UNION ALL
        SELECT '00000000-0000-0000-0000-000000000000', count(*) FROM added HAVING count(*) > 0;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- Items that leave with their owner (the cascade) are not counted against
-- the owner: the owner's rows go with them (user_count_removed).
CREATE OR REPLACE FUNCTION item_count_removed() RETURNS trigger AS $$
BEGIN
    WITH owners AS (SELECT owner_id, count(*) AS n FROM removed GROUP BY owner_id)
    INSERT INTO item_count_delta (owner_id, n)
        SELECT o.owner_id, -o.n FROM owners o
            WHERE EXISTS (SELECT 1 FROM "user" u WHERE u.id = o.owner_id)
        UNION ALL
        SELECT '00000000-0000-0000-0000-000000000000', -sum(n) FROM owners HAVING count(*) > 0;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION item_count_moved() RETURNS trigger AS $$
BEGIN
    WITH moved AS (DELETE FROM item_move RETURNING from_owner, to_owner)
    INSERT INTO item_count_delta (owner_id, n)
        SELECT owner_id, sum(d) FROM (
            SELECT from_owner AS owner_id, -1 AS d FROM moved
            UNION ALL
            SELECT to_owner, 1 FROM moved
        ) moves GROUP BY owner_id;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION user_count_removed() RETURNS trigger AS $$
BEGIN
    INSERT INTO user_count AS c (shard, n)
        SELECT pg_backend_pid() % 16, -count(*) FROM removed
        ON CONFLICT (shard) DO UPDATE SET n = c.n + excluded.n;
    DELETE FROM item_count WHERE owner_id IN (SELECT id FROM removed);
    DELETE FROM item_count_delta WHERE owner_id IN (SELECT id FROM removed);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- Moves the deltas into item_count and answers how many it moved. One caller
-- at a time (replicas take turns; a caller that finds the lock taken moves
-- nothing). A delta still uncommitted is not seen, and stays for the next
-- fold. Should an owner be deleted while a fold holds their deltas, the fold
-- can leave a row for an owner no one reads again: it is never counted
-- (totals are read for existing owners and for the nil uuid).
CREATE FUNCTION item_count_fold() RETURNS BIGINT AS $$
DECLARE
    folded BIGINT := 0;
BEGIN
    IF pg_try_advisory_xact_lock(5927366155207168007) THEN
        WITH d AS (DELETE FROM item_count_delta RETURNING owner_id, n),
             owners AS (SELECT owner_id, sum(n) AS n, count(*) AS k FROM d GROUP BY owner_id),
             written AS (
                 INSERT INTO item_count AS c (owner_id, shard, n)
                     SELECT owner_id, 0, n FROM owners
                     ON CONFLICT (owner_id, shard) DO UPDATE SET n = c.n + excluded.n
             )
        SELECT coalesce(sum(k), 0) INTO folded FROM owners;
    END IF;
    RETURN folded;
END $$ LANGUAGE plpgsql;

DROP TRIGGER item_count_added ON item;
CREATE TRIGGER item_count_added AFTER INSERT ON item
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT
    WHEN (current_setting('ferroapi.counted', true) IS DISTINCT FROM 'app')
    EXECUTE FUNCTION item_count_added();
