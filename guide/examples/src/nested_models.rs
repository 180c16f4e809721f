//! Chapter "Body: nested models".

use std::collections::BTreeMap;

use ferroapi::{post, App, HttpUrl, Json};
use serde::{Deserialize, Serialize};

// ANCHOR: nested
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Image {
    pub url: HttpUrl,
    pub name: String,
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Book {
    pub title: String,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub cover: Option<Image>,
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Shelf {
    pub name: String,
    pub books: Vec<Book>,
}

#[post("/shelves/")]
async fn create_shelf(shelf: Json<Shelf>) -> Json<Shelf> {
    shelf
}
// ANCHOR_END: nested

// ANCHOR: dict
#[post("/ratings/")]
async fn ratings(weights: Json<BTreeMap<i64, f64>>) -> Json<BTreeMap<i64, f64>> {
    weights
}
// ANCHOR_END: dict

/// The chapter's app.
pub fn app() -> App {
    App::new().route(create_shelf).route(ratings)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;
    use serde_json::json;

    #[tokio::test]
    async fn errors_point_into_the_nesting() {
        let client = TestClient::new(app());
        let shelf = json!({"name": "poetry", "books": [{"title": "Odes", "cover": {"url": "http://x.example", "name": "front"}}]});
        let res = client.post("/shelves/").json(&shelf).send().await;
        assert_eq!(res.json()["books"][0]["cover"]["url"], "http://x.example/");
        let bad = json!({"name": "poetry", "books": [{"title": "Odes", "cover": {"url": "ftp://x", "name": "front"}}]});
        let res = client.post("/shelves/").json(&bad).send().await;
        assert_eq!(
            res.json()["detail"][0]["loc"],
            json!(["body", "books", 0, "cover", "url"])
        );
        let res = client
            .post("/ratings/")
            .json(&json!({"1": 0.5, "two": 1}))
            .send()
            .await;
        assert_eq!(res.json()["detail"][0]["type"], "int_parsing");
    }
}
