//! Mirrors apps/schemes.py: the security classes' options as parameter
//! options (`scheme_name`, `description`, `realm`, `bearer_format`) and
//! config constants (OAuth2's `REFRESH_URL`, `DESCRIPTION`).

use ferroapi::security::{
    APIKeyCookie, APIKeyHeader, APIKeyQuery, HTTPBasic, HTTPBearer, OAuth2Config,
    OAuth2PasswordBearer,
};
use ferroapi::{get, App, Json};
use serde_json::{json, Value};

#[derive(Debug)]
pub struct Password;

impl OAuth2Config for Password {
    const TOKEN_URL: &'static str = "token";
    const SCOPES: &'static [(&'static str, &'static str)] = &[("read", "Read things")];
    const SCHEME_NAME: &'static str = "Password";
    const REFRESH_URL: Option<&'static str> = Some("refresh");
    const DESCRIPTION: Option<&'static str> = Some("OAuth2 password flow");
}

#[get("/bearer")]
async fn with_bearer(
    #[param(
        scheme_name = "JWT",
        description = "A JWT from /token",
        bearer_format = "JWT"
    )]
    c: HTTPBearer,
) -> Json<Value> {
    Json(json!({"scheme": c.0.scheme, "credentials": c.0.credentials}))
}

#[get("/basic")]
async fn with_basic(
    #[param(
        realm = "simple",
        scheme_name = "Basic auth",
        description = "Username and password"
    )]
    c: HTTPBasic,
) -> Json<Value> {
    Json(json!({"username": c.0.username, "password": c.0.password}))
}

#[get("/maybe-basic")]
async fn maybe_basic(c: Option<HTTPBasic>) -> Json<Value> {
    Json(json!({"username": c.map(|c| c.0.username)}))
}

#[get("/key")]
async fn with_key(
    #[param(
        alias = "X-API-Key",
        description = "Your key",
        scheme_name = "ApiKeyAuth"
    )]
    k: APIKeyHeader,
) -> Json<Value> {
    Json(json!({"key": k.0}))
}

#[get("/maybe-key")]
async fn with_maybe_key(#[param(alias = "Token")] k: Option<APIKeyQuery>) -> Json<Value> {
    Json(json!({"key": k.map(|k| k.0)}))
}

#[get("/cookie")]
async fn with_cookie(
    #[param(alias = "Session-Id", scheme_name = "session")] k: APIKeyCookie,
) -> Json<Value> {
    Json(json!({"key": k.0}))
}

#[get("/oauth")]
async fn with_oauth(#[param(scopes = ["read"])] t: OAuth2PasswordBearer<Password>) -> Json<Value> {
    Json(json!({"token": t.token()}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(with_bearer)
        .route(with_basic)
        .route(maybe_basic)
        .route(with_key)
        .route(with_maybe_key)
        .route(with_cookie)
        .route(with_oauth)
        .into_router()
}
