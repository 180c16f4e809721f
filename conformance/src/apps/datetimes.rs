//! Mirrors apps/datetimes.py.

use chrono::{NaiveDate, TimeZone, Utc};
use ferroapi::{get, post, App, Datetime, Json, Timedelta};
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Times {
    // Python's plain `datetime`: naive or aware, as sent.
    at: Datetime,
    #[serde(default)]
    naive: Option<Datetime>,
    #[serde(default)]
    day: Option<NaiveDate>,
    #[serde(default)]
    wait: Option<Timedelta>,
}

#[post("/times")]
async fn times(t: Json<Times>) -> Json<Times> {
    t
}

#[get("/fixed")]
async fn fixed() -> Json<Times> {
    let at =
        Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap() + chrono::TimeDelta::milliseconds(120);
    Json(Times {
        at: Datetime::Aware(at.fixed_offset()),
        naive: NaiveDate::from_ymd_opt(2024, 1, 2)
            .and_then(|d| d.and_hms_micro_opt(3, 4, 5, 7))
            .map(Datetime::Naive),
        day: NaiveDate::from_ymd_opt(2024, 2, 29),
        wait: Some(Timedelta(chrono::TimeDelta::hours(-45))),
    })
}

pub fn app() -> ferroapi::axum::Router {
    App::new().route(times).route(fixed).into_router()
}
