//! Mirrors apps/middleware.py.

use ferroapi::{get, App, Json, PlainText};
use serde_json::{json, Value};

#[get("/small")]
async fn small() -> Json<Value> {
    Json(json!({"ok": true}))
}

#[get("/big")]
async fn big() -> Json<Value> {
    Json(json!({"data": "x".repeat(500)}))
}

#[get("/text")]
async fn text() -> PlainText<String> {
    PlainText("y".repeat(300))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .gzip(100)
        .trusted_hosts(["testserver", "www.example.com", "*.example.org"])
        .route(small)
        .route(big)
        .route(text)
        .into_router()
}
