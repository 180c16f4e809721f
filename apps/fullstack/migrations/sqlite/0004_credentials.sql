-- What makes old credentials void, beside the template's tables: when a
-- user's password last changed (reset tokens issued before it are spent)
-- and the issue second before which their access tokens no longer count.
CREATE TABLE IF NOT EXISTS credential_stamp (
    user_id BLOB NOT NULL PRIMARY KEY REFERENCES "user" (id) ON DELETE CASCADE,
    password_changed_us INTEGER NOT NULL,
    tokens_after INTEGER NOT NULL
);
-- Failed logins per account and per client address, in a fixed window
-- from the first failure: shared by every replica through the database.
CREATE TABLE IF NOT EXISTS login_failure (
    key TEXT NOT NULL PRIMARY KEY,
    window_start INTEGER NOT NULL,
    n INTEGER NOT NULL
);
