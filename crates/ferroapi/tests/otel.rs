//! OpenTelemetry traces (`App::opentelemetry`, feature `otel`) against a real
//! OTLP receiver: the collector's gRPC trace service, served by a ferroapi app
//! of the test's own (feature `grpc`). The spans must arrive with FastAPI's
//! instrumentation's names, kinds, attributes, statuses and parents, and
//! `telemetry::inject` must carry the trace to an outgoing call.

use std::collections::HashMap;
use std::time::Duration;

use ferroapi::{get, App, HTTPException, Json, Path, TestClient};
use opentelemetry_proto::tonic::collector::trace::v1::trace_service_server::{
    TraceService, TraceServiceServer,
};
use opentelemetry_proto::tonic::collector::trace::v1::{
    ExportTraceServiceRequest, ExportTraceServiceResponse,
};
use opentelemetry_proto::tonic::common::v1::any_value::Value;
use opentelemetry_proto::tonic::trace::v1::Span;
use tokio::sync::mpsc;

const TRACE: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT: &str = "00f067aa0ba902b7";

struct Collector(mpsc::UnboundedSender<ExportTraceServiceRequest>);

#[tonic::async_trait]
impl TraceService for Collector {
    async fn export(
        &self,
        request: tonic::Request<ExportTraceServiceRequest>,
    ) -> Result<tonic::Response<ExportTraceServiceResponse>, tonic::Status> {
        let _ = self.0.send(request.into_inner());
        Ok(tonic::Response::new(ExportTraceServiceResponse::default()))
    }
}

#[get("/items/{item_id}")]
async fn read_item(item_id: Path<u32>) -> Json<u32> {
    Json(item_id.0)
}

#[get("/boom")]
async fn boom() -> Result<Json<u8>, HTTPException> {
    Err(HTTPException::new(500, "boom"))
}

/// What a handler would send to another service: the injected headers.
#[get("/call")]
async fn call() -> Json<HashMap<String, String>> {
    let mut headers = ferroapi::http::HeaderMap::new();
    ferroapi::telemetry::inject(&mut headers);
    let mut out: HashMap<String, String> = headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap().to_string()))
        .collect();
    if let Some(id) = ferroapi::telemetry::current_trace_id() {
        out.insert("current".into(), id);
    }
    Json(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn attr(span: &Span, key: &str) -> Option<String> {
    let v = span.attributes.iter().find(|a| a.key == key)?;
    Some(match v.value.as_ref()?.value.as_ref()? {
        Value::StringValue(s) => s.clone(),
        Value::IntValue(i) => i.to_string(),
        other => format!("{other:?}"),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spans_arrive_at_an_otlp_receiver_with_names_attributes_and_parents() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let receiver = tokio::spawn(
        App::new()
            .grpc_service(TraceServiceServer::new(Collector(tx)))
            .serve_until(listener, async {
                let _ = stopped.await;
            }),
    );
    // Edition 2021: setting the environment is safe; this binary has one test.
    std::env::set_var(
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        format!("http://127.0.0.1:{port}"),
    );
    std::env::set_var("OTEL_BSP_SCHEDULE_DELAY", "50");
    std::env::set_var("OTEL_SERVICE_NAME", "shop");

    let client = TestClient::new(
        App::new()
            .route(read_item)
            .route(boom)
            .route(call)
            .opentelemetry(),
    );
    let traceparent = format!("00-{TRACE}-{PARENT}-01");
    let res = client
        .get("/items/7?q=lamp")
        .header("traceparent", &traceparent)
        .header("user-agent", "probe/1.0")
        .send()
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(client.get("/boom").send().await.status(), 500);
    assert_eq!(client.get("/nope").send().await.status(), 404);
    let sent: HashMap<String, String> = serde_json::from_value(
        client
            .get("/call")
            .header("traceparent", &traceparent)
            .send()
            .await
            .json(),
    )
    .unwrap();

    // Wait for the four spans (batches every 50 ms).
    let mut spans: Vec<Span> = Vec::new();
    let mut service = None;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while spans.len() < 4 {
        let batch = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("spans within 20 s")
            .unwrap();
        for rs in batch.resource_spans {
            if let Some(r) = &rs.resource {
                for a in &r.attributes {
                    if a.key == "service.name" {
                        service = a.value.as_ref().and_then(|v| match &v.value {
                            Some(Value::StringValue(s)) => Some(s.clone()),
                            _ => None,
                        });
                    }
                }
            }
            for ss in rs.scope_spans {
                assert_eq!(ss.scope.as_ref().unwrap().name, "ferroapi");
                spans.extend(ss.spans);
            }
        }
    }
    assert_eq!(service.as_deref(), Some("shop"));
    let by_name = |name: &str| {
        spans.iter().find(|s| s.name == name).unwrap_or_else(|| {
            panic!(
                "no span {name:?} in {:?}",
                spans.iter().map(|s| &s.name).collect::<Vec<_>>()
            )
        })
    };
    const SERVER: i32 = 2;
    const ERROR: i32 = 2;

    let item = by_name("GET /items/{item_id}");
    assert_eq!(item.kind, SERVER);
    assert_eq!(hex(&item.trace_id), TRACE, "continues the request's trace");
    assert_eq!(
        hex(&item.parent_span_id),
        PARENT,
        "child of the caller's span"
    );
    assert_eq!(attr(item, "http.request.method").as_deref(), Some("GET"));
    assert_eq!(
        attr(item, "http.route").as_deref(),
        Some("/items/{item_id}")
    );
    assert_eq!(attr(item, "url.path").as_deref(), Some("/items/7"));
    assert_eq!(attr(item, "url.query").as_deref(), Some("q=lamp"));
    assert_eq!(attr(item, "url.scheme").as_deref(), Some("http"));
    assert_eq!(
        attr(item, "user_agent.original").as_deref(),
        Some("probe/1.0")
    );
    assert_eq!(
        attr(item, "http.response.status_code").as_deref(),
        Some("200")
    );
    assert_ne!(item.status.as_ref().map_or(0, |s| s.code), ERROR);
    assert!(item.end_time_unix_nano >= item.start_time_unix_nano);

    let failed = by_name("GET /boom");
    assert_eq!(
        attr(failed, "http.response.status_code").as_deref(),
        Some("500")
    );
    assert_eq!(attr(failed, "error.type").as_deref(), Some("500"));
    assert_eq!(failed.status.as_ref().map(|s| s.code), Some(ERROR));
    assert!(
        failed.parent_span_id.is_empty(),
        "a new trace without traceparent"
    );
    assert_ne!(hex(&failed.trace_id), TRACE);

    let unmatched = by_name("GET");
    assert_eq!(attr(unmatched, "http.route"), None);
    assert_eq!(
        attr(unmatched, "http.response.status_code").as_deref(),
        Some("404")
    );
    assert_ne!(
        unmatched.status.as_ref().map_or(0, |s| s.code),
        ERROR,
        "a 4xx is no server error"
    );

    // The outgoing call continues the trace, as a child of /call's span.
    let calling = by_name("GET /call");
    assert_eq!(sent.get("current").map(String::as_str), Some(TRACE));
    assert_eq!(
        sent.get("traceparent").map(String::as_str),
        Some(format!("00-{TRACE}-{}-01", hex(&calling.span_id)).as_str())
    );

    let _ = stop.send(());
    receiver.await.unwrap().unwrap();
}
