use super::*;
use ferroapi::TestClient;
use futures_util::SinkExt;
use serde_json::json;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message as WsMessage;

const ANN_RW: &str = "Bearer ann:read,write";

async fn token(client: &TestClient, user: &str, scope: &str) -> serde_json::Value {
    client
        .post("/token")
        .form(&[("username", user), ("password", "secret"), ("scope", scope)])
        .send()
        .await
        .json()
}

#[tokio::test]
async fn every_documented_constraint_is_enforced() {
    let client = TestClient::start(app()).await;
    let report = client.check_constraints(&[("authorization", ANN_RW)]).await;
    report.assert_held();
    assert!(report.held.len() >= 2, "{report:?}");
}

#[tokio::test]
async fn the_lifespan_posts_a_welcome() {
    let client = TestClient::start(app()).await;
    let res = client
        .get("/rooms/general/messages")
        .header("authorization", "Bearer ann:read")
        .send()
        .await;
    assert_eq!(
        res.json(),
        json!([{"id": 1, "author": "system", "text": "Welcome to #general"}])
    );
}

#[tokio::test]
async fn scopes_are_granted_by_the_token_and_checked_per_route() {
    let client = TestClient::new(app());
    let t = token(&client, "ann", "read").await;
    assert_eq!(
        t,
        json!({"access_token": "ann:read", "token_type": "bearer"})
    );
    let read_only = "Bearer ann:read";
    let res = client
        .get("/rooms/a/messages")
        .header("authorization", read_only)
        .send()
        .await;
    assert_eq!(res.status(), 200);
    let res = client
        .post("/rooms/a/messages")
        .header("authorization", read_only)
        .json(&json!({"text": "hi"}))
        .send()
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(
        res.header("www-authenticate"),
        Some("Bearer scope=\"write\"")
    );
    assert_eq!(res.text(), r#"{"detail":"Not enough permissions"}"#);
    let res = client.get("/rooms/a/messages").send().await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.text(), r#"{"detail":"Not authenticated"}"#);
}

#[tokio::test]
async fn posting_runs_the_background_task_and_validates_the_body() {
    let client = TestClient::new(app());
    let res = client
        .post("/rooms/a/messages")
        .header("authorization", ANN_RW)
        .json(&json!({"text": "hello"}))
        .send()
        .await;
    assert_eq!(res.status(), 201);
    assert_eq!(
        res.json(),
        json!({"id": 1, "author": "ann", "text": "hello"})
    );
    let res = client
        .get("/moderation")
        .header("authorization", ANN_RW)
        .send()
        .await;
    assert_eq!(res.json(), json!(["a#1 by ann"]));
    let res = client
        .post("/rooms/a/messages")
        .header("authorization", ANN_RW)
        .json(&json!({"text": ""}))
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json()["detail"][0]["type"], "string_too_short");
}

async fn serve() -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { app().serve_until(listener, std::future::pending()).await });
    addr
}

async fn http(addr: std::net::SocketAddr, request: &str) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(request.as_bytes()).await.unwrap();
    s
}

async fn read_until(s: &mut tokio::net::TcpStream, needle: &str) -> String {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&got).contains(needle) {
        let n = tokio::time::timeout(Duration::from_secs(5), s.read(&mut buf))
            .await
            .expect("timed out")
            .unwrap();
        assert!(
            n > 0,
            "closed before {needle:?}: {}",
            String::from_utf8_lossy(&got)
        );
        got.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn websocket_relays_both_ways_streams_events_and_tracks_presence() {
    let addr = serve().await;
    // Someone listens to the room's events.
    let mut events = http(
        addr,
        "GET /rooms/r/events HTTP/1.1\r\nhost: x\r\nauthorization: Bearer bob:read\r\n\r\n",
    )
    .await;
    read_until(&mut events, "text/event-stream").await;

    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("ws://{addr}/rooms/r/ws?token=ann:read,write"))
            .await
            .unwrap();
    let online = || async {
        let mut s = http(
            addr,
            "GET /rooms/r/online HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n",
        )
        .await;
        let text = read_until(&mut s, "]").await;
        text.rsplit("\r\n\r\n").next().unwrap().to_string()
    };
    assert_eq!(online().await, r#"["ann"]"#);

    ws.send(WsMessage::text("hi all")).await.unwrap();
    let echoed = futures_util::StreamExt::next(&mut ws)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        echoed,
        WsMessage::text(r#"{"id":1,"author":"ann","text":"hi all"}"#)
    );
    let sse = read_until(&mut events, "hi all").await;
    assert!(sse.contains("event: message\n"), "{sse}");
    assert!(sse.contains("id: 1\n"), "{sse}");

    ws.close(None).await.unwrap();
    // The presence teardown runs once the connection has ended.
    let mut now = online().await;
    for _ in 0..100 {
        if now == "[]" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
        now = online().await;
    }
    assert_eq!(now, "[]");
}

#[tokio::test]
async fn a_websocket_without_scopes_is_closed_with_1008() {
    let addr = serve().await;
    let (mut ws, _) =
        tokio_tungstenite::connect_async(format!("ws://{addr}/rooms/r/ws?token=ann:read"))
            .await
            .unwrap();
    let m = futures_util::StreamExt::next(&mut ws)
        .await
        .unwrap()
        .unwrap();
    let WsMessage::Close(Some(frame)) = m else {
        panic!("{m:?}")
    };
    assert_eq!(u16::from(frame.code), 1008);
    assert_eq!(frame.reason.as_str(), "Not enough permissions");
}

/// The document is a reviewed snapshot: any change shows here as a diff.
/// `UPDATE_SNAPSHOTS=1 cargo test -p example-chat` rewrites it.
#[test]
fn openapi_snapshot() {
    app().assert_openapi_snapshot(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json"));
}

#[tokio::test]
async fn reading_creates_no_room_and_rooms_and_history_are_bounded() {
    let chat = Chat {
        limits: Limits {
            rooms: 3,
            history: 5,
        },
        ..Chat::default()
    };
    let client = TestClient::start(app_for(chat.clone())).await;
    // The welcome made #general; reads of any other name make nothing.
    for i in 0..500 {
        let res = client.get(&format!("/rooms/r{i}/online")).send().await;
        assert_eq!((res.status().as_u16(), res.json()), (200, json!([])));
        let res = client
            .get(&format!("/rooms/q{i}/messages"))
            .header("authorization", ANN_RW)
            .send()
            .await;
        assert_eq!((res.status().as_u16(), res.json()), (200, json!([])));
    }
    assert_eq!(chat.lock().len(), 1);
    // History: the last five, numbered on.
    for i in 0..12 {
        let res = client
            .post("/rooms/a/messages")
            .header("authorization", ANN_RW)
            .json(&json!({ "text": format!("m{i}") }))
            .send()
            .await;
        assert_eq!(res.status(), 201);
    }
    let res = client
        .get("/rooms/a/messages")
        .header("authorization", ANN_RW)
        .send()
        .await;
    let ids: Vec<u64> = res
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, [8, 9, 10, 11, 12]);
    // Rooms: past three, the room posted to longest ago that nobody follows
    // gives its place.
    for room in ["b", "c", "d"] {
        let res = client
            .post(&format!("/rooms/{room}/messages"))
            .header("authorization", ANN_RW)
            .json(&json!({"text": "x"}))
            .send()
            .await;
        assert_eq!(res.status(), 201);
    }
    assert_eq!(chat.lock().len(), 3);
    assert!(chat.lock().contains_key("d"));
}
