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

/// What a middleware puts on the request (FastAPI's `request.state`).
#[derive(Clone)]
struct Tenant(String);

#[derive(Clone)]
struct NeverSet;

#[get("/tenant")]
async fn tenant(t: ferroapi::axum::Extension<Tenant>) -> Json<String> {
    Json(t.0 .0)
}

#[get("/unset")]
async fn unset(_n: ferroapi::axum::Extension<NeverSet>) -> Json<&'static str> {
    Json("unreachable")
}

async fn set_tenant(
    mut req: ferroapi::axum::extract::Request,
    next: ferroapi::axum::middleware::Next,
) -> ferroapi::axum::response::Response {
    let name = req
        .headers()
        .get("x-tenant")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("public")
        .to_string();
    req.extensions_mut().insert(Tenant(name));
    next.run(req).await
}

#[tokio::test]
async fn a_route_reads_what_a_middleware_put_on_the_request() {
    let client = TestClient::new(
        App::new()
            .route(tenant)
            .route(unset)
            .layer(ferroapi::axum::middleware::from_fn(set_tenant)),
    );
    let res = client
        .get("/tenant")
        .header("x-tenant", "acme")
        .send()
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text(), "\"acme\"");
    assert_eq!(client.get("/tenant").send().await.text(), "\"public\"");
    // Nothing put it there: the app's bug, a 500 as FastAPI's AttributeError.
    let res = client.get("/unset").send().await;
    assert_eq!(res.status(), 500);
    assert_eq!(res.text(), "Internal Server Error");
}

/// Declared order: a layer added after `cors` sees the preflight answer,
/// one added before does not.
#[tokio::test]
async fn middleware_stacks_in_the_order_declared() {
    async fn mark(
        name: &'static str,
        req: ferroapi::axum::extract::Request,
        next: ferroapi::axum::middleware::Next,
    ) -> ferroapi::axum::response::Response {
        let mut res = next.run(req).await;
        res.headers_mut()
            .append("x-seen-by", ferroapi::http::HeaderValue::from_static(name));
        res
    }
    let app = App::new()
        .route(small)
        .layer(ferroapi::axum::middleware::from_fn(|r, n| {
            mark("inner", r, n)
        }))
        .cors(ferroapi::middleware::Cors::new().allow_origins(["https://a.example"]))
        .layer(ferroapi::axum::middleware::from_fn(|r, n| {
            mark("outer", r, n)
        }));
    let client = TestClient::new(app);
    let res = client
        .request(ferroapi::http::Method::OPTIONS, "/small")
        .header("origin", "https://a.example")
        .header("access-control-request-method", "GET")
        .send()
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(seen_by(&res), ["outer"]);
    let res = client
        .get("/small")
        .header("origin", "https://a.example")
        .send()
        .await;
    assert_eq!(seen_by(&res), ["inner", "outer"]);
    assert_eq!(
        res.header("access-control-allow-origin"),
        Some("https://a.example")
    );
}

fn seen_by(res: &ferroapi::TestResponse) -> Vec<&str> {
    res.headers()
        .get_all("x-seen-by")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect()
}
