//! Mirrors apps/urls.py: `RequestUrl`, FastAPI's `request.url` and
//! `request.base_url`, in an app with a root path.

use ferroapi::{get, App, Json, Path, RequestUrl};
use serde_json::{json, Value};

#[get("/where/{rest:path}")]
async fn where_am_i(rest: Path<String>, url: RequestUrl) -> Json<Value> {
    Json(json!({
        "rest": rest.0,
        "url": url.as_str(),
        "path": url.path(),
        "query": url.query(),
        "base_url": url.base_url(),
    }))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new().root_path("/api").route(where_am_i).into_router()
}
