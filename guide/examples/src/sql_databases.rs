//! Chapter "SQL databases" (sqlx; SQLite here, PostgreSQL the same way).

use ferroapi::{get, post, App, HTTPException, Json, Path, Query, State};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqlitePool, SqlitePoolOptions};

// ANCHOR: models
#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
pub struct BookCreate {
    #[garde(length(chars, min = 1, max = 255))]
    pub title: String,
    #[garde(range(min = 0.0))]
    pub price: f64,
}

#[derive(Debug, Serialize, schemars::JsonSchema, sqlx::FromRow)]
pub struct Book {
    pub id: i64,
    pub title: String,
    pub price: f64,
}
// ANCHOR_END: models

// ANCHOR: pool
/// Opens the pool and creates the table (a real app runs `sqlx::migrate!`).
pub async fn connect(url: &str) -> Result<SqlitePool, sqlx::Error> {
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS book (id INTEGER PRIMARY KEY, title TEXT NOT NULL, price REAL NOT NULL)")
        .execute(&pool)
        .await?;
    Ok(pool)
}

fn db_error(e: sqlx::Error) -> HTTPException {
    tracing::error!(error = %e, "database");
    HTTPException::new(503, "Database unavailable")
}
// ANCHOR_END: pool

// ANCHOR: routes
#[post("/books/", status_code = 201)]
async fn create_book(
    State(db): State<SqlitePool>,
    book: Json<BookCreate>,
) -> Result<Json<Book>, HTTPException> {
    let row = sqlx::query_as::<_, Book>(
        "INSERT INTO book (title, price) VALUES (?, ?) RETURNING id, title, price",
    )
    .bind(&book.title)
    .bind(book.price)
    .fetch_one(&db)
    .await
    .map_err(db_error)?;
    Ok(Json(row))
}

#[get("/books/")]
async fn list_books(
    State(db): State<SqlitePool>,
    #[param(default = 0, ge = 0)] offset: Query<i64>,
    #[param(default = 100, le = 100)] limit: Query<i64>,
) -> Result<Json<Vec<Book>>, HTTPException> {
    let rows =
        sqlx::query_as::<_, Book>("SELECT id, title, price FROM book ORDER BY id LIMIT ? OFFSET ?")
            .bind(*limit)
            .bind(*offset)
            .fetch_all(&db)
            .await
            .map_err(db_error)?;
    Ok(Json(rows))
}

#[get("/books/{book_id}")]
async fn read_book(
    State(db): State<SqlitePool>,
    book_id: Path<i64>,
) -> Result<Json<Book>, HTTPException> {
    sqlx::query_as::<_, Book>("SELECT id, title, price FROM book WHERE id = ?")
        .bind(*book_id)
        .fetch_optional(&db)
        .await
        .map_err(db_error)?
        .map(Json)
        .ok_or_else(|| HTTPException::new(404, "Book not found"))
}

/// The app, over an open pool.
pub fn app(db: SqlitePool) -> App<SqlitePool> {
    App::with_state(db)
        .route(create_book)
        .route(list_books)
        .route(read_book)
}
// ANCHOR_END: routes

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;
    use serde_json::json;

    #[tokio::test]
    async fn create_list_read() {
        let client = TestClient::new(app(connect("sqlite::memory:").await.unwrap()));
        let res = client
            .post("/books/")
            .json(&json!({"title": "Odes", "price": 9.5}))
            .send()
            .await;
        assert_eq!(res.status(), 201);
        assert_eq!(res.text(), r#"{"id":1,"title":"Odes","price":9.5}"#);
        assert_eq!(
            client
                .get("/books/")
                .send()
                .await
                .json()
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(client.get("/books/2").send().await.status(), 404);
        let res = client
            .post("/books/")
            .json(&json!({"title": "", "price": -1}))
            .send()
            .await;
        assert_eq!(res.status(), 422);
    }
}
