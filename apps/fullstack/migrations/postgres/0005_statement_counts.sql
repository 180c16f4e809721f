-- Listing totals counted a statement at a time (replaces 0003's row-level
-- triggers, which made bulk changes quadratic: each row updated one tally
-- row again, and PostgreSQL walked every earlier version of it within the
-- transaction: 90,000 items inserted in one statement took 48 s).
--
-- A statement's changes arrive as a transition table and are added in one
-- upsert per statement, whatever its size. Counts are split in shards by
-- the writing connection (pg_backend_pid() % 16) so that concurrent writers
-- do not queue on one row's lock; a total is the sum of at most 16 rows.
-- The nil uuid's rows hold the count of all items.
CREATE TABLE item_count (
    owner_id UUID NOT NULL,
    shard SMALLINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (owner_id, shard)
);
CREATE TABLE user_count (
    shard SMALLINT PRIMARY KEY,
    n BIGINT NOT NULL
);

CREATE FUNCTION item_count_added() RETURNS trigger AS $$
BEGIN
    INSERT INTO item_count AS c (owner_id, shard, n)
        SELECT owner_id, pg_backend_pid() % 16, count(*) FROM added GROUP BY owner_id
        UNION ALL
        SELECT '00000000-0000-0000-0000-000000000000', pg_backend_pid() % 16, count(*) FROM added
        ON CONFLICT (owner_id, shard) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- Items that leave with their owner (the cascade) are not counted against
-- the owner: the owner's rows go with them (user_count_removed).
CREATE FUNCTION item_count_removed() RETURNS trigger AS $$
BEGIN
    INSERT INTO item_count AS c (owner_id, shard, n)
        SELECT r.owner_id, pg_backend_pid() % 16, -count(*) FROM removed r
            WHERE EXISTS (SELECT 1 FROM "user" u WHERE u.id = r.owner_id)
            GROUP BY r.owner_id
        UNION ALL
        SELECT '00000000-0000-0000-0000-000000000000', pg_backend_pid() % 16, -count(*) FROM removed
        ON CONFLICT (owner_id, shard) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- An item given to another owner (the API never does; SQL may).
CREATE FUNCTION item_count_moved() RETURNS trigger AS $$
BEGIN
    INSERT INTO item_count AS c (owner_id, shard, n)
        SELECT owner_id, pg_backend_pid() % 16, sum(d) FROM (
            SELECT b.owner_id, -1 AS d FROM before b JOIN after a ON a.id = b.id
                WHERE a.owner_id <> b.owner_id
            UNION ALL
            SELECT a.owner_id, 1 FROM before b JOIN after a ON a.id = b.id
                WHERE a.owner_id <> b.owner_id
        ) moves GROUP BY owner_id
        ON CONFLICT (owner_id, shard) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION user_count_added() RETURNS trigger AS $$
BEGIN
    INSERT INTO user_count AS c (shard, n)
        SELECT pg_backend_pid() % 16, count(*) FROM added
        ON CONFLICT (shard) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION user_count_removed() RETURNS trigger AS $$
BEGIN
    INSERT INTO user_count AS c (shard, n)
        SELECT pg_backend_pid() % 16, -count(*) FROM removed
        ON CONFLICT (shard) DO UPDATE SET n = c.n + excluded.n;
    DELETE FROM item_count WHERE owner_id IN (SELECT id FROM removed);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- The old triggers go first; the counts start from the rows, under a lock
-- that holds writers back until the new triggers are in place.
DROP TRIGGER IF EXISTS item_tally ON item;
DROP TRIGGER IF EXISTS user_tally ON "user";
LOCK TABLE item, "user" IN SHARE MODE;
INSERT INTO item_count (owner_id, shard, n)
    SELECT owner_id, 0, count(*) FROM item GROUP BY owner_id
    UNION ALL
    SELECT '00000000-0000-0000-0000-000000000000', 0, count(*) FROM item;
INSERT INTO user_count (shard, n) SELECT 0, count(*) FROM "user";

CREATE TRIGGER item_count_added AFTER INSERT ON item
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION item_count_added();
CREATE TRIGGER item_count_removed AFTER DELETE ON item
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION item_count_removed();
CREATE TRIGGER item_count_moved AFTER UPDATE ON item
    REFERENCING OLD TABLE AS before NEW TABLE AS after
    FOR EACH STATEMENT EXECUTE FUNCTION item_count_moved();
CREATE TRIGGER user_count_added AFTER INSERT ON "user"
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION user_count_added();
CREATE TRIGGER user_count_removed AFTER DELETE ON "user"
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION user_count_removed();

-- 0003's tables stay, no longer written, for replicas of the previous
-- release still serving during a rolling upgrade; a later migration drops
-- them.
DROP FUNCTION IF EXISTS item_tally_change();
DROP FUNCTION IF EXISTS user_tally_change();
