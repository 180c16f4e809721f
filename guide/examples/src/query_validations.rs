//! Chapter "Query parameters and string validations".

use ferroapi::{get, App, Json, Query};
use serde_json::{json, Value};

// ANCHOR: lengths
#[get("/search/")]
async fn search(
    #[param(
        min_length = 3,
        max_length = 20,
        pattern = "^[a-z ]+$",
        title = "Search words"
    )]
    q: Query<Option<String>>,
) -> Json<Value> {
    Json(json!({"q": q.0}))
}
// ANCHOR_END: lengths

// ANCHOR: list
#[get("/tags/")]
async fn tags(
    #[param(default = vec!["poetry".to_string(), "drama".to_string()])] tag: Query<Vec<String>>,
) -> Json<Value> {
    Json(json!({"tags": tag.0}))
}
// ANCHOR_END: list

// ANCHOR: metadata
#[get("/titles/")]
async fn titles(
    #[param(
        alias = "title-part",
        description = "Part of the title.",
        deprecated,
        min_length = 2
    )]
    title_part: Query<String>,
) -> Json<Value> {
    Json(json!({"title_part": title_part.0}))
}

#[get("/hidden/")]
async fn hidden(#[param(include_in_schema = false)] token: Query<Option<String>>) -> Json<Value> {
    Json(json!({"token": token.0}))
}
// ANCHOR_END: metadata

/// The chapter's app.
pub fn app() -> App {
    App::new()
        .route(search)
        .route(tags)
        .route(titles)
        .route(hidden)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn every_declared_rule_is_checked() {
        let client = TestClient::new(app());
        let res = client.get("/search/?q=Ab").send().await;
        let types: Vec<_> = crate::each_error(&res, "type");
        assert_eq!(types, [json!("string_too_short")]);
        let res = client.get("/search/?q=ABC").send().await;
        assert_eq!(res.json()["detail"][0]["type"], "string_pattern_mismatch");
        assert_eq!(
            client.get("/tags/").send().await.text(),
            r#"{"tags":["poetry","drama"]}"#
        );
        assert_eq!(
            client.get("/tags/?tag=a&tag=b").send().await.text(),
            r#"{"tags":["a","b"]}"#
        );
        let res = client.get("/titles/?title-part=Od").send().await;
        assert_eq!(res.json()["title_part"], "Od");
        let doc = client.get("/openapi.json").send().await.json();
        assert!(doc["paths"]["/hidden/"]["get"]["parameters"].is_null());
        assert_eq!(
            doc["paths"]["/titles/"]["get"]["parameters"][0]["deprecated"],
            true
        );
        TestClient::new(app())
            .check_constraints(&[])
            .await
            .assert_held();
    }
}
