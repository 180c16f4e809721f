//! Chapter "Path parameters and numeric validations".

use ferroapi::{get, App, Json, Path, Query};
use serde_json::{json, Value};

// ANCHOR: numbers
#[get("/books/{book_id}")]
async fn read_book(
    #[param(ge = 1, le = 1000, description = "The id of the book.")] book_id: Path<i64>,
    #[param(default = 1.0, gt = 0, lt = 10.5)] size: Query<f64>,
) -> Json<Value> {
    Json(json!({"book_id": *book_id, "size": *size}))
}

#[get("/pages/{page}")]
async fn read_page(#[param(gt = 0, multiple_of = 2)] page: Path<i64>) -> Json<Value> {
    Json(json!({"page": *page}))
}
// ANCHOR_END: numbers

/// The chapter's app.
pub fn app() -> App {
    App::new().route(read_book).route(read_page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn bounds_and_multiples() {
        let client = TestClient::new(app());
        let res = client.get("/books/0?size=10.5").send().await;
        let types: Vec<_> = crate::each_error(&res, "type");
        assert_eq!(types, [json!("greater_than_equal"), json!("less_than")]);
        assert_eq!(
            client.get("/pages/3").send().await.json()["detail"][0]["type"],
            "multiple_of"
        );
        assert_eq!(client.get("/pages/4").send().await.text(), r#"{"page":4}"#);
        TestClient::new(app())
            .check_constraints(&[])
            .await
            .assert_held();
    }
}
