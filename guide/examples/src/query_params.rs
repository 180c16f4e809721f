//! Chapter "Query parameters".

use ferroapi::{get, App, Json, Path, Query};
use serde_json::{json, Value};

const TITLES: [&str; 5] = ["Odes", "Fables", "Sonnets", "Essays", "Letters"];

// ANCHOR: defaults
#[get("/books/")]
async fn list_books(
    #[param(default = 0)] skip: Query<i64>,
    #[param(default = 2)] limit: Query<i64>,
) -> Json<Vec<&'static str>> {
    let (skip, limit) = (skip.0.max(0) as usize, limit.0.max(0) as usize);
    Json(TITLES.iter().copied().skip(skip).take(limit).collect())
}
// ANCHOR_END: defaults

// ANCHOR: optional
#[get("/books/{book_id}")]
async fn read_book(
    book_id: Path<String>,
    q: Query<Option<String>>,
    #[param(default = false)] short: Query<bool>,
) -> Json<Value> {
    let mut book = json!({"book_id": book_id.0});
    if let Some(q) = q.0.filter(|q| !q.is_empty()) {
        book["q"] = json!(q);
    }
    if !*short {
        book["blurb"] = json!("A long and careful description.");
    }
    Json(book)
}
// ANCHOR_END: optional

// ANCHOR: required
#[get("/reviews/{review_id}")]
async fn read_review(
    review_id: Path<String>,
    reviewer: Query<String>,
    #[param(default = 3)] stars: Query<i64>,
) -> Json<Value> {
    Json(json!({"review_id": review_id.0, "reviewer": reviewer.0, "stars": *stars}))
}
// ANCHOR_END: required

/// The chapter's app.
pub fn app() -> App {
    App::new()
        .route(list_books)
        .route(read_book)
        .route(read_review)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn defaults_optionals_and_required() {
        let client = TestClient::new(app());
        assert_eq!(
            client.get("/books/?skip=1").send().await.text(),
            r#"["Fables","Sonnets"]"#
        );
        let res = client.get("/books/7?q=odes&short=yes").send().await;
        assert_eq!(res.text(), r#"{"book_id":"7","q":"odes"}"#);
        let res = client.get("/reviews/1").send().await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.json()["detail"][0]["type"], "missing");
        assert_eq!(res.json()["detail"][0]["loc"], json!(["query", "reviewer"]));
    }
}
