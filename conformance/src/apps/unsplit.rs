//! Mirrors apps/unsplit.py: `App::separate_input_output_schemas(false)`.

use ferroapi::{get, post, App, Json};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Item {
    name: String,
    #[serde(default)]
    description: Option<String>,
}

#[derive(Debug, Default, Deserialize, Serialize, schemars::JsonSchema)]
pub struct Only {
    #[serde(default)]
    count: i64,
}

#[post("/items/")]
async fn create_item(item: Json<Item>) -> Json<Item> {
    item
}

#[get("/items/")]
async fn read_items() -> Json<Vec<Item>> {
    Json(vec![Item {
        name: "Portal Gun".into(),
        description: Some("Device to travel through the multi-rick-verse".into()),
    }])
}

#[get("/only")]
async fn only() -> Json<Only> {
    Json(Only::default())
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .separate_input_output_schemas(false)
        .route(create_item)
        .route(read_items)
        .route(only)
        .into_router()
}
