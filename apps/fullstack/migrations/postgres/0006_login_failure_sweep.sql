-- Windows that ended are swept on each failed login: by this index only the
-- expired rows are read, however many keys an attack left in the table.
CREATE INDEX IF NOT EXISTS ix_login_failure_window_start ON login_failure (window_start);
