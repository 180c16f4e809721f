//! Mirrors apps/literals.py.

use ferroapi::{get, post, App, Json, ParamEnum, ParamModel, Path, Query};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

// `Literal["fast", "slow"]`
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema, ParamEnum)]
#[serde(rename_all = "lowercase")]
#[schemars(inline, transform = ferroapi::literal)]
pub enum Mode {
    Fast,
    Slow,
}

// `Literal[1, 2, 3]`
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
#[schemars(inline, transform = ferroapi::literal)]
pub enum Level {
    One = 1,
    Two = 2,
    Three = 3,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema, ParamEnum)]
#[serde(rename_all = "lowercase")]
#[schemars(inline, transform = ferroapi::literal)]
pub enum Kind {
    A,
    B,
}

// `class Color(str, Enum)`: a component, and `enum` errors.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema, ParamEnum)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    Red,
    Green,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline, transform = ferroapi::literal)]
pub enum Side {
    Buy,
    Sell,
}

#[derive(
    Debug,
    Clone,
    Copy,
    serde_repr::Deserialize_repr,
    serde_repr::Serialize_repr,
    schemars::JsonSchema_repr,
)]
#[repr(u8)]
#[schemars(inline, transform = ferroapi::literal)]
pub enum Size {
    One = 1,
    Five = 5,
    Ten = 10,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline, transform = ferroapi::literal)]
pub enum Tif {
    Day,
    Gtc,
}

fn size_one() -> Size {
    Size::One
}

fn red() -> Color {
    Color::Red
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct Order {
    side: Side,
    #[serde(default = "size_one")]
    size: Size,
    #[serde(default)]
    tif: Option<Tif>,
    #[serde(default = "red")]
    color: Color,
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(inline, transform = ferroapi::literal)]
pub enum Sort {
    Asc,
    Desc,
}

fn asc() -> Sort {
    Sort::Asc
}

fn ten() -> i64 {
    10
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, ParamModel)]
pub struct Listing {
    #[serde(default = "asc")]
    sort: Sort,
    #[serde(default = "ten")]
    limit: i64,
}

#[get("/items")]
fn items(
    #[param(default = Mode::Fast)] mode: Query<Mode>,
    #[param(default = Level::One)] level: Query<Level>,
) -> Json<Value> {
    Json(json!({"mode": mode.0, "level": level.0}))
}

#[get("/kinds/{kind}")]
fn kinds(kind: Path<Kind>) -> Json<Value> {
    Json(json!({"kind": kind.0}))
}

#[get("/colors")]
fn colors(color: Query<Color>) -> Json<Value> {
    Json(json!({"color": color.0}))
}

#[post("/orders")]
fn orders(order: Json<Order>) -> Json<Order> {
    order
}

#[get("/listing")]
fn listing(q: Query<Listing>) -> Json<Value> {
    Json(json!({"sort": q.sort, "limit": q.limit}))
}

pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(items)
        .route(kinds)
        .route(colors)
        .route(orders)
        .route(listing)
        .into_router()
}
