//! Chapter "Validation: lax and strict".

use ferroapi::{post, App, Json};
use serde::{Deserialize, Serialize};

// ANCHOR: lax
// Read as pydantic's lax mode reads it: `"3"` is an int, `"yes"` a bool,
// `2.0` an int, `"1.5"` a float.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Order {
    pub copies: i64,
    pub gift: bool,
    pub price: f64,
}

#[post("/orders/")]
async fn order(o: Json<Order>) -> Json<Order> {
    o
}
// ANCHOR_END: lax

// ANCHOR: strict
// `StrictInt`, `StrictBool` (or `Field(strict=True)`): only JSON's own types.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct StrictOrder {
    #[schemars(transform = ferroapi::strict)]
    pub copies: i64,
    #[schemars(transform = ferroapi::strict)]
    pub gift: bool,
}

#[post("/strict-orders/")]
async fn strict_order(o: Json<StrictOrder>) -> Json<StrictOrder> {
    o
}
// ANCHOR_END: strict

/// The chapter's app.
pub fn app() -> App {
    App::new().route(order).route(strict_order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;
    use serde_json::json;

    #[tokio::test]
    async fn lax_by_default_strict_on_request() {
        let client = TestClient::new(app());
        let res = client
            .post("/orders/")
            .json(&json!({"copies": "3", "gift": "yes", "price": "1.5"}))
            .send()
            .await;
        assert_eq!(res.text(), r#"{"copies":3,"gift":true,"price":1.5}"#);
        let res = client
            .post("/strict-orders/")
            .json(&json!({"copies": "3", "gift": 1}))
            .send()
            .await;
        let types: Vec<_> = crate::each_error(&res, "type");
        assert_eq!(types, [json!("int_type"), json!("bool_type")]);
    }
}
