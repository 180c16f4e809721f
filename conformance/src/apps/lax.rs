//! Mirrors apps/lax.py.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate};
use ferroapi::{post, App, Json};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

fn one() -> i64 {
    1
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Numbers {
    #[serde(default)]
    #[garde(skip)]
    i: i64,
    #[serde(default)]
    #[garde(skip)]
    f: f64,
    #[serde(default)]
    #[garde(skip)]
    b: bool,
    #[serde(default)]
    #[garde(skip)]
    s: String,
    #[serde(default)]
    #[garde(skip)]
    n: Option<i64>,
    #[serde(default = "one")]
    #[garde(range(min = 1, max = 10))]
    bounded: i64,
    #[serde(default)]
    #[garde(skip)]
    tags: Vec<i64>,
    #[serde(default)]
    #[garde(skip)]
    scores: BTreeMap<String, f64>,
}

// `StrictInt`, `StrictFloat`, `StrictBool`: strict fields.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Strictly {
    #[serde(default)]
    #[schemars(transform = ferroapi::strict)]
    i: i64,
    #[serde(default)]
    #[schemars(transform = ferroapi::strict)]
    f: f64,
    #[serde(default)]
    #[schemars(transform = ferroapi::strict)]
    b: bool,
    #[serde(default)]
    lax: i64,
}

// `dict[int, float]`: keys read as ints, errors at `[.., key, "[key]"]`.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Keyed {
    #[serde(default)]
    by_id: BTreeMap<i64, f64>,
    #[serde(default)]
    counts: BTreeMap<String, i64>,
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Inner {
    #[serde(default)]
    i: i64,
}

// `model_config = ConfigDict(strict=True)`: every field strict, a nested
// model keeps its own setting.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[schemars(transform = ferroapi::strict)]
#[garde(allow_unvalidated)]
pub struct StrictModel {
    #[serde(default)]
    i: i64,
    #[serde(default)]
    f: f64,
    #[serde(default)]
    b: bool,
    #[serde(default)]
    inner: Option<Inner>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct When {
    #[serde(default)]
    at: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    day: Option<NaiveDate>,
    #[serde(default)]
    id: Option<uuid::Uuid>,
}

#[post("/numbers")]
async fn numbers(body: Json<Numbers>) -> Json<Numbers> {
    body
}

#[post("/strict-fields")]
async fn strict_fields(body: Json<Strictly>) -> Json<Strictly> {
    body
}

#[post("/strict-model")]
async fn strict_model(body: Json<StrictModel>) -> Json<StrictModel> {
    body
}

#[post("/when")]
async fn when(body: Json<When>) -> Json<Value> {
    let at = body.at;
    Json(json!({
        "at": at.map(|t| t.timestamp_micros() as f64 / 1e6),
        "offset": at.map(|t| f64::from(t.offset().local_minus_utc())),
        "day": body.day.map(|d| d.num_days_from_ce()),
        "id": body.id.map(|u| u.hyphenated().to_string()),
    }))
}

#[post("/keyed")]
async fn keyed(body: Json<Keyed>) -> Json<Keyed> {
    body
}

pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(numbers)
        .route(strict_fields)
        .route(strict_model)
        .route(when)
        .route(keyed)
        .into_router()
}
