//! Chapter "Body updates".

use ferroapi::{patch, App, HTTPException, Json, Path};
use serde::{Deserialize, Deserializer, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Book {
    pub title: String,
    pub price: f64,
    pub summary: Option<String>,
}

// ANCHOR: patch
/// A field the client sent: `Some(value)`, `null` included; `None` when absent
/// (pydantic's "unset").
fn sent<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct BookPatch {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub price: Option<f64>,
    // `Some(None)` clears the summary; absent leaves it.
    #[serde(default, deserialize_with = "sent")]
    #[schemars(with = "Option<String>")]
    pub summary: Option<Option<String>>,
}

#[patch("/books/{slug}")]
async fn patch_book(
    slug: Path<String>,
    patch: Json<BookPatch>,
) -> Result<Json<Book>, HTTPException> {
    if slug.as_str() != "odes" {
        return Err(HTTPException::new(404, "Book not found"));
    }
    let mut book = Book {
        title: "Odes".into(),
        price: 9.5,
        summary: None,
    };
    let patch = patch.0;
    if let Some(title) = patch.title {
        book.title = title;
    }
    if let Some(price) = patch.price {
        book.price = price;
    }
    if let Some(summary) = patch.summary {
        book.summary = summary;
    }
    Ok(Json(book))
}
// ANCHOR_END: patch

/// The chapter's app.
pub fn app() -> App {
    App::new().route(patch_book)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;
    use serde_json::json;

    #[tokio::test]
    async fn only_sent_fields_change() {
        let client = TestClient::new(app());
        let res = client
            .patch("/books/odes")
            .json(&json!({"price": 7}))
            .send()
            .await;
        assert_eq!(res.text(), r#"{"title":"Odes","price":7.0,"summary":null}"#);
        let res = client
            .patch("/books/odes")
            .json(&json!({"summary": "Short."}))
            .send()
            .await;
        assert_eq!(res.json()["summary"], "Short.");
        let res = client.patch("/books/epics").json(&json!({})).send().await;
        assert_eq!(res.status(), 404);
    }
}
