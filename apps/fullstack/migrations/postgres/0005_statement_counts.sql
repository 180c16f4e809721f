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
    WITH owners AS (SELECT owner_id, count(*) AS n FROM added GROUP BY owner_id)
    INSERT INTO item_count AS c (owner_id, shard, n)
        SELECT owner_id, pg_backend_pid() % 16, n FROM owners
        UNION ALL
        SELECT '00000000-0000-0000-0000-000000000000', pg_backend_pid() % 16, sum(n) FROM owners HAVING count(*) > 0
        ON CONFLICT (owner_id, shard) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- Items that leave with their owner (the cascade) are not counted against
-- the owner: the owner's rows go with them (user_count_removed).
CREATE FUNCTION item_count_removed() RETURNS trigger AS $$
BEGIN
    WITH owners AS (SELECT owner_id, count(*) AS n FROM removed GROUP BY owner_id)
    INSERT INTO item_count AS c (owner_id, shard, n)
        SELECT o.owner_id, pg_backend_pid() % 16, -o.n FROM owners o
            WHERE EXISTS (SELECT 1 FROM "user" u WHERE u.id = o.owner_id)
        UNION ALL
        SELECT '00000000-0000-0000-0000-000000000000', pg_backend_pid() % 16, -sum(n) FROM owners HAVING count(*) > 0
        ON CONFLICT (owner_id, shard) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

-- An item given to another owner (the API never does; SQL may). A title
-- change must not pay for this, so no transition tables here (they cannot
-- be limited to a column): a row trigger that fires only when owner_id
-- changes notes the move, and a statement trigger limited to owner_id
-- updates counts the statement's notes at once. Notes are never seen
-- committed: each statement takes its own back.
CREATE UNLOGGED TABLE item_move (
    from_owner UUID NOT NULL,
    to_owner UUID NOT NULL
);

CREATE FUNCTION item_move_noted() RETURNS trigger AS $$
BEGIN
    INSERT INTO item_move (from_owner, to_owner) VALUES (OLD.owner_id, NEW.owner_id);
    RETURN NULL;
END $$ LANGUAGE plpgsql;

CREATE FUNCTION item_count_moved() RETURNS trigger AS $$
BEGIN
    WITH moved AS (DELETE FROM item_move RETURNING from_owner, to_owner)
    INSERT INTO item_count AS c (owner_id, shard, n)
        SELECT owner_id, pg_backend_pid() % 16, sum(d) FROM (
            SELECT from_owner AS owner_id, -1 AS d FROM moved
            UNION ALL
            SELECT to_owner, 1 FROM moved
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
CREATE TRIGGER item_move_noted AFTER UPDATE OF owner_id ON item
    FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id)
    EXECUTE FUNCTION item_move_noted();
CREATE TRIGGER item_count_moved AFTER UPDATE OF owner_id ON item
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
