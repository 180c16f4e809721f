//! Chapter "WebSockets".

use ferroapi::websocket::WebSocketError;
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

/// The chapter's app.
pub fn app() -> App {
    App::new().route(room)
}

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
}
