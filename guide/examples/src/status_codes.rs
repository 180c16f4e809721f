//! Chapter "Response status code".

use ferroapi::{delete, get, post, App, Json, Path, Query};
use serde_json::{json, Value};

// ANCHOR: codes
#[post("/books/", status_code = 201)]
async fn create_book(title: Query<String>) -> Json<Value> {
    Json(json!({"title": title.0}))
}

#[delete("/books/{book_id}", status_code = 204)]
async fn delete_book(book_id: Path<i64>) {
    let _ = book_id;
}

#[get("/teapot", status_code = 418)]
async fn teapot() -> Json<Value> {
    Json(json!({"brew": "tea"}))
}
// ANCHOR_END: codes

/// The chapter's app.
pub fn app() -> App {
    App::new()
        .route(create_book)
        .route(delete_book)
        .route(teapot)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn status_codes_and_empty_bodies() {
        let client = TestClient::new(app());
        assert_eq!(client.post("/books/?title=Odes").send().await.status(), 201);
        let res = client.delete("/books/1").send().await;
        assert_eq!(res.status(), 204);
        assert!(res.bytes().is_empty());
        assert_eq!(client.get("/teapot").send().await.status(), 418);
    }
}
