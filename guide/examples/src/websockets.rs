//! Chapter "WebSockets".

use std::time::Duration;

use ferroapi::websocket::{WebSocketConfig, WebSocketError};
use ferroapi::{websocket, App, Path, Query, WebSocket};

// ANCHOR: ws
/// Echoes each text back, numbered; `?shout=true` upper-cases it.
#[websocket("/rooms/{room}/ws")]
async fn room(
    mut ws: WebSocket,
    room: Path<String>,
    #[param(default = false)] shout: Query<bool>,
) -> Result<(), WebSocketError> {
    let mut n = 0;
    loop {
        let text = ws.receive_text().await?;
        n += 1;
        let text = if *shout { text.to_uppercase() } else { text };
        ws.send_text(format!("{}#{n}: {text}", room.0)).await?;
    }
}
// ANCHOR_END: ws

// ANCHOR: limits
/// Small messages only, and a quiet client is pinged every 10 s.
const UPLOADS: WebSocketConfig = WebSocketConfig {
    max_message_size: 64 * 1024,
    ping_interval: Some(Duration::from_secs(10)),
    ..WebSocketConfig::DEFAULT
};

/// Counts the bytes of each message.
#[websocket("/measure", config = UPLOADS)]
async fn measure(mut ws: WebSocket) -> Result<(), WebSocketError> {
    loop {
        let data = ws.receive_bytes().await?;
        ws.send_text(data.len().to_string()).await?;
    }
}

/// The chapter's app: every other websocket gets uvicorn's bounds, with
/// messages up to 1 MiB.
pub fn app() -> App {
    App::new()
        .websocket_config(WebSocketConfig {
            max_message_size: 1024 * 1024,
            ..WebSocketConfig::DEFAULT
        })
        .route(room)
        .route(measure)
}
// ANCHOR_END: limits

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::{SinkExt, StreamExt};
    use tokio_tungstenite::tungstenite::Message;

    #[tokio::test]
    async fn echo_over_a_real_socket() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app().serve_until(listener, async move {
            let _ = stopped.await;
        }));
        let url = format!("ws://{addr}/rooms/poetry/ws?shout=true");
        let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
        ws.send(Message::text("hello")).await.unwrap();
        let reply = ws.next().await.unwrap().unwrap();
        assert_eq!(reply.into_text().unwrap().as_str(), "poetry#1: HELLO");
        drop(ws);
        let _ = stop.send(());
        server.await.unwrap().unwrap();
    }

    #[tokio::test]
    async fn a_message_past_the_routes_limit_closes_with_1009() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app().serve_until(listener, async move {
            let _ = stopped.await;
        }));
        let (mut ws, _) = tokio_tungstenite::connect_async(format!("ws://{addr}/measure"))
            .await
            .unwrap();
        ws.send(Message::binary(vec![0u8; 1000])).await.unwrap();
        let reply = ws.next().await.unwrap().unwrap();
        assert_eq!(reply.into_text().unwrap().as_str(), "1000");
        ws.send(Message::binary(vec![0u8; 100_000])).await.unwrap();
        match ws.next().await {
            Some(Ok(Message::Close(Some(frame)))) => assert_eq!(u16::from(frame.code), 1009),
            other => panic!("expected a close frame, got {other:?}"),
        }
        drop(ws);
        let _ = stop.send(());
        server.await.unwrap().unwrap();
    }
}
