//! The server the hostile suite attacks: a few ordinary ferroapi routes (a
//! validated model, a recursive model, an untyped body, a slow route) served
//! by `App::serve`'s own loop, with its timeouts taken from the environment
//! so that tests can shorten them.
//!
//! Prints `listening on ADDR` once bound and `shutdown hook ran` from its
//! shut-down hook.
#![forbid(unsafe_code)]

use std::time::Duration;

use ferroapi::{get, post, App, BackgroundTasks, Json, Query, ServerConfig};
use serde::{Deserialize, Serialize};

/// An ordinary validated body.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Item {
    #[garde(length(chars, min = 1, max = 50))]
    name: String,
    #[garde(custom(ferroapi::rules::gt(0.0)))]
    #[schemars(extend("exclusiveMinimum" = 0.0))]
    price: f64,
    #[serde(default)]
    #[garde(length(max = 10))]
    tags: Vec<String>,
}

/// A recursive body: the schema walker follows it as deep as the input goes.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Tree {
    #[garde(skip)]
    value: i64,
    #[serde(default)]
    #[garde(dive)]
    children: Vec<Tree>,
}

#[post("/items")]
async fn create_item(item: Json<Item>) -> Json<Item> {
    item
}

#[post("/tree")]
async fn tree(t: Json<Tree>) -> Json<serde_json::Value> {
    fn depth(t: &Tree) -> usize {
        1 + t.children.iter().map(depth).max().unwrap_or(0)
    }
    Json(serde_json::json!({"depth": depth(&t)}))
}

/// A body with an untyped part (FastAPI's `Any`).
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct Anything {
    #[garde(skip)]
    payload: serde_json::Value,
}

#[post("/any")]
async fn any(v: Json<Anything>) -> Json<serde_json::Value> {
    Json(serde_json::json!({"kind": match &v.payload {
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
        _ => "scalar",
    }}))
}

/// Answers after `ms` milliseconds.
#[get("/slow")]
async fn slow(ms: Query<u64>) -> Json<&'static str> {
    tokio::time::sleep(Duration::from_millis(*ms)).await;
    Json("done")
}

/// Answers at once, then works `ms` milliseconds in the background.
#[post("/later")]
async fn later(ms: Query<u64>, tasks: BackgroundTasks) -> Json<&'static str> {
    let ms = *ms;
    tasks.add(async move {
        tokio::time::sleep(Duration::from_millis(ms)).await;
        println!("background task done");
    });
    Json("accepted")
}

fn ms(name: &str, default: Duration) -> Duration {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .map(Duration::from_millis)
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> Result<(), ferroapi::Error> {
    let d = ServerConfig::default();
    let config = ServerConfig {
        header_timeout: ms("HOSTILE_HEADER_MS", d.header_timeout),
        keep_alive_timeout: ms("HOSTILE_KEEPALIVE_MS", d.keep_alive_timeout),
        body_timeout: ms("HOSTILE_BODY_MS", d.body_timeout),
        max_connections: std::env::var("HOSTILE_MAX_CONNECTIONS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d.max_connections),
        shutdown_timeout: ms("HOSTILE_DRAIN_MS", d.shutdown_timeout),
    };
    let app = App::new()
        .route(create_item)
        .route(tree)
        .route(any)
        .route(slow)
        .route(later)
        .server_config(config)
        .on_shutdown(|| async {
            println!("shutdown hook ran");
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    println!("listening on {}", listener.local_addr()?);
    app.serve_until(listener, ferroapi::termination()).await?;
    println!("exited cleanly");
    Ok(())
}
