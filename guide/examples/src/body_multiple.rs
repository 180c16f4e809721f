//! Chapter "Body: multiple parameters".

use ferroapi::{post, put, App, Json, Path};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Book {
    pub title: String,
    pub price: f64,
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Reader {
    pub name: String,
    #[serde(default)]
    pub email: Option<String>,
}

// ANCHOR: several
#[put("/loans/{book_id}")]
async fn lend(
    book_id: Path<i64>,
    book: Json<Book>,
    reader: Json<Reader>,
    #[param(gt = 0, le = 8)] weeks: Json<i64>,
) -> Json<Value> {
    Json(json!({"book_id": *book_id, "book": book.0, "reader": reader.0, "weeks": *weeks}))
}
// ANCHOR_END: several

// ANCHOR: embed
#[post("/wrapped/")]
async fn wrapped(#[param(embed)] book: Json<Book>) -> Json<Book> {
    book
}
// ANCHOR_END: embed

/// The chapter's app.
pub fn app() -> App {
    App::new().route(lend).route(wrapped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn several_bodies_are_one_object() {
        let client = TestClient::new(app());
        let body =
            json!({"book": {"title": "Odes", "price": 2}, "reader": {"name": "ann"}, "weeks": 2});
        let res = client.put("/loans/1").json(&body).send().await;
        assert_eq!(res.json()["reader"], json!({"name": "ann", "email": null}));
        let res = client
            .put("/loans/1")
            .json(&json!({"book": {"title": "Odes", "price": 2}, "weeks": 9}))
            .send()
            .await;
        let locs: Vec<_> = crate::each_error(&res, "loc");
        assert_eq!(locs, [json!(["body", "reader"]), json!(["body", "weeks"])]);
        let res = client
            .post("/wrapped/")
            .json(&json!({"book": {"title": "Odes", "price": 2}}))
            .send()
            .await;
        assert_eq!(res.text(), r#"{"title":"Odes","price":2.0}"#);
    }
}
