//! The SQLite side: one table, made by the harness, read by every server.

use serde::Serialize;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};

use crate::{PAGE, ROWS};

/// One row of `GET /rows`.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, schemars::JsonSchema, poem_openapi::Object)]
pub struct Row {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// Its score.
    pub score: i64,
}

/// The database path: `$SHOWDOWN_DB`, or `showdown.db` in the working directory.
pub fn path() -> String {
    std::env::var("SHOWDOWN_DB").unwrap_or_else(|_| "showdown.db".to_owned())
}

/// Creates the table afresh with [`ROWS`] rows.
pub async fn seed(path: &str) -> Result<(), sqlx::Error> {
    let _ = std::fs::remove_file(path);
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await?;
    sqlx::query(
        "CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT NOT NULL, score INTEGER NOT NULL)",
    )
    .execute(&pool)
    .await?;
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         INSERT INTO rows (id, name, score) SELECT i, 'row-' || i, (i * 7919) % 1000 FROM n",
    )
    .bind(ROWS)
    .execute(&pool)
    .await?;
    pool.close().await;
    Ok(())
}

/// A read-only pool on the table, as every Rust server opens it.
pub async fn open(path: &str) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    SqlitePoolOptions::new()
        .max_connections(4)
        .min_connections(4)
        .connect_with(options)
        .await
}

/// The [`PAGE`] rows from `start` on.
pub async fn rows(pool: &SqlitePool, start: i64) -> Result<Vec<Row>, sqlx::Error> {
    sqlx::query_as::<_, Row>(
        "SELECT id, name, score FROM rows WHERE id >= ?1 AND id < ?1 + ?2 ORDER BY id",
    )
    .bind(start)
    .bind(PAGE)
    .fetch_all(pool)
    .await
}
