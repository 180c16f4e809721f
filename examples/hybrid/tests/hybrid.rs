//! REST and gRPC on one port, over a real socket: the same results, the same
//! refusals, health and reflection, and the REST document's snapshot.

use std::net::SocketAddr;

use example_hybrid::pb::text_stats_client::TextStatsClient;
use example_hybrid::{app, pb, Analysis, Store};
use ferroapi::TestClient;
use tonic::transport::Channel;

const TEXTS: [&str; 2] = [
    "The quick brown fox jumps over the lazy dog. The dog sleeps.",
    "Été, été! Ça va? 2024 was the year; 2024 again.",
];

async fn serve() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = app(Store::default());
    tokio::spawn(async move {
        app.serve_until(listener, std::future::pending())
            .await
            .unwrap();
    });
    addr
}

async fn channel(addr: SocketAddr) -> Channel {
    Channel::from_shared(format!("http://{addr}"))
        .unwrap()
        .connect()
        .await
        .unwrap()
}

/// One HTTP/1.1 request over a fresh connection: (status, body).
async fn post_json(addr: SocketAddr, path: &str, body: &serde_json::Value) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let body = body.to_string();
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    let req = format!(
        "POST {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    let status = out[9..12].parse().unwrap();
    let body = out
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    (status, body)
}

fn rest_body(texts: &[&str], top: u32) -> serde_json::Value {
    serde_json::json!({ "texts": texts, "top": top })
}

#[tokio::test]
async fn rest_computes_the_statistics() {
    let client = TestClient::new(app(Store::default()));
    let res = client
        .post("/v1/analyze")
        .json(&rest_body(&TEXTS, 3))
        .send()
        .await;
    assert_eq!(res.status(), 200, "{}", res.text());
    let a: Analysis = serde_json::from_str(&res.text()).unwrap();
    assert_eq!(a.reports.len(), 2);
    let first = &a.reports[0];
    assert_eq!(first.words, 12);
    assert_eq!(first.unique_words, 9);
    assert_eq!(first.chars, TEXTS[0].chars().count() as u64);
    assert_eq!(
        first
            .top_words
            .iter()
            .map(|w| (w.word.as_str(), w.count))
            .collect::<Vec<_>>(),
        [("the", 3), ("dog", 2), ("brown", 1)]
    );
    // Accents are letters, digits are words, case folds.
    let second = &a.reports[1];
    assert_eq!(second.top_words[0].word, "2024");
    assert_eq!(second.top_words[1].word, "été");
    assert_eq!(a.total_words, 12 + second.words);
    // Stored under its id.
    let again = client.get(&format!("/v1/reports/{}", a.id)).send().await;
    assert_eq!(again.text(), res.text());
}

#[tokio::test]
async fn rest_refuses_in_fastapi_words() {
    let client = TestClient::new(app(Store::default()));
    let res = client
        .post("/v1/analyze")
        .json(&rest_body(&[], 0))
        .send()
        .await;
    assert_eq!(res.status(), 422);
    let body = res.json();
    let kinds: Vec<&str> = body["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["too_short", "greater_than_equal"]);
    let missing = client.get("/v1/reports/nope").send().await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.text(), r#"{"detail":"Report not found"}"#);
}

#[tokio::test]
async fn grpc_on_the_same_port_gives_the_same_results() {
    let addr = serve().await;
    // REST over HTTP/1.1, then gRPC over h2c, on the same port.
    let (status, body) = post_json(addr, "/v1/analyze", &rest_body(&TEXTS, 3)).await;
    assert_eq!(status, 200, "{body}");
    let rest: Analysis = serde_json::from_str(&body).unwrap();

    let mut grpc = TextStatsClient::new(channel(addr).await);
    let reply = grpc
        .analyze(pb::AnalyzeRequest {
            texts: TEXTS.iter().map(|t| t.to_string()).collect(),
            top: 3,
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(reply.id, rest.id);
    assert_eq!(reply.total_words, rest.total_words);
    for (g, r) in reply.reports.iter().zip(&rest.reports) {
        assert_eq!(g.sha256, r.sha256);
        assert_eq!(g.words, r.words);
        assert_eq!(g.unique_words, r.unique_words);
        let words: Vec<(&str, u64)> = g
            .top_words
            .iter()
            .map(|w| (w.word.as_str(), w.count))
            .collect();
        let rest_words: Vec<(&str, u64)> = r
            .top_words
            .iter()
            .map(|w| (w.word.as_str(), w.count))
            .collect();
        assert_eq!(words, rest_words);
    }
    let stored = grpc
        .get_report(pb::GetReportRequest {
            id: reply.id.clone(),
        })
        .await
        .unwrap()
        .into_inner();
    assert_eq!(stored, reply);
}

#[tokio::test]
async fn grpc_refuses_with_the_rest_error_list() {
    let addr = serve().await;
    let mut grpc = TextStatsClient::new(channel(addr).await);
    let status = grpc
        .analyze(pb::AnalyzeRequest {
            texts: vec![],
            top: 21,
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::InvalidArgument);
    let rest = TestClient::new(app(Store::default()))
        .post("/v1/analyze")
        .json(&rest_body(&[], 21))
        .send()
        .await;
    assert_eq!(rest.status(), 422);
    assert_eq!(status.message(), rest.text());

    let missing = grpc
        .get_report(pb::GetReportRequest { id: "nope".into() })
        .await
        .unwrap_err();
    assert_eq!(missing.code(), tonic::Code::NotFound);
    assert_eq!(missing.message(), "Report not found");
}

#[tokio::test]
async fn health_reflection_and_unknown_services() {
    use tonic_health::pb::health_check_response::ServingStatus;
    use tonic_health::pb::health_client::HealthClient;
    use tonic_health::pb::HealthCheckRequest;

    let addr = serve().await;
    let ch = channel(addr).await;
    let mut health = HealthClient::new(ch.clone());
    for service in ["", "textstats.v1.TextStats"] {
        let res = health
            .check(HealthCheckRequest {
                service: service.into(),
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(res.status(), ServingStatus::Serving, "{service:?}");
    }
    let unknown = health
        .check(HealthCheckRequest {
            service: "other.Service".into(),
        })
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), tonic::Code::NotFound);

    // Reflection lists the services.
    use tonic_reflection::pb::v1::server_reflection_client::ServerReflectionClient;
    use tonic_reflection::pb::v1::server_reflection_request::MessageRequest;
    use tonic_reflection::pb::v1::server_reflection_response::MessageResponse;
    use tonic_reflection::pb::v1::ServerReflectionRequest;
    let mut reflection = ServerReflectionClient::new(ch.clone());
    let request = ServerReflectionRequest {
        host: String::new(),
        message_request: Some(MessageRequest::ListServices(String::new())),
    };
    let mut stream = reflection
        .server_reflection_info(tokio_stream::iter([request]))
        .await
        .unwrap()
        .into_inner();
    let reply = stream.message().await.unwrap().unwrap();
    let Some(MessageResponse::ListServicesResponse(list)) = reply.message_response else {
        panic!("not a service list: {reply:?}");
    };
    let names: Vec<String> = list.service.into_iter().map(|s| s.name).collect();
    for expected in ["textstats.v1.TextStats", "grpc.health.v1.Health"] {
        assert!(names.iter().any(|n| n == expected), "{names:?}");
    }

    // A service the app does not serve: UNIMPLEMENTED, not an HTTP 404 page.
    let mut other = tonic::client::Grpc::new(ch);
    other.ready().await.unwrap();
    let codec = tonic_prost::ProstCodec::<pb::GetReportRequest, pb::Analysis>::default();
    let status = other
        .unary(
            tonic::Request::new(pb::GetReportRequest { id: "x".into() }),
            "/no.Such/Method".parse().unwrap(),
            codec,
        )
        .await
        .unwrap_err();
    assert_eq!(status.code(), tonic::Code::Unimplemented);
}

#[test]
fn the_rest_document_is_reviewed() {
    app(Store::default())
        .assert_openapi_snapshot(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json"));
}

/// Every rule the REST document states is enforced.
#[tokio::test]
async fn every_documented_constraint_is_enforced() {
    let report = TestClient::new(app(Store::default()))
        .check_constraints(&[])
        .await;
    report.assert_held();
    assert!(!report.held.is_empty(), "{report:?}");
}
