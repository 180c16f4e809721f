//! Mirrors apps/special.py.

use ferroapi::{
    get, post, AnyUrl, App, Bytes, HttpUrl, Json, Query, SecretStr, Timedelta, Uuid1, Uuid4, Uuid5,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Account {
    login: String,
    password: SecretStr,
    #[serde(default)]
    token: Option<SecretStr>,
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Ids {
    #[serde(default)]
    v4: Option<Uuid4>,
    #[serde(default)]
    v1: Option<Uuid1>,
    #[serde(default)]
    v5: Option<Uuid5>,
}

#[post("/accounts")]
async fn accounts(a: Json<Account>) -> Json<Account> {
    a
}

#[post("/accounts/length")]
async fn length(a: Json<Account>) -> Json<Value> {
    Json(json!({"length": a.password.expose_secret().chars().count()}))
}

#[post("/ids")]
async fn ids(i: Json<Ids>) -> Json<Ids> {
    i
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Links {
    site: HttpUrl,
    #[serde(default)]
    other: Option<AnyUrl>,
}

#[post("/links")]
async fn links(l: Json<Links>) -> Json<Links> {
    l
}

// `@computed_field`: written, never read (serde skips it on input; the
// output schema marks it readOnly and required).
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Rect {
    w: f64,
    h: f64,
    #[serde(skip_deserializing)]
    area: f64,
}

#[post("/rects")]
async fn rects(r: Json<Rect>) -> Json<Rect> {
    let Rect { w, h, .. } = r.0;
    Json(Rect { w, h, area: w * h })
}

// `bytes`: text in and out; its length rule counts bytes.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Blob {
    data: Bytes,
    #[serde(default)]
    #[schemars(length(max = 3))]
    short: Option<Bytes>,
}

#[post("/blobs")]
async fn blobs(b: Json<Blob>) -> Json<Blob> {
    b
}

#[get("/go")]
async fn go(
    url: Query<HttpUrl>,
    id: Query<Option<Uuid4>>,
    wait: Query<Option<Timedelta>>,
) -> Json<Value> {
    Json(json!({
        "url": url.0,
        "id": id.0,
        "seconds": wait.0.map(|w| w.num_microseconds().unwrap_or(0) as f64 / 1e6),
    }))
}

pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(accounts)
        .route(length)
        .route(ids)
        .route(links)
        .route(rects)
        .route(blobs)
        .route(go)
        .into_router()
}
