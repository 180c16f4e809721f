//! GZip, TrustedHost, static files and the SPA fallback.

use ferroapi::{get, App, Json, TestClient};

#[get("/big")]
async fn big() -> Json<String> {
    Json("x".repeat(2000))
}

#[get("/small")]
async fn small() -> Json<&'static str> {
    Json("tiny")
}

#[tokio::test]
async fn gzip_above_the_minimum_size_when_accepted() {
    let client = TestClient::new(App::new().route(big).route(small).gzip(500));
    let res = client
        .get("/big")
        .header("accept-encoding", "gzip")
        .send()
        .await;
    assert_eq!(res.header("content-encoding"), Some("gzip"));
    assert!(res.bytes().len() < 200);
    let res = client
        .get("/small")
        .header("accept-encoding", "gzip")
        .send()
        .await;
    assert_eq!(res.header("content-encoding"), None);
    assert_eq!(res.text(), "\"tiny\"");
    let res = client.get("/big").send().await;
    assert_eq!(res.header("content-encoding"), None);
    assert_eq!(res.bytes().len(), 2002);
}

#[tokio::test]
async fn trusted_hosts_refuse_others() {
    let client = TestClient::new(
        App::new()
            .route(small)
            .trusted_hosts(["example.com", "*.example.org"]),
    );
    let res = client.get("/small").header("host", "evil.com").send().await;
    assert_eq!(res.status(), 400);
    assert_eq!(res.text(), "Invalid host header");
    assert_eq!(
        res.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    let res = client
        .get("/small")
        .header("host", "api.example.org:8000")
        .send()
        .await;
    assert_eq!(res.status(), 200);
}

#[tokio::test]
async fn static_files_and_spa_fallback() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<div id=app></div>").unwrap();
    std::fs::write(dir.path().join("app.js"), "console.log(1)").unwrap();
    let assets = tempfile::tempdir().unwrap();
    std::fs::write(assets.path().join("a.txt"), "static text").unwrap();
    let client = TestClient::new(
        App::new()
            .route(small)
            .static_files("/static", assets.path())
            .spa(dir.path()),
    );
    assert_eq!(
        client.get("/static/a.txt").send().await.text(),
        "static text"
    );
    assert_eq!(client.get("/static/missing.txt").send().await.status(), 404);
    assert_eq!(client.get("/app.js").send().await.text(), "console.log(1)");
    let res = client
        .get("/items/42")
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text(), "<div id=app></div>");
    let res = client
        .get("/api/unknown")
        .header("accept", "application/json")
        .send()
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(res.text(), r#"{"detail":"Not Found"}"#);
    assert_eq!(client.get("/small").send().await.text(), "\"tiny\"");
}

#[get("/sleepy")]
async fn sleepy() -> Json<&'static str> {
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    Json("late")
}

#[tokio::test]
async fn https_redirect_timeout_and_request_ids() {
    let client = TestClient::new(App::new().route(small).https_redirect());
    let res = client
        .get("/small?x=1")
        .header("host", "example.com")
        .send()
        .await;
    assert_eq!(res.status(), 307);
    assert_eq!(
        res.header("location"),
        Some("https://example.com/small?x=1")
    );
    let res = client
        .get("/small")
        .header("x-forwarded-proto", "https")
        .send()
        .await;
    assert_eq!(res.status(), 200);

    let client = TestClient::new(
        App::new()
            .route(sleepy)
            .route(small)
            .timeout(std::time::Duration::from_millis(50)),
    );
    assert_eq!(client.get("/sleepy").send().await.status(), 408);
    assert_eq!(client.get("/small").send().await.status(), 200);

    let client = TestClient::new(App::new().route(small).tracing());
    let res = client.get("/small").send().await;
    let id = res.header("x-request-id").unwrap().to_string();
    assert_eq!(id.len(), 36, "{id}");
    let res = client
        .get("/small")
        .header("x-request-id", "abc-123")
        .send()
        .await;
    assert_eq!(res.header("x-request-id"), Some("abc-123"));
}

#[get("/events")]
async fn events() -> ferroapi::EventStream {
    let items = (1..=3).map(|i| {
        Ok::<_, std::convert::Infallible>(
            ferroapi::ServerSentEvent::default()
                .event("tick")
                .id(i.to_string())
                .data(format!("{{\"n\":{i}}}")),
        )
    });
    ferroapi::EventStream::new(futures_util::stream::iter(items))
}

#[tokio::test]
async fn server_sent_events() {
    let client = TestClient::new(App::new().route(events));
    let res = client.get("/events").send().await;
    assert_eq!(
        res.header("content-type"),
        Some("text/event-stream; charset=utf-8")
    );
    assert_eq!(
        res.text(),
        "event: tick\nid: 1\ndata: {\"n\":1}\n\nevent: tick\nid: 2\ndata: {\"n\":2}\n\nevent: tick\nid: 3\ndata: {\"n\":3}\n\n"
    );
    let doc = App::new().route(events).openapi();
    assert!(
        doc["paths"]["/events"]["get"]["responses"]["200"]["content"]["text/event-stream"]
            .is_object()
    );
}
