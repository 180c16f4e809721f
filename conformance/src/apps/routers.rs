//! Mirrors apps/routers.py.

use ferroapi::{api_route, get, post, put, APIRouter, App, Json, Path};
use serde_json::{json, Value};

#[get("/")]
async fn list_items() -> Json<Value> {
    Json(json!(["a", "b"]))
}

#[get("/{item_id}")]
async fn get_item(item_id: Path<i64>) -> Json<Value> {
    Json(json!({"item_id": item_id.0}))
}

#[put("/{item_id}")]
async fn put_item(item_id: Path<i64>) -> Json<Value> {
    Json(json!({"put": item_id.0}))
}

#[post("/{item_id}/archive")]
async fn archive_item(item_id: Path<i64>) -> Json<Value> {
    Json(json!({"archived": item_id.0}))
}

#[get("/stats")]
async fn stats() -> Json<Value> {
    Json(json!({"users": 3}))
}

#[api_route("/reset", methods = [POST, DELETE])]
async fn reset() -> Json<Value> {
    Json(json!({"reset": true}))
}

#[get("/files/{file_path:path}")]
async fn files(file_path: Path<String>) -> Json<Value> {
    Json(json!({"file_path": file_path.0}))
}

#[get("/")]
async fn root() -> Json<Value> {
    Json(json!({"root": true}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    let items = APIRouter::new()
        .prefix("/items")
        .tag("items")
        .route(list_items)
        .route(get_item)
        .route(put_item)
        .route(archive_item);
    let admin = APIRouter::new()
        .prefix("/admin")
        .tag("admin")
        .route(stats)
        .route(reset);
    let v1 = APIRouter::new()
        .prefix("/v1")
        .route(files)
        .include_router(admin);
    App::new()
        .include_router(items)
        .include_router(v1)
        .route(root)
        .into_router()
}
