//! Mirrors apps/https.py.

use ferroapi::{get, App, Json};
use serde_json::{json, Value};

#[get("/x")]
async fn x() -> Json<Value> {
    Json(json!({"ok": true}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new().https_redirect().route(x).into_router()
}
