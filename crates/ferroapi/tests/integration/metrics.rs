//! Prometheus metrics (`App::metrics`, feature `metrics`): what a scrape
//! reads after known traffic, whichever way the app dispatches.

use std::sync::Arc;

use ferroapi::axum::middleware::{from_fn, Next};
use ferroapi::axum::{extract::Request, response::Response};
use ferroapi::{get, App, Json, Path, TestClient};
use tokio::sync::Notify;

#[get("/items/{item_id}")]
async fn read_item(item_id: Path<u32>) -> Json<u32> {
    Json(item_id.0)
}

#[get("/files/{p:path}")]
async fn read_file(p: Path<String>) -> Json<String> {
    Json(p.0)
}

static RELEASE: std::sync::OnceLock<Arc<Notify>> = std::sync::OnceLock::new();

#[get("/slow")]
async fn slow() -> Json<&'static str> {
    RELEASE.get_or_init(Default::default).notified().await;
    Json("done")
}

async fn passthrough(req: Request, next: Next) -> Response {
    next.run(req).await
}

fn base() -> App {
    App::new()
        .title("Shop")
        .version("2.1.0")
        .route(read_item)
        .route(read_file)
        .route(slow)
        .metrics("/metrics")
}

/// The value of the sample line that starts with `series ` (0 when absent).
fn sample(text: &str, series: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .map_or(0.0, |v| v.trim().parse().unwrap())
}

async fn traffic_then_scrape(app: App) {
    let client = TestClient::new(app);
    for path in [
        "/items/1",
        "/items/2",
        "/items/x",
        "/files/a/b.txt",
        "/files/",
        "/nope",
    ] {
        client.get(path).send().await;
    }
    assert_eq!(client.post("/items/1").send().await.status(), 405);
    let res = client.get("/metrics").send().await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.header("content-type"),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let text = res.text();
    let total = |h: &str, m: &str, s: &str| {
        sample(
            &text,
            &format!(r#"http_requests_total{{handler="{h}",method="{m}",status="{s}"}}"#),
        )
    };
    assert_eq!(total("/items/{item_id}", "GET", "2xx"), 2.0, "{text}");
    assert_eq!(total("/items/{item_id}", "GET", "4xx"), 1.0, "the 422");
    assert_eq!(total("/files/{p:path}", "GET", "2xx"), 2.0, "{text}");
    assert_eq!(total("none", "GET", "4xx"), 1.0, "the 404");
    assert_eq!(total("none", "POST", "4xx"), 1.0, "the 405");
    assert_eq!(
        sample(
            &text,
            r#"http_request_duration_seconds_count{handler="/items/{item_id}",method="GET"}"#
        ),
        3.0
    );
    assert_eq!(
        sample(
            &text,
            r#"http_request_duration_seconds_bucket{handler="/items/{item_id}",method="GET",le="+Inf"}"#
        ),
        3.0
    );
    assert_eq!(
        sample(&text, "http_request_duration_highr_seconds_count"),
        7.0
    );
    assert_eq!(sample(&text, "http_requests_inprogress"), 0.0);
    let build = format!(
        r#"ferroapi_build_info{{app_title="Shop",app_version="2.1.0",version="{}"}}"#,
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(sample(&text, &build), 1.0, "{text}");
    // The scrape itself is not counted, and the path is not documented.
    assert!(!text.contains(r#"handler="/metrics""#));
    let doc = client.get("/openapi.json").send().await.text();
    assert!(!doc.contains("/metrics"));
}

#[tokio::test]
async fn a_scrape_counts_requests_by_template_method_and_status() {
    traffic_then_scrape(base()).await;
}

#[tokio::test]
async fn the_same_counts_when_the_axum_router_dispatches() {
    // App middleware makes the router dispatch; `tracing` wraps the
    // dispatcher in built-in middleware.
    traffic_then_scrape(base().layer(from_fn(passthrough))).await;
    traffic_then_scrape(base().tracing()).await;
}

#[tokio::test]
async fn invented_methods_share_one_label() {
    let client = TestClient::new(base());
    for i in 0..50 {
        let method = ferroapi::http::Method::from_bytes(format!("PROBE{i}").as_bytes()).unwrap();
        client.request(method, "/items/1").send().await;
    }
    let text = client.get("/metrics").send().await.text();
    assert!(!text.contains("PROBE"), "{text}");
    assert_eq!(
        sample(
            &text,
            r#"http_requests_total{handler="none",method="_OTHER",status="4xx"}"#
        ),
        50.0,
        "{text}"
    );
}

#[tokio::test]
async fn in_progress_counts_requests_until_their_answer_or_their_end() {
    let client = TestClient::new(base());
    let waiting = tokio::spawn({
        let client = client.clone();
        async move { client.get("/slow").send().await.text() }
    });
    let mut text = String::new();
    for _ in 0..200 {
        text = client.get("/metrics").send().await.text();
        if sample(&text, "http_requests_inprogress") == 1.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    assert_eq!(sample(&text, "http_requests_inprogress"), 1.0, "{text}");
    // A request whose client goes away leaves the gauge too.
    let dropped = tokio::spawn({
        let client = client.clone();
        async move { client.get("/slow").send().await }
    });
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    dropped.abort();
    let _ = dropped.await;
    RELEASE.get_or_init(Default::default).notify_waiters();
    assert_eq!(waiting.await.unwrap(), "\"done\"");
    let text = client.get("/metrics").send().await.text();
    assert_eq!(sample(&text, "http_requests_inprogress"), 0.0, "{text}");
    assert_eq!(
        sample(
            &text,
            r#"http_requests_total{handler="/slow",method="GET",status="2xx"}"#
        ),
        1.0
    );
}
