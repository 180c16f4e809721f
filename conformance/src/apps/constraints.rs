//! Mirrors apps/constraints.py.

use ferroapi::{get, App, Json, Path, Query};
use serde_json::{json, Value};

#[get("/bounded/{n}")]
async fn bounded(
    #[param(gt = 0, le = 100)] n: Path<i64>,
    #[param(default = 5, ge = 1, lt = 10)] m: Query<i64>,
) -> Json<Value> {
    Json(json!({"n": n.0, "m": m.0}))
}

#[get("/ratio/{x}")]
async fn ratio(
    #[param(gt = 0, lt = 1)] x: Path<f64>,
    #[param(default = 0.5, multiple_of = 0.25)] step: Query<f64>,
) -> Json<Value> {
    Json(json!({"x": x.0, "step": step.0}))
}

#[get("/even")]
async fn even(#[param(multiple_of = 2)] n: Query<i64>) -> Json<Value> {
    Json(json!({"n": n.0}))
}

#[get("/names")]
async fn names(
    #[param(min_length = 2, max_length = 8)] name: Query<String>,
    #[param(pattern = "^[A-Z]{3}$")] code: Query<Option<String>>,
) -> Json<Value> {
    Json(json!({"name": name.0, "code": code.0}))
}

#[get("/tags")]
async fn tags(#[param(min_length = 1, max_length = 3)] t: Query<Vec<String>>) -> Json<Value> {
    Json(json!({"t": t.0}))
}

#[get("/username/{username}")]
async fn username(#[param(pattern = "^[a-z0-9_]{3,16}$")] username: Path<String>) -> Json<Value> {
    Json(json!({"username": username.0}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(bounded)
        .route(ratio)
        .route(even)
        .route(names)
        .route(tags)
        .route(username)
        .into_router()
}
