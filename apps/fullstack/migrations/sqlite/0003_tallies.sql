-- Exact totals for the listings without counting rows: a tally per item
-- owner and one for users, kept by triggers (cascades included).
CREATE TABLE IF NOT EXISTS item_tally (
    owner_id BLOB PRIMARY KEY,
    n INTEGER NOT NULL
);
INSERT OR IGNORE INTO item_tally (owner_id, n)
    SELECT owner_id, count(*) FROM item GROUP BY owner_id;
CREATE TRIGGER IF NOT EXISTS item_tally_insert AFTER INSERT ON item BEGIN
    INSERT INTO item_tally (owner_id, n) VALUES (NEW.owner_id, 1)
        ON CONFLICT (owner_id) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS item_tally_delete AFTER DELETE ON item BEGIN
    UPDATE item_tally SET n = n - 1 WHERE owner_id = OLD.owner_id;
END;
CREATE TRIGGER IF NOT EXISTS item_tally_move AFTER UPDATE OF owner_id ON item BEGIN
    UPDATE item_tally SET n = n - 1 WHERE owner_id = OLD.owner_id;
    INSERT INTO item_tally (owner_id, n) VALUES (NEW.owner_id, 1)
        ON CONFLICT (owner_id) DO UPDATE SET n = n + 1;
END;

CREATE TABLE IF NOT EXISTS user_tally (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    n INTEGER NOT NULL
);
INSERT OR IGNORE INTO user_tally (one, n) SELECT 1, count(*) FROM "user";
CREATE TRIGGER IF NOT EXISTS user_tally_insert AFTER INSERT ON "user" BEGIN
    UPDATE user_tally SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS user_tally_delete AFTER DELETE ON "user" BEGIN
    UPDATE user_tally SET n = n - 1;
END;
