//! Mirrors apps/statics.py.

use ferroapi::{get, App, Json, StaticFiles};
use serde_json::{json, Value};

const SITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/apps/static_site");

#[get("/api")]
async fn api() -> Json<Value> {
    Json(json!({"api": true}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .mount("/static", StaticFiles::new(SITE))
        .mount("/site", StaticFiles::new(SITE).html(true))
        .route(api)
        .into_router()
}
