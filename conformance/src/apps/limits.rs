//! Mirrors apps/limits.py: body limits on the app, a router and routes (the
//! innermost wins), `strict_content_type = false` on a router, form limits.

use std::collections::HashMap;

use ferroapi::{post, APIRouter, App, Form, FormLimits, Json, UploadFile};
use serde_json::{json, Value};

#[post("/echo")]
async fn echo(data: Json<HashMap<String, Value>>) -> Json<Value> {
    Json(json!(data.0))
}

#[post("/small", max_body_size = 8)]
async fn small(data: Json<HashMap<String, Value>>) -> Json<Value> {
    Json(json!(data.0))
}

#[post("/large", max_body_size = 4096)]
async fn large(data: Json<HashMap<String, Value>>) -> Json<Value> {
    Json(json!({"keys": data.0.len()}))
}

#[post("/echo")]
async fn loose_echo(data: Json<HashMap<String, Value>>) -> Json<Value> {
    Json(json!(data.0))
}

#[post("/echo")]
async fn roomy_echo(data: Json<HashMap<String, Value>>) -> Json<Value> {
    Json(json!({"keys": data.0.len()}))
}

#[post("/tiny", max_body_size = 4)]
async fn roomy_tiny(data: Json<HashMap<String, Value>>) -> Json<Value> {
    Json(json!(data.0))
}

#[post(
    "/form",
    max_body_size = 4096,
    form_limits = FormLimits::new().max_fields(2).max_part_size(1024)
)]
async fn limited_form(
    a: Form<String>,
    #[param(default = String::new())] b: Form<String>,
) -> Json<Value> {
    Json(json!({"a": a.0, "b": b.0}))
}

#[post("/upload", max_body_size = 4096, form_limits = FormLimits::new().max_files(1))]
async fn limited_upload(files: Vec<UploadFile>) -> Json<Value> {
    Json(json!({"count": files.len()}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    let loose = APIRouter::new()
        .prefix("/loose")
        .strict_content_type(false)
        .max_body_size(32)
        .route(loose_echo);
    let roomy = APIRouter::new()
        .prefix("/roomy")
        .max_body_size(1024)
        .route(roomy_echo)
        .route(roomy_tiny);
    App::new()
        .max_body_size(64)
        .route(echo)
        .route(small)
        .route(large)
        .route(limited_form)
        .route(limited_upload)
        .include_router(loose)
        .include_router(roomy)
        .into_router()
}
