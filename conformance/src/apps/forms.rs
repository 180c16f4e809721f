//! Mirrors apps/forms.py.

use ferroapi::{post, App, Form, Json, ParamModel, UploadFile};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[post("/login")]
async fn login(
    username: Form<String>,
    #[param(min_length = 3)] password: Form<String>,
    #[param(default = false)] remember: Form<bool>,
) -> Json<Value> {
    Json(json!({
        "username": username.0,
        "password_len": password.0.chars().count(),
        "remember": remember.0,
    }))
}

#[post("/profile")]
async fn profile(
    age: Form<i64>,
    #[param(default = 1.7)] height: Form<f64>,
    nickname: Form<Option<String>>,
) -> Json<Value> {
    Json(json!({"age": age.0, "height": height.0, "nickname": nickname.0}))
}

#[post("/upload")]
async fn upload(
    file: UploadFile,
    #[param(default = "none".to_string())] note: Form<String>,
) -> Json<Value> {
    let size = file.bytes().await.map(|b| b.len()).unwrap_or(0);
    Json(json!({
        "filename": file.filename(),
        "content_type": file.content_type(),
        "size": size,
        "note": note.0,
    }))
}

#[post("/maybe-upload")]
async fn maybe_upload(file: Option<UploadFile>) -> Json<Value> {
    match file {
        None => Json(json!({"file": null})),
        Some(f) => {
            let size = f.bytes().await.map(|b| b.len()).unwrap_or(0);
            Json(json!({"file": f.filename(), "size": size}))
        }
    }
}

#[post("/uploads")]
async fn uploads(files: Vec<UploadFile>) -> Json<Value> {
    let names: Vec<&str> = files.iter().map(UploadFile::filename).collect();
    Json(json!({"names": names}))
}

// A form model with constraints.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, ParamModel)]
pub struct Signup {
    #[schemars(length(min = 3, max = 8))]
    username: String,
    #[schemars(range(min = 18))]
    age: i64,
}

#[post("/signup")]
async fn signup(data: Form<Signup>) -> Json<Value> {
    Json(json!(data.0))
}

#[post("/described")]
async fn described(
    #[param(description = "The document to store")] file: UploadFile,
    #[param(description = "Its title", max_length = 20)] title: Form<String>,
) -> Json<Value> {
    Json(json!({"file": file.filename(), "title": title.0}))
}

#[post("/form-bytes")]
async fn form_bytes(#[param(max_length = 5)] data: Form<ferroapi::Bytes>) -> Json<Value> {
    Json(json!({"size": data.0.len()}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(login)
        .route(profile)
        .route(upload)
        .route(maybe_upload)
        .route(uploads)
        .route(signup)
        .route(described)
        .route(form_bytes)
        .into_router()
}
