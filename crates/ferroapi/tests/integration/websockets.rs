//! WebSockets over a real socket: parameters validated before the connection
//! is accepted, FastAPI's close codes, teardown once the connection ends.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ferroapi::extract::Yield;
use ferroapi::websocket::{close_code, WebSocketError};
use ferroapi::{
    dependency, get, websocket, App, Depends, Exit, Path, Query, State, TestClient, WebSocket,
    WebSocketException,
};
use futures_util::{SinkExt, StreamExt};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

#[dependency]
async fn user(token: Query<String>) -> Result<String, WebSocketException> {
    if token.0 == "bad" {
        return Err(WebSocketException::new(4001, "bad token"));
    }
    Ok(format!("user-{}", token.0))
}

#[dependency]
async fn tracked(State(log): State<Log>) -> Yield<()> {
    log.0.lock().unwrap().push("open".into());
    Yield::new((), move |exit: Exit| async move {
        log.0.lock().unwrap().push(format!(
            "close {:?} error={}",
            exit.status(),
            exit.is_error()
        ));
    })
}

/// Echoes text messages until the client leaves.
#[websocket("/ws/{room}")]
async fn chat(
    mut ws: WebSocket,
    room: Path<String>,
    Depends(user): Depends<user>,
    #[param(default = 0, ge = 0)] repeat: Query<u8>,
) -> Result<(), WebSocketError> {
    loop {
        let text = ws.receive_text().await?;
        for _ in 0..=repeat.0 {
            ws.send_text(format!("{}:{user}:{text}", room.0)).await?;
        }
    }
}

/// Answers one JSON message, then returns without closing.
#[websocket("/once")]
async fn once(mut ws: WebSocket, Depends(_t): Depends<tracked>) -> Result<(), WebSocketError> {
    let n: i64 = ws.receive_json().await?;
    ws.send_json(&serde_json::json!({"double": n * 2})).await
}

#[websocket("/refuse")]
async fn refuse(ws: WebSocket) -> Result<(), WebSocketException> {
    drop(ws);
    Err(WebSocketException::new(
        close_code::POLICY_VIOLATION,
        "go away",
    ))
}

#[websocket("/gate")]
async fn gate(mut ws: WebSocket, open: Query<bool>) -> Result<(), WebSocketError> {
    if !open.0 {
        return ws.close(4000, "closed").await;
    }
    ws.accept().await?;
    ws.close(4000, &"é".repeat(100)).await
}

/// An HTTP route and a websocket route at one path (Starlette tells them
/// apart by the request: a handshake or not).
#[get("/both")]
async fn both_http(State(log): State<Log>) -> ferroapi::Json<String> {
    log.0.lock().unwrap().push("http".into());
    ferroapi::Json("http".to_string())
}

#[websocket("/both")]
async fn both_ws(mut ws: WebSocket) -> Result<(), WebSocketError> {
    ws.accept().await?;
    ws.close(4001, "websocket").await
}

async fn serve(log: Log) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = App::with_state(log)
        .route(chat)
        .route(once)
        .route(refuse)
        .route(gate)
        .route(both_http)
        .route(both_ws)
        .into_router();
    tokio::spawn(async move { ferroapi::axum::serve(listener, router).await.unwrap() });
    addr
}

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(addr: std::net::SocketAddr, path: &str) -> Ws {
    let (ws, res) = tokio_tungstenite::connect_async(format!("ws://{addr}{path}"))
        .await
        .unwrap();
    assert_eq!(res.status(), 101);
    ws
}

/// The next close frame (code, reason), skipping other messages.
async fn closed_with(ws: &mut Ws) -> (u16, String) {
    while let Some(m) = tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .expect("no close frame")
    {
        if let Message::Close(frame) = m.unwrap() {
            let f = frame.expect("a close frame with a code");
            return (u16::from(f.code), f.reason.to_string());
        }
    }
    panic!("connection ended without a close frame")
}

#[tokio::test]
async fn path_query_and_dependency_reach_the_handler() {
    let addr = serve(Log::default()).await;
    let mut ws = connect(addr, "/ws/lobby?token=ann&repeat=1").await;
    ws.send(Message::text("hi")).await.unwrap();
    for _ in 0..2 {
        let m = ws.next().await.unwrap().unwrap();
        assert_eq!(m, Message::text("lobby:user-ann:hi"));
    }
    ws.close(None).await.unwrap();
}

#[tokio::test]
async fn invalid_parameters_close_with_1008_and_the_errors() {
    let addr = serve(Log::default()).await;
    let mut ws = connect(addr, "/ws/lobby?repeat=x").await;
    let (code, reason) = closed_with(&mut ws).await;
    assert_eq!(code, 1008);
    // FastAPI's error list, as JSON, cut to what a close frame carries.
    assert!(reason.len() <= 123);
    assert!(
        reason.starts_with(
            r#"[{"type":"missing","loc":["query","token"],"msg":"Field required","input":null}"#
        ),
        "{reason}"
    );
}

#[tokio::test]
async fn a_dependency_raising_websocket_exception_closes_with_its_code() {
    let addr = serve(Log::default()).await;
    let mut ws = connect(addr, "/ws/lobby?token=bad").await;
    assert_eq!(closed_with(&mut ws).await, (4001, "bad token".to_string()));
}

#[tokio::test]
async fn returning_without_closing_closes_normally_then_tears_down() {
    let log = Log::default();
    let addr = serve(log.clone()).await;
    let mut ws = connect(addr, "/once").await;
    ws.send(Message::text("21")).await.unwrap();
    let m = ws.next().await.unwrap().unwrap();
    assert_eq!(m, Message::text(r#"{"double":42}"#));
    assert_eq!(closed_with(&mut ws).await, (1000, String::new()));
    for _ in 0..100 {
        if log.0.lock().unwrap().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        *log.0.lock().unwrap(),
        ["open", "close Some(101) error=false"]
    );
}

#[tokio::test]
async fn an_invalid_json_message_closes_with_1007() {
    let addr = serve(Log::default()).await;
    let mut ws = connect(addr, "/once").await;
    ws.send(Message::text("{not json")).await.unwrap();
    let (code, _) = closed_with(&mut ws).await;
    assert_eq!(CloseCode::from(code), CloseCode::Invalid);
}

/// The status of a handshake the server refused.
async fn refused_with(addr: std::net::SocketAddr, path: &str) -> u16 {
    match tokio_tungstenite::connect_async(format!("ws://{addr}{path}")).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(res)) => res.status().as_u16(),
        Ok((_, res)) => panic!("accepted with {}", res.status()),
        Err(e) => panic!("{e}"),
    }
}

/// A handler that fails before it accepted: uvicorn's answer to a close
/// before accept, HTTP 403.
#[tokio::test]
async fn a_handler_error_before_accept_refuses_with_403() {
    let addr = serve(Log::default()).await;
    assert_eq!(refused_with(addr, "/refuse").await, 403);
}

/// `close()` before any message refuses; after `accept()` it is a close frame.
#[tokio::test]
async fn close_before_accept_refuses_after_accept_closes() {
    let addr = serve(Log::default()).await;
    assert_eq!(refused_with(addr, "/gate?open=false").await, 403);
    let mut ws = connect(addr, "/gate?open=true").await;
    let reason = "é".repeat(100);
    let (code, got) = closed_with(&mut ws).await;
    assert_eq!(code, 4000);
    // 123 bytes at most, cut at a character boundary: 61 two-byte characters.
    assert_eq!(got, "é".repeat(61));
    assert!(reason.starts_with(&got));
}

#[tokio::test]
async fn plain_http_gets_404_and_the_route_is_not_documented() {
    let app = App::with_state(Log::default()).route(chat).route(once);
    let doc = app.openapi();
    assert_eq!(doc["paths"], serde_json::json!({}));
    let client = TestClient::new(app);
    let res = client.get("/ws/lobby?token=a").send().await;
    assert_eq!(res.status(), 404);
    assert_eq!(res.text(), r#"{"detail":"Not Found"}"#);
}

/// A handshake only a websocket route takes: to a path with none (unknown,
/// or an HTTP route's) it is closed before accept, uvicorn's 403, and no
/// handler runs; the HTTP route beside a websocket route still answers HTTP.
#[tokio::test]
async fn a_handshake_no_websocket_route_takes_is_refused_with_403() {
    let log = Log::default();
    let addr = serve(log.clone()).await;
    assert_eq!(refused_with(addr, "/nowhere").await, 403);
    assert_eq!(refused_with(addr, "/nowhere/").await, 403);
    let mut ws = connect(addr, "/both").await;
    assert_eq!(closed_with(&mut ws).await, (4001, "websocket".to_string()));
    assert!(
        log.0.lock().unwrap().is_empty(),
        "the HTTP route ran for a handshake"
    );

    let http = App::with_state(log.clone())
        .route(both_http)
        .route(both_ws)
        .route(chat);
    let client = TestClient::new(http);
    let res = client.get("/both").send().await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text(), r#""http""#);
    assert_eq!(log.0.lock().unwrap().as_slice(), ["http"]);
    // A handshake to an HTTP route's path, over a real socket too.
    let only_http = App::with_state(Log::default())
        .route(both_http)
        .into_router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { ferroapi::axum::serve(listener, only_http).await.unwrap() });
    assert_eq!(refused_with(addr, "/both").await, 403);
}
