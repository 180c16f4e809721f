//! Chapter "Declare request example data".

use ferroapi::{post, App, Json};
use serde::{Deserialize, Serialize};

// ANCHOR: model
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
#[schemars(extend("examples" = [{"title": "Odes", "price": 9.5}]))]
pub struct Book {
    pub title: String,
    pub price: f64,
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Reader {
    #[schemars(example = &"Ann")]
    pub name: String,
    #[schemars(example = 30)]
    pub age: i64,
}
// ANCHOR_END: model

// ANCHOR: openapi_examples
#[post("/books/")]
async fn create_book(
    #[param(openapi_examples = serde_json::json!({
        "normal": {"summary": "A normal book", "value": {"title": "Odes", "price": 9.5}},
        "text price": {"summary": "Price as text", "value": {"title": "Odes", "price": "9.5"}},
    }))]
    book: Json<Book>,
) -> Json<Book> {
    book
}
// ANCHOR_END: openapi_examples

#[post("/readers/")]
async fn create_reader(reader: Json<Reader>) -> Json<Reader> {
    reader
}

/// The chapter's app.
pub fn app() -> App {
    App::new().route(create_book).route(create_reader)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn examples_are_documented() {
        let doc = TestClient::new(app())
            .get("/openapi.json")
            .send()
            .await
            .json();
        let body = &doc["paths"]["/books/"]["post"]["requestBody"]["content"]["application/json"];
        assert_eq!(body["examples"]["normal"]["summary"], "A normal book");
        assert_eq!(
            doc["components"]["schemas"]["Reader"]["properties"]["name"]["examples"][0],
            "Ann"
        );
        assert_eq!(
            doc["components"]["schemas"]["Book"]["examples"][0]["price"],
            9.5
        );
    }
}
