//! Mirrors apps/responses.py.

use ferroapi::{
    delete, get, post, App, Html, Json, Path, PlainText, Query, Redirect, ResponseHeaders,
    SetCookie, Stream,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct UserIn {
    username: String,
    #[allow(dead_code)] // read from the client, never answered: the response model drops it
    password: String,
    #[serde(default)]
    full_name: Option<String>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct UserOut {
    username: String,
    full_name: Option<String>,
}

impl From<UserIn> for UserOut {
    fn from(u: UserIn) -> Self {
        UserOut {
            username: u.username,
            full_name: u.full_name,
        }
    }
}

#[post("/users", status_code = 201, response_model = UserOut)]
async fn create_user(user: Json<UserIn>) -> Json<UserIn> {
    user
}

#[delete("/users/{user_id}", status_code = 204)]
async fn delete_user(user_id: Path<i64>) {
    let _ = user_id;
}

#[get("/html")]
async fn html() -> Html<&'static str> {
    Html("<h1>Hello</h1>")
}

#[get("/text")]
async fn text() -> PlainText<&'static str> {
    PlainText("plain words")
}

#[get("/redirect")]
async fn redirect() -> Redirect {
    Redirect::to("/html")
}

#[get("/moved")]
async fn moved() -> Redirect {
    Redirect::to("/text").with_status(ferroapi::http::StatusCode::MOVED_PERMANENTLY)
}

#[get("/stream")]
async fn stream() -> Stream {
    let chunks = (0..3).map(|i| Ok::<_, std::io::Error>(format!("chunk{i}\n")));
    Stream::new(futures_util::stream::iter(chunks), "text/plain")
}

#[get("/headers")]
async fn headers() -> (ResponseHeaders, Json<Value>) {
    (
        ResponseHeaders::new()
            .header("x-cache", "miss")
            .cookie(SetCookie::new("session", "abc123").max_age(60).http_only()),
        Json(json!({"ok": true})),
    )
}

#[get("/cookie-value")]
async fn cookie_value(v: Query<String>) -> (ResponseHeaders, Json<Value>) {
    (
        ResponseHeaders::new().cookie(SetCookie::new("k", v.0)),
        Json(json!({"ok": true})),
    )
}

#[get("/nulls")]
async fn nulls() -> Json<Value> {
    Json(json!({"a": null, "b": [1, null], "c": {"d": null}}))
}

#[get("/numbers")]
async fn numbers() -> Json<Value> {
    Json(
        json!({"int": 3, "float": 2.5, "whole": 2.0, "neg": -7, "big": 12345678901234_i64, "small": 0.001}),
    )
}

#[get("/unicode")]
async fn unicode() -> Json<Value> {
    Json(json!({"text": "héllo wörld ✓ 日本"}))
}

#[get("/none")]
async fn none() {}

#[get("/users-list")]
async fn users_list() -> Json<Vec<UserOut>> {
    Json(vec![UserOut {
        username: "ann".into(),
        full_name: None,
    }])
}

#[get("/health")]
async fn health() -> Json<bool> {
    Json(true)
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Profile {
    username: String,
    email: Option<String>,
    nickname: Option<String>,
    extra: Option<UserOut>,
}

fn profiles() -> Vec<Profile> {
    vec![
        Profile {
            username: "ann".into(),
            email: Some("a@x.org".into()),
            nickname: None,
            extra: Some(UserOut {
                username: "ann2".into(),
                full_name: None,
            }),
        },
        Profile {
            username: "bob".into(),
            email: None,
            nickname: None,
            extra: None,
        },
    ]
}

#[get("/profiles/sparse", response_model_exclude_none = true)]
async fn profiles_sparse() -> Json<Vec<Profile>> {
    Json(profiles())
}

#[get("/profiles/names", response_model_include = ["username", "nickname"])]
async fn profile_names() -> Json<Profile> {
    Json(profiles().remove(0))
}

#[get("/profiles/public", response_model_exclude = ["email"])]
async fn profile_public() -> Json<Profile> {
    Json(profiles().remove(0))
}

#[get("/profiles/missing", response_model_exclude_none = true)]
async fn profile_missing() -> Result<Json<Profile>, ferroapi::HTTPException> {
    Err(ferroapi::HTTPException::new(404, "no profile"))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(create_user)
        .route(delete_user)
        .route(html)
        .route(text)
        .route(redirect)
        .route(moved)
        .route(stream)
        .route(headers)
        .route(cookie_value)
        .route(nulls)
        .route(numbers)
        .route(unicode)
        .route(none)
        .route(users_list)
        .route(health)
        .route(profiles_sparse)
        .route(profile_names)
        .route(profile_public)
        .route(profile_missing)
        .into_router()
}
