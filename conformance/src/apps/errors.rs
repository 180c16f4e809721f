//! Mirrors apps/errors.py.

use ferroapi::axum::response::{IntoResponse, Response};
use ferroapi::http::StatusCode;
use ferroapi::{delete, get, App, HTTPException, Json, Path};
use serde_json::{json, Value};

#[derive(Debug)]
pub struct TeapotError(String);

impl IntoResponse for TeapotError {
    fn into_response(self) -> Response {
        StatusCode::INTERNAL_SERVER_ERROR.into_response()
    }
}

#[get("/items/{item_id}")]
async fn read_item(item_id: Path<i64>) -> Result<Json<Value>, HTTPException> {
    match item_id.0 {
        0 => Err(HTTPException::new(404, "Item not found").header("x-error", "missing-item")),
        1 => Err(HTTPException::new(
            400,
            json!({"code": "bad", "fields": ["a", "b"]}),
        )),
        2 => Err(HTTPException::new(409, json!(["conflict", 2]))),
        3 => Err(HTTPException::from_status(StatusCode::FORBIDDEN)),
        n => Ok(Json(json!({"item_id": n}))),
    }
}

#[delete("/items/{item_id}")]
async fn delete_item(item_id: Path<i64>) -> Json<Value> {
    Json(json!({"deleted": item_id.0}))
}

#[get("/teapot/{name}")]
async fn teapot(name: Path<String>) -> Result<Json<Value>, TeapotError> {
    Err(TeapotError(name.0))
}

#[get("/boom")]
async fn boom() -> Json<Value> {
    panic!("boom")
}

#[get("/slash/")]
async fn slash() -> Json<Value> {
    Json(json!({"slash": true}))
}

#[get("/noslash")]
async fn noslash() -> Json<Value> {
    Json(json!({"slash": false}))
}

pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(read_item)
        .route(delete_item)
        .route(teapot)
        .route(boom)
        .route(slash)
        .route(noslash)
        .exception_handler(|_, e: TeapotError| {
            (
                StatusCode::IM_A_TEAPOT,
                ferroapi::Json(json!({"message": format!("{} is a teapot", e.0)})),
            )
                .into_response()
        })
        .into_router()
}
