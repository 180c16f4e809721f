//! "Every rule the document states is enforced": a rule stated only for the
//! document (a schemars attribute with no garde rule) is still checked, and
//! `TestClient::check_constraints` notices a document that promises more
//! than the server holds.

use ferroapi::{post, App, Json, TestClient};
use serde_json::json;

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
struct Order {
    // Documented as `minimum: 1`, and no garde rule: the schema checks it.
    #[schemars(range(min = 1))]
    #[garde(skip)]
    quantity: i64,
    #[schemars(length(max = 5))]
    #[garde(skip)]
    note: Option<String>,
}

#[post("/orders")]
async fn order(order: Json<Order>) -> Json<Order> {
    order
}

#[tokio::test]
async fn a_rule_stated_only_in_the_schema_is_enforced() {
    let client = TestClient::new(App::new().route(order));
    let res = client
        .post("/orders")
        .json(&json!({"quantity": 0}))
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json()["detail"][0]["type"], "greater_than_equal");
    assert_eq!(res.json()["detail"][0]["loc"], json!(["body", "quantity"]));
    let res = client
        .post("/orders")
        .json(&json!({"quantity": 2, "note": "too long"}))
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json()["detail"][0]["type"], "string_too_long");
    let res = client
        .post("/orders")
        .json(&json!({"quantity": 2, "note": "ok"}))
        .send()
        .await;
    assert_eq!(res.status(), 200);
    let report = client.check_constraints(&[]).await;
    report.assert_held();
    assert_eq!(report.held.len(), 2, "{report:?}");
}

#[tokio::test]
async fn the_check_reports_a_rule_that_is_not_held() {
    // A hand-written document that promises a rule nothing checks.
    let doc = json!({
        "openapi": "3.1.0",
        "paths": {"/things": {"get": {"parameters": [
            {"name": "size", "in": "query", "required": true,
             "schema": {"type": "integer", "maximum": 10}}
        ]}}}
    });
    let router = ferroapi::axum::Router::new()
        .route(
            "/openapi.json",
            ferroapi::axum::routing::get(move || async move { ferroapi::axum::Json(doc) }),
        )
        .route("/things", ferroapi::axum::routing::get(|| async { "ok" }));
    let report = TestClient::new(router).check_constraints(&[]).await;
    assert!(report.held.is_empty());
    assert_eq!(report.failures.len(), 1, "{report:?}");
    assert!(report.failures[0].starts_with("GET /things query.size maximum: sent 11 and got 200"));
}
