//! Mirrors apps/streams.py: generator routes as `JsonLines<T>` and
//! `EventStream<Json<T>>`.

use ferroapi::{get, App, EventStream, Json, JsonLines, Query};
use futures_util::stream;
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Item {
    name: String,
    price: f64,
}

#[get("/items/stream")]
async fn stream_items() -> JsonLines<Item> {
    JsonLines::new(stream::iter((0..3).map(|i| Item {
        name: format!("item{i}"),
        price: f64::from(i) + 0.5,
    })))
}

#[get("/numbers/stream")]
async fn numbers(#[param(default = 3)] n: Query<i64>) -> JsonLines<i64> {
    JsonLines::new(stream::iter(0..n.0))
}

#[get("/any/stream")]
async fn any_stream() -> JsonLines<Value> {
    JsonLines::new(stream::iter([json!({"a": 1}), json!([1, "two", null])]))
}

#[get("/events")]
async fn events() -> EventStream<Json<Item>> {
    EventStream::json(stream::iter([
        Item {
            name: "a".into(),
            price: 1.0,
        },
        Item {
            name: "b".into(),
            price: 2.5,
        },
    ]))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(stream_items)
        .route(numbers)
        .route(any_stream)
        .route(events)
        .into_router()
}
