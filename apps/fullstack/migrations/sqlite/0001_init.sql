-- The same schema on SQLite: uuids as 16-byte blobs, times as RFC 3339 text.
CREATE TABLE IF NOT EXISTS "user" (
    email VARCHAR(255) NOT NULL,
    is_active BOOLEAN NOT NULL,
    is_superuser BOOLEAN NOT NULL,
    full_name VARCHAR(255),
    id BLOB NOT NULL PRIMARY KEY,
    hashed_password VARCHAR NOT NULL,
    created_at TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS ix_user_email ON "user" (email);

CREATE TABLE IF NOT EXISTS item (
    description VARCHAR(255),
    title VARCHAR(255) NOT NULL,
    id BLOB NOT NULL PRIMARY KEY,
    owner_id BLOB NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    created_at TEXT
);
CREATE INDEX IF NOT EXISTS ix_item_owner_id ON item (owner_id);
