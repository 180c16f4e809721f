//! Chapter "Request body".

use ferroapi::{post, put, App, Json, Path, Query};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

// ANCHOR: model
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Book {
    pub title: String,
    #[serde(default)]
    pub summary: Option<String>,
    pub price: f64,
    #[serde(default)]
    pub tax: Option<f64>,
}
// ANCHOR_END: model

// ANCHOR: create
#[post("/books/")]
async fn create_book(book: Json<Book>) -> Json<Value> {
    let mut data = json!(book.0);
    if let Some(tax) = book.tax {
        data["price_with_tax"] = json!(book.price + tax);
    }
    Json(data)
}
// ANCHOR_END: create

// ANCHOR: mixed
#[put("/books/{book_id}")]
async fn replace_book(
    book_id: Path<i64>,
    book: Json<Book>,
    q: Query<Option<String>>,
) -> Json<Value> {
    let mut out = json!({"book_id": *book_id});
    for (k, v) in json!(book.0).as_object().into_iter().flatten() {
        out[k] = v.clone();
    }
    if let Some(q) = q.0.filter(|q| !q.is_empty()) {
        out["q"] = json!(q);
    }
    Json(out)
}
// ANCHOR_END: mixed

/// The chapter's app.
pub fn app() -> App {
    App::new().route(create_book).route(replace_book)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn bodies_are_validated_as_pydantic_does() {
        let client = TestClient::new(app());
        let res = client
            .post("/books/")
            .json(&json!({"title": "Odes", "price": "10.5", "tax": 1.5}))
            .send()
            .await;
        assert_eq!(
            res.text(),
            r#"{"title":"Odes","summary":null,"price":10.5,"tax":1.5,"price_with_tax":12.0}"#
        );
        let res = client
            .post("/books/")
            .json(&json!({"price": "cheap"}))
            .send()
            .await;
        assert_eq!(res.status(), 422);
        let types: Vec<_> = crate::each_error(&res, "type");
        assert_eq!(types, [json!("missing"), json!("float_parsing")]);
    }
}
