//! Chapter "Metadata and docs URLs".

use ferroapi::{get, App, Json};
use serde_json::{json, Value};

#[get("/books/", tags = ["books"])]
async fn list_books() -> Json<Value> {
    Json(json!([]))
}

// ANCHOR: metadata
/// The chapter's app, with FastAPI's metadata options.
pub fn app() -> App {
    App::new()
        .title("Bookshop")
        .summary("Books, readers and loans.")
        .description("The bookshop's API. **Markdown** works here.")
        .version("2.1.0")
        .terms_of_service("https://shop.example/terms")
        .contact(
            Some("Shop desk"),
            Some("https://shop.example/desk"),
            Some("desk@shop.example"),
        )
        .license("Apache 2.0", Some("Apache-2.0"))
        .openapi_tag("books", Some("Everything on the shelves."))
        .openapi_url(Some("/api/v1/openapi.json"))
        .docs_url(Some("/documentation"))
        .redoc_url(None)
        .route(list_books)
}
// ANCHOR_END: metadata

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn metadata_and_urls() {
        let client = TestClient::new(app());
        let doc = client.get("/api/v1/openapi.json").send().await.json();
        assert_eq!(doc["info"]["license"]["identifier"], "Apache-2.0");
        assert_eq!(doc["tags"][0]["description"], "Everything on the shelves.");
        assert_eq!(client.get("/documentation").send().await.status(), 200);
        assert_eq!(client.get("/redoc").send().await.status(), 404);
        assert_eq!(client.get("/openapi.json").send().await.status(), 404);
    }
}
