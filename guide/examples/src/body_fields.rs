//! Chapter "Body: fields".

use ferroapi::{post, App, Json};
use serde::{Deserialize, Serialize};

fn hundred() -> i64 {
    100
}

// ANCHOR: fields
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Book {
    /// The title on the cover.
    #[garde(length(chars, min = 1, max = 100))]
    pub title: String,
    /// In euros.
    #[garde(custom(ferroapi::rules::gt(0.0)))]
    #[schemars(extend("exclusiveMinimum" = 0))]
    pub price: f64,
    #[serde(default = "hundred")]
    #[garde(range(min = 1, max = 5000))]
    pub pages: i64,
    #[serde(default)]
    #[garde(pattern(r"^[0-9]{13}$"))]
    pub isbn: Option<String>,
}

#[post("/books/")]
async fn create_book(book: Json<Book>) -> Json<Book> {
    book
}
// ANCHOR_END: fields

/// The chapter's app.
pub fn app() -> App {
    App::new().route(create_book)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;
    use serde_json::json;

    #[tokio::test]
    async fn every_field_rule_is_checked() {
        let client = TestClient::new(app());
        let res = client
            .post("/books/")
            .json(&json!({"title": "", "price": 0, "pages": 0, "isbn": "12"}))
            .send()
            .await;
        let types: Vec<_> = crate::each_error(&res, "type");
        assert_eq!(
            types,
            [
                json!("string_too_short"),
                json!("greater_than"),
                json!("greater_than_equal"),
                json!("string_pattern_mismatch")
            ]
        );
        TestClient::new(app())
            .check_constraints(&[])
            .await
            .assert_held();
    }
}
