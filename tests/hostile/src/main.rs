//! The server the hostile suite attacks: a few ordinary ferroapi routes (a
//! validated model, a recursive model, an untyped body, a slow route) served
//! by `App::serve`'s own loop, with its timeouts taken from the environment
//! so that tests can shorten them.
//!
//! Prints `listening on ADDR` once bound and `shutdown hook ran` from its
//! shut-down hook.
#![forbid(unsafe_code)]

use std::time::Duration;

use ferroapi::websocket::{WebSocketConfig, WebSocketError};
use ferroapi::{get, post, websocket, App, BackgroundTasks, Json, Query, ServerConfig, WebSocket};
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

/// `kb` KiB of text.
#[get("/big")]
async fn big(kb: Query<usize>) -> ferroapi::response::PlainText<String> {
    ferroapi::response::PlainText("x".repeat(kb.0.min(64 * 1024) * 1024))
}

/// Query parameters as a model.
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, ferroapi::ParamModel)]
pub struct Filter {
    #[serde(default)]
    limit: Option<u32>,
    #[serde(default)]
    tag: Vec<String>,
}

#[get("/filter")]
async fn filter(f: Query<Filter>) -> Json<usize> {
    Json(f.tag.len() + f.limit.unwrap_or(0) as usize)
}

/// Echoes every message back, as text or bytes.
#[websocket("/ws")]
async fn echo(mut ws: WebSocket) -> Result<(), WebSocketError> {
    loop {
        let m = ws.receive().await?;
        ws.send(m).await?;
    }
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
        http2_idle_timeout: ms("HOSTILE_H2_IDLE_MS", d.http2_idle_timeout),
        http2_max_concurrent_streams: d.http2_max_concurrent_streams,
        http2_max_header_list_size: d.http2_max_header_list_size,
        body_timeout: ms("HOSTILE_BODY_MS", d.body_timeout),
        send_timeout: ms("HOSTILE_SEND_MS", d.send_timeout),
        max_connections: std::env::var("HOSTILE_MAX_CONNECTIONS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(d.max_connections),
        shutdown_timeout: ms("HOSTILE_DRAIN_MS", d.shutdown_timeout),
    };
    let w = WebSocketConfig::DEFAULT;
    let optional = |name: &str, default: Option<Duration>| match std::env::var(name) {
        Ok(v) => v.parse().ok().map(Duration::from_millis),
        Err(_) => default,
    };
    let websocket = WebSocketConfig {
        ping_interval: optional("HOSTILE_WS_PING_MS", w.ping_interval),
        ping_timeout: optional("HOSTILE_WS_PING_TIMEOUT_MS", w.ping_timeout),
        message_timeout: ms("HOSTILE_WS_MESSAGE_MS", w.message_timeout),
        ..w
    };
    let app = App::new()
        .websocket_config(websocket)
        .route(echo)
        .route(filter)
        .route(big)
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
