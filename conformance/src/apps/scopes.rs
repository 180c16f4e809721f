//! Mirrors apps/scopes.py.

use ferroapi::security::{
    OAuth2AuthorizationCodeBearer, OAuth2CodeConfig, OAuth2Config, OAuth2PasswordBearer,
    OpenIdConnect, OpenIdConnectConfig, SecurityScopes,
};
use ferroapi::{dependency, get, App, Depends, HTTPException, Json};
use serde_json::{json, Value};

#[derive(Debug)]
struct Login;

impl OAuth2Config for Login {
    const TOKEN_URL: &'static str = "token";
    const SCOPES: &'static [(&'static str, &'static str)] = &[
        ("me", "Read yourself"),
        ("items", "Read items"),
        ("admin", "Administer"),
    ];
}

#[derive(Debug)]
struct Id;

impl OpenIdConnectConfig for Id {
    const URL: &'static str = "https://id.example.com/.well-known/openid-configuration";
}

#[derive(Debug)]
struct Code;

impl OAuth2CodeConfig for Code {
    const AUTHORIZATION_URL: &'static str = "https://id.example.com/authorize";
    const TOKEN_URL: &'static str = "https://id.example.com/token";
    const REFRESH_URL: Option<&'static str> = Some("https://id.example.com/refresh");
    const SCOPES: &'static [(&'static str, &'static str)] = &[("read", "Read")];
}

/// The token is `name:scope,scope`: the granted scopes.
#[dependency]
async fn current_user(
    security_scopes: SecurityScopes,
    token: OAuth2PasswordBearer<Login>,
) -> Result<Value, HTTPException> {
    let (name, granted) = token.0.split_once(':').unwrap_or((&token.0, ""));
    let granted: Vec<&str> = granted.split(',').filter(|s| !s.is_empty()).collect();
    let challenge = if security_scopes.scopes.is_empty() {
        "Bearer".to_string()
    } else {
        format!("Bearer scope=\"{}\"", security_scopes.scope_str())
    };
    if let Some(_missing) = security_scopes
        .scopes
        .iter()
        .find(|s| !granted.contains(&s.as_str()))
    {
        return Err(
            HTTPException::new(401, "Not enough permissions").header("www-authenticate", challenge)
        );
    }
    Ok(json!({"name": name, "required": security_scopes.scopes}))
}

#[dependency]
async fn active_user(#[param(scopes = ["me"])] Depends(user): Depends<current_user>) -> Value {
    user
}

#[get("/plain")]
async fn plain(Depends(user): Depends<current_user>) -> Json<Value> {
    Json(user)
}

#[get("/me")]
async fn me(#[param(scopes = ["me"])] Depends(user): Depends<current_user>) -> Json<Value> {
    Json(user)
}

#[get("/me/items")]
async fn my_items(#[param(scopes = ["items"])] Depends(user): Depends<active_user>) -> Json<Value> {
    Json(user)
}

#[get("/admin")]
async fn admin(#[param(scopes = ["admin"])] Depends(user): Depends<current_user>) -> Json<Value> {
    Json(user)
}

#[get("/route-scopes")]
async fn route_scopes(security_scopes: SecurityScopes) -> Json<Value> {
    Json(json!({"scopes": security_scopes.scopes, "scope_str": security_scopes.scope_str()}))
}

#[get("/oidc")]
async fn openid(authorization: OpenIdConnect<Id>) -> Json<Value> {
    Json(json!({"authorization": authorization.0}))
}

#[get("/maybe-oidc")]
async fn maybe_openid(authorization: Option<OpenIdConnect<Id>>) -> Json<Value> {
    Json(json!({"authorization": authorization.map(|a| a.0)}))
}

#[get("/code")]
async fn code_token(token: OAuth2AuthorizationCodeBearer<Code>) -> Json<Value> {
    Json(json!({"token": token.0}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(plain)
        .route(me)
        .route(my_items)
        .route(admin)
        .route(route_scopes)
        .route(openid)
        .route(maybe_openid)
        .route(code_token)
        .into_router()
}
