//! Mirrors apps/handlers.py.

use ferroapi::axum::response::IntoResponse;
use ferroapi::http::StatusCode;
use ferroapi::{get, post, App, HTTPException, Json, Path, Query, RequestValidationError};
use serde_json::{json, Value};

#[get("/items/{item_id}")]
async fn read_item(
    item_id: Path<i64>,
    #[param(default = 0)] q: Query<i64>,
) -> Result<Json<Value>, HTTPException> {
    if item_id.0 == 0 {
        return Err(HTTPException::new(404, "gone"));
    }
    Ok(Json(json!({"item_id": item_id.0, "q": q.0})))
}

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
struct Note {
    #[garde(skip)]
    text: String,
}

#[post("/notes")]
async fn create_note(note: Json<Note>) -> Json<Note> {
    note
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(read_item)
        .route(create_note)
        .exception_handler(|_, e: RequestValidationError| {
            let first = e.errors()[0].kind.to_string();
            (
                StatusCode::BAD_REQUEST,
                ferroapi::Json(json!({"errors": e.errors().len(), "first": first})),
            )
                .into_response()
        })
        .exception_handler(|parts, e: HTTPException| {
            (
                e.status(),
                ferroapi::Json(json!({"error": e.detail(), "path": parts.uri.path()})),
            )
                .into_response()
        })
        .into_router()
}
