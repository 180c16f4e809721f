-- Exact totals for the listings without counting rows: a tally per item
-- owner and one for users, kept by triggers (every insert and delete,
-- cascades included). Not in the template (DEVIATIONS.md).
CREATE TABLE IF NOT EXISTS item_tally (
    owner_id UUID PRIMARY KEY,
    n BIGINT NOT NULL
);
INSERT INTO item_tally (owner_id, n)
    SELECT owner_id, count(*) FROM item GROUP BY owner_id
    ON CONFLICT (owner_id) DO NOTHING;

CREATE OR REPLACE FUNCTION item_tally_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE item_tally SET n = n - 1 WHERE owner_id = OLD.owner_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO item_tally (owner_id, n) VALUES (NEW.owner_id, 1)
            ON CONFLICT (owner_id) DO UPDATE SET n = item_tally.n + 1;
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS item_tally ON item;
CREATE TRIGGER item_tally AFTER INSERT OR DELETE OR UPDATE OF owner_id ON item
    FOR EACH ROW EXECUTE FUNCTION item_tally_change();

CREATE TABLE IF NOT EXISTS user_tally (
    one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
    n BIGINT NOT NULL
);
INSERT INTO user_tally (one, n) SELECT TRUE, count(*) FROM "user"
    ON CONFLICT (one) DO NOTHING;

CREATE OR REPLACE FUNCTION user_tally_change() RETURNS trigger AS $$
BEGIN
    UPDATE user_tally SET n = n + CASE WHEN TG_OP = 'INSERT' THEN 1 ELSE -1 END;
    RETURN NULL;
END $$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS user_tally ON "user";
CREATE TRIGGER user_tally AFTER INSERT OR DELETE ON "user"
    FOR EACH ROW EXECUTE FUNCTION user_tally_change();
