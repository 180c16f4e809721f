//! Chapter "Path operation configuration".

use ferroapi::{get, App, Json};
use serde_json::{json, Value};

// ANCHOR: config
/// List every book, **newest first**.
///
/// - paging is not needed: the shop is small
#[get(
    "/books/",
    tags = ["books"],
    summary = "List the books",
    response_description = "Every book on the shelves"
)]
async fn list_books() -> Json<Value> {
    Json(json!([]))
}

#[get("/authors/", tags = ["authors"], deprecated, operation_id = "authors")]
async fn list_authors() -> Json<Value> {
    Json(json!([]))
}

#[get("/internal/", include_in_schema = false)]
async fn internal() -> Json<Value> {
    Json(json!({"ok": true}))
}
// ANCHOR_END: config

/// The chapter's app.
pub fn app() -> App {
    App::new()
        .route(list_books)
        .route(list_authors)
        .route(internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn the_document_carries_the_configuration() {
        let client = TestClient::new(app());
        let doc = client.get("/openapi.json").send().await.json();
        let op = &doc["paths"]["/books/"]["get"];
        assert_eq!(op["summary"], "List the books");
        assert!(op["description"]
            .as_str()
            .unwrap()
            .contains("**newest first**"));
        assert_eq!(doc["paths"]["/authors/"]["get"]["operationId"], "authors");
        assert!(doc["paths"]["/internal/"].is_null());
        assert_eq!(client.get("/internal/").send().await.status(), 200);
    }
}
