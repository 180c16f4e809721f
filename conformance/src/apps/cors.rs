//! Mirrors apps/cors.py.

use ferroapi::middleware::Cors;
use ferroapi::{get, post, App, Json};
use serde_json::{json, Value};

#[get("/items")]
async fn items() -> Json<Value> {
    Json(json!(["a"]))
}

#[post("/items")]
async fn create() -> Json<Value> {
    Json(json!({"created": true}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(items)
        .route(create)
        .cors(
            Cors::new()
                .allow_origins(["https://app.example.com", "http://localhost:5173"])
                .allow_origin_regex(r"https://[a-z0-9-]+\.preview\.example\.com")
                .allow_methods(["GET", "POST", "DELETE"])
                .allow_headers(["authorization", "content-type"])
                .allow_credentials(true)
                .expose_headers(["x-total"]),
        )
        .into_router()
}
