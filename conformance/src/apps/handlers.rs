//! Mirrors apps/handlers.py.

use ferroapi::axum::response::IntoResponse;
use ferroapi::http::StatusCode;
use ferroapi::{
    dependency, get, post, App, Depends, HTTPException, Header, Json, Path, Query,
    RequestValidationError,
};
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

#[dependency]
async fn token(x_token: Header<Option<String>>) -> Result<String, HTTPException> {
    match x_token.0 {
        Some(t) if t == "s" => Ok(t),
        _ => Err(HTTPException::new(401, "no token")),
    }
}

#[post("/guarded")]
async fn guarded(note: Json<Note>, Depends(_t): Depends<token>) -> Json<Note> {
    note
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(read_item)
        .route(create_note)
        .route(guarded)
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
