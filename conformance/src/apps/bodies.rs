//! Mirrors apps/bodies.py.

use std::collections::BTreeMap;

use ferroapi::{post, put, App, Json, Path, Query};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Item {
    #[garde(length(chars, min = 1, max = 20))]
    name: String,
    #[garde(custom(ferroapi::rules::gt(0.0)))]
    #[schemars(extend("exclusiveMinimum" = 0.0))]
    price: f64,
    #[serde(default)]
    #[garde(range(min = 0, max = 1000))]
    count: i64,
    #[serde(default)]
    #[garde(skip)]
    tags: Vec<String>,
    #[serde(default)]
    #[garde(skip)]
    description: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Customer {
    #[garde(skip)]
    name: String,
    #[garde(pattern(r"^[^@]+@[^@]+$"))]
    email: String,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Order {
    #[garde(dive)]
    customer: Customer,
    #[garde(length(min = 1, max = 3), dive)]
    items: Vec<Item>,
    #[serde(default)]
    #[garde(skip)]
    note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[serde(deny_unknown_fields)]
#[garde(allow_unvalidated)]
pub struct Strict {
    a: i64,
    #[serde(default)]
    b: bool,
}

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
pub struct User {
    id: i64,
    name: String,
}

#[post("/items")]
async fn create_item(item: Json<Item>) -> Json<Item> {
    item
}

#[put("/items/{item_id}")]
async fn update_item(
    item_id: Path<i64>,
    item: Json<Item>,
    q: Query<Option<String>>,
) -> Json<Value> {
    Json(json!({"item_id": item_id.0, "item": item.0, "q": q.0}))
}

#[post("/orders")]
async fn create_order(order: Json<Order>) -> Json<Value> {
    Json(json!({"customer": order.customer.name, "items": order.items.len()}))
}

#[post("/strict")]
async fn strict(s: Json<Strict>) -> Json<Strict> {
    s
}

#[post("/embed")]
async fn embed(#[param(embed)] item: Json<Item>) -> Json<Item> {
    item
}

#[post("/multi")]
async fn multi(item: Json<Item>, user: Json<User>) -> Json<Value> {
    Json(json!({"item": item.0.name, "user": user.0.id}))
}

#[post("/optional")]
async fn optional(item: Option<Json<Item>>) -> Json<Value> {
    Json(json!({"item": item.map(|i| i.0)}))
}

#[post("/list")]
async fn list_body(items: Json<Vec<Item>>) -> Json<Value> {
    Json(json!({"count": items.len()}))
}

// A map of plain values as the body: no newtype needed.
#[post("/scores")]
async fn scores(scores: Json<BTreeMap<String, i64>>) -> Json<Value> {
    Json(json!({"total": scores.values().sum::<i64>()}))
}

// A recursive model (pydantic stops at 255 levels).
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Tree {
    #[garde(skip)]
    value: i64,
    #[serde(default)]
    #[garde(dive)]
    children: Vec<Tree>,
}

fn depth(t: &Tree) -> usize {
    1 + t.children.iter().map(depth).max().unwrap_or(0)
}

#[post("/tree")]
async fn tree(t: Json<Tree>) -> Json<Value> {
    Json(json!({"depth": depth(&t)}))
}

// Scalar bodies: plain types, constraints on the parameter (`Body(gt=0)`).
#[post("/positive")]
async fn positive(#[param(gt = 0, le = 100)] n: Json<i64>) -> Json<Value> {
    Json(json!({"n": n.0}))
}

#[post("/code")]
async fn code(#[param(embed, min_length = 2, max_length = 4)] code: Json<String>) -> Json<Value> {
    Json(json!({"code": code.0}))
}

#[post("/prices")]
async fn prices(
    #[param(min_length = 1, max_length = 3)] prices: Json<BTreeMap<String, f64>>,
) -> Json<Value> {
    Json(json!({"count": prices.len()}))
}

pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(create_item)
        .route(update_item)
        .route(create_order)
        .route(strict)
        .route(embed)
        .route(multi)
        .route(optional)
        .route(list_body)
        .route(tree)
        .route(positive)
        .route(code)
        .route(scores)
        .route(prices)
        .into_router()
}
