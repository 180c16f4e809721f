//! Mirrors apps/security.py.

use ferroapi::security::{
    APIKeyCookie, APIKeyHeader, APIKeyQuery, HTTPBasic, HTTPBearer, OAuth2Config,
    OAuth2PasswordBearer, OAuth2PasswordRequestForm,
};
use ferroapi::{get, post, App, Json};
use serde_json::{json, Value};

#[derive(Debug)]
pub struct Login;

impl OAuth2Config for Login {
    const TOKEN_URL: &'static str = "token";
}

#[post("/token")]
async fn login(form: OAuth2PasswordRequestForm) -> Json<Value> {
    Json(json!({"access_token": form.username, "token_type": "bearer", "scopes": form.scopes}))
}

#[get("/oauth")]
async fn oauth(token: OAuth2PasswordBearer<Login>) -> Json<Value> {
    Json(json!({"token": token.token()}))
}

#[get("/bearer")]
async fn http_bearer(creds: HTTPBearer) -> Json<Value> {
    Json(json!({"scheme": creds.0.scheme, "credentials": creds.0.credentials}))
}

#[get("/maybe-bearer")]
async fn maybe(creds: Option<HTTPBearer>) -> Json<Value> {
    Json(json!({"credentials": creds.map(|c| c.0.credentials)}))
}

#[get("/basic")]
async fn http_basic(creds: HTTPBasic) -> Json<Value> {
    Json(json!({"username": creds.0.username, "password": creds.0.password}))
}

#[get("/key-header")]
async fn api_key_header(#[param(alias = "x-api-key")] key: APIKeyHeader) -> Json<Value> {
    Json(json!({"key": key.0}))
}

#[get("/key-query")]
async fn api_key_query(#[param(alias = "api_key")] key: APIKeyQuery) -> Json<Value> {
    Json(json!({"key": key.0}))
}

#[get("/key-cookie")]
async fn api_key_cookie(#[param(alias = "session")] key: APIKeyCookie) -> Json<Value> {
    Json(json!({"key": key.0}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(login)
        .route(oauth)
        .route(http_bearer)
        .route(maybe)
        .route(http_basic)
        .route(api_key_header)
        .route(api_key_query)
        .route(api_key_cookie)
        .into_router()
}
