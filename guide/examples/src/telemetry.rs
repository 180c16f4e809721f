//! Chapter "Telemetry": logs, Prometheus metrics, OpenTelemetry traces.

use ferroapi::{get, App, Json, Path};

#[get("/items/{item_id}")]
async fn read_item(item_id: Path<u32>) -> Json<u32> {
    tracing::info!(item_id = item_id.0, "reading");
    Json(item_id.0)
}

// ANCHOR: app
/// Request ids and access lines (`tracing`), and Prometheus metrics.
pub fn app() -> App {
    App::new().route(read_item).tracing().metrics("/metrics")
}
// ANCHOR_END: app

// ANCHOR: main
/// `main`: the logger first; traces when an OTLP endpoint is named.
pub async fn serve() -> Result<(), ferroapi::Error> {
    ferroapi::logs::init();
    let mut app = app();
    if std::env::var_os("OTEL_EXPORTER_OTLP_ENDPOINT").is_some() {
        app = app.opentelemetry();
    }
    app.serve("0.0.0.0:8000").await
}
// ANCHOR_END: main

// ANCHOR: outgoing
/// A call to another service that continues the request's trace.
pub fn outgoing_headers() -> ferroapi::http::HeaderMap {
    let mut headers = ferroapi::http::HeaderMap::new();
    // `traceparent` (and `tracestate`) of the request being served, if any.
    ferroapi::telemetry::inject(&mut headers);
    headers
}
// ANCHOR_END: outgoing

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn a_request_is_counted_under_its_template() {
        let client = TestClient::new(app());
        let res = client.get("/items/3").send().await;
        assert!(res.header("x-request-id").is_some());
        let text = client.get("/metrics").send().await.text();
        assert!(text.contains(
            r#"http_requests_total{handler="/items/{item_id}",method="GET",status="2xx"} 1"#
        ));
        // Outside a traced request there is nothing to propagate.
        assert!(outgoing_headers().is_empty());
    }
}
