//! Mirrors apps/params.py.

use chrono::NaiveDate;
use ferroapi::{get, App, Cookie, Header, Json, ParamEnum, ParamModel, Path, Query};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema, ParamEnum)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    Red,

    Green,

    Blue,
}

#[derive(
    Debug,
    Clone,
    Copy,
    serde_repr::Deserialize_repr,
    serde_repr::Serialize_repr,
    schemars::JsonSchema_repr,
    ParamEnum,
)]
#[repr(u8)]
pub enum Level {
    Low = 1,

    Mid = 2,

    High = 3,
}

fn ten() -> i64 {
    10
}

fn red() -> Color {
    Color::Red
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, ParamModel)]
#[serde(deny_unknown_fields)]
pub struct Filters {
    #[serde(default = "ten")]
    limit: i64,
    #[serde(default)]
    offset: i64,
    #[serde(default = "red")]
    order: Color,
    #[serde(default)]
    tags: Vec<String>,
}

#[get("/items/{item_id}")]
async fn read_item(
    item_id: Path<i64>,
    q: Query<Option<String>>,
    #[param(default = 10)] limit: Query<i64>,
    #[param(default = false)] flag: Query<bool>,
) -> Json<Value> {
    Json(json!({"item_id": item_id.0, "q": q.0, "limit": limit.0, "flag": flag.0}))
}

#[get("/floats/{x}")]
async fn floats(x: Path<f64>, #[param(default = 1.5)] y: Query<f64>) -> Json<Value> {
    Json(json!({"x": x.0, "y": y.0}))
}

#[get("/colors/{color}")]
async fn colors(
    color: Path<Color>,
    #[param(default = Level::Low)] level: Query<Level>,
) -> Json<Value> {
    Json(json!({"color": color.0, "level": level.0}))
}

#[get("/uuids/{u}")]
async fn uuids(u: Path<uuid::Uuid>) -> Json<Value> {
    Json(json!({"u": u.0.to_string()}))
}

#[get("/dates")]
async fn dates(d: Query<NaiveDate>, dt: Query<Option<ferroapi::Datetime>>) -> Json<Value> {
    use ferroapi::datetime::PydanticText;
    // Python's plain `datetime`: naive or aware, as sent.
    Json(json!({
        "d": d.0.to_string(),
        "dt": dt.0.as_ref().map(PydanticText::isoformat),
    }))
}

// Python's `datetime`: naive or aware, as sent.
#[get("/aware")]
async fn aware(dt: Query<ferroapi::Datetime>) -> Json<Value> {
    use ferroapi::datetime::PydanticText;
    Json(json!({"dt": dt.0.isoformat()}))
}

#[get("/multi")]
async fn multi(
    #[param(default = Vec::new())] ids: Query<Vec<i64>>,
    tags: Query<Option<Vec<String>>>,
) -> Json<Value> {
    Json(json!({"ids": ids.0, "tags": tags.0}))
}

#[get("/headers")]
async fn headers(x_token: Header<String>, x_count: Header<Option<i64>>) -> Json<Value> {
    Json(json!({"x_token": x_token.0, "x_count": x_count.0}))
}

#[get("/cookies")]
async fn cookies(
    session: Cookie<String>,
    #[param(default = "light".to_string())] theme: Cookie<String>,
) -> Json<Value> {
    Json(json!({"session": session.0, "theme": theme.0}))
}

#[get("/alias")]
async fn alias(#[param(alias = "item-label")] item_label: Query<String>) -> Json<Value> {
    Json(json!({"item_label": item_label.0}))
}

#[get("/all/{a}")]
async fn all_sources(a: Path<i64>, b: Query<i64>, x_b: Header<i64>, c: Cookie<i64>) -> Json<Value> {
    Json(json!({"a": a.0, "b": b.0, "x_b": x_b.0, "c": c.0}))
}

#[get("/raw-headers")]
async fn raw_headers(
    #[param(convert_underscores = false)] x_raw: Header<Option<String>>,
    #[param(alias = "X_Under")] x_alias: Header<Option<String>>,
    plain_name: Header<Option<i64>>,
) -> Json<Value> {
    Json(json!([x_raw.0, x_alias.0, plain_name.0]))
}

#[get("/filters")]
async fn filters(f: Query<Filters>) -> Json<Filters> {
    Json(f.0)
}

fn hundred() -> i64 {
    100
}

fn half() -> f64 {
    0.5
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, ParamModel)]
pub struct Paging {
    #[serde(default = "hundred")]
    #[schemars(range(max = 100), extend("exclusiveMinimum" = 0))]
    limit: i64,
    #[serde(default)]
    #[schemars(range(min = 0))]
    offset: i64,
    #[serde(default)]
    #[schemars(length(max = 5))]
    q: String,
    #[serde(default = "half")]
    #[schemars(range(max = 1))]
    ratio: f64,
    #[serde(default)]
    #[schemars(length(max = 2))]
    tags: Vec<String>,
}

#[get("/paging")]
async fn paging(p: Query<Paging>) -> Json<Value> {
    Json(json!(p.0))
}

#[get("/unicode/{name}")]
async fn unicode(name: Path<String>) -> Json<Value> {
    Json(json!({"name": name.0, "len": name.0.chars().count()}))
}

pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(read_item)
        .route(floats)
        .route(colors)
        .route(uuids)
        .route(dates)
        .route(aware)
        .route(multi)
        .route(headers)
        .route(cookies)
        .route(alias)
        .route(all_sources)
        .route(filters)
        .route(paging)
        .route(unicode)
        .route(raw_headers)
        .into_router()
}
