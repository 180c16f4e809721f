//! Mirrors apps/cors_any.py.

use ferroapi::middleware::Cors;
use ferroapi::{get, App, Json};
use serde_json::{json, Value};

#[get("/items")]
async fn items() -> Json<Value> {
    Json(json!(["a"]))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .cors(
            Cors::new()
                .allow_origins(["http://localhost:5173"])
                .allow_credentials(true)
                .allow_methods(["*"])
                .allow_headers(["*"]),
        )
        .route(items)
        .into_router()
}
