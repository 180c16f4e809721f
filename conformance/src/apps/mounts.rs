//! Mirrors apps/mounts.py: `App::mount(prefix, sub_app)`.

use ferroapi::axum::response::{IntoResponse, Response};
use ferroapi::http::StatusCode;
use ferroapi::{get, App, HTTPException, Json, Path};
use serde_json::{json, Value};

#[get("/app")]
async fn read_main() -> Json<Value> {
    Json(json!({"message": "Hello World from main app"}))
}

/// What the sub-application's item route raises: its own exception (with
/// a handler registered on the sub-application only) or an HTTPException.
#[derive(Debug)]
enum SubError {
    Teapot,
    Http(HTTPException),
}

impl IntoResponse for SubError {
    fn into_response(self) -> Response {
        match self {
            SubError::Teapot => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
            SubError::Http(e) => e.into_response(),
        }
    }
}

#[get("/sub")]
async fn read_sub() -> Json<Value> {
    Json(json!({"message": "Hello World from sub API"}))
}

#[get("/items/{item_id}")]
async fn read_sub_item(item_id: Path<i64>) -> Result<Json<Value>, SubError> {
    match item_id.0 {
        0 => Err(SubError::Teapot),
        1 => Err(SubError::Http(HTTPException::new(404, "No such item"))),
        n => Ok(Json(json!({"item_id": n}))),
    }
}

#[get("/slash/")]
async fn slash() -> Json<Value> {
    Json(json!({"slash": true}))
}

#[get("/data")]
async fn data() -> Json<Value> {
    Json(json!({"secure": true}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    let subapi = App::new()
        .title("FastAPI")
        .version("0.1.0")
        .exception_handler(|_, e: SubError| match e {
            SubError::Teapot => (
                StatusCode::IM_A_TEAPOT,
                Json(json!({"detail": "sub teapot"})),
            )
                .into_response(),
            SubError::Http(e) => e.into_response(),
        })
        .route(read_sub)
        .route(read_sub_item)
        .route(slash);
    let secure = App::new().https_redirect().route(data);
    App::new()
        .title("FastAPI")
        .version("0.1.0")
        .route(read_main)
        .mount("/subapi", subapi)
        .mount("/secure", secure)
        .into_router()
}
