//! Mirrors apps/middleware.py.

use ferroapi::middleware::Cors;
use ferroapi::{get, App, Json, PlainText, ResponseHeaders};
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

#[get("/vary")]
async fn vary() -> (ResponseHeaders, PlainText<String>) {
    (
        ResponseHeaders::new().header("vary", "Cookie"),
        PlainText("z".repeat(300)),
    )
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .gzip(100)
        .cors(Cors::new().allow_origins(["https://a.example"]))
        .trusted_hosts(["testserver", "www.example.com", "*.example.org"])
        .route(small)
        .route(big)
        .route(text)
        .route(vary)
        .into_router()
}
