//! `ferroapi::logs::init()` (feature `logging`), in a child process whose
//! standard output is a pipe: plain text without escape codes, or JSON lines
//! with `LOG_FORMAT=json`; a request's lines carry its request and trace ids.

use std::process::Command;

use ferroapi::{get, App, Json, TestClient};

const TRACEPARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

#[get("/hello")]
async fn hello() -> Json<&'static str> {
    tracing::info!(answer = 42, "inside the handler");
    Json("hi")
}

/// What the child runs: the logger, then one traced request.
fn child() {
    ferroapi::logs::init();
    tracing::info!("before any request");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let client = TestClient::new(App::new().route(hello).tracing());
        let res = client
            .get("/hello")
            .header("x-request-id", "req-42")
            .header("traceparent", TRACEPARENT)
            .send()
            .await;
        assert_eq!(res.header("x-request-id"), Some("req-42"));
    });
    // A real server batches its lines, and writes them all when it stops.
    rt.block_on(async {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(App::new().route(hello).tracing().serve_until(
            listener,
            async {
                let _ = stopped.await;
            },
        ));
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(
            b"GET /hello HTTP/1.1\r\nhost: x\r\nx-request-id: served-7\r\nconnection: close\r\n\r\n",
        )
        .await
        .unwrap();
        let mut answer = Vec::new();
        s.read_to_end(&mut answer).await.unwrap();
        assert!(answer.starts_with(b"HTTP/1.1 200"));
        stop.send(()).unwrap();
        server.await.unwrap().unwrap();
    });
    // Nothing is logged after: the process ends with what the stop wrote.
}

/// The child's standard output with `env`, the test harness's own lines left out.
fn run_child(env: &[(&str, &str)]) -> Vec<String> {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "logs_in_a_pipe",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("FERROAPI_LOGS_CHILD", "1")
    .env_remove("LOG_FORMAT")
    .env_remove("NO_COLOR")
    .env("RUST_LOG", "info");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        // libtest writes `test NAME ... ` before the test's output, and `ok` after.
        .map(|l| l.strip_prefix("test logs_in_a_pipe ... ").unwrap_or(l))
        .filter(|l| {
            !l.is_empty()
                && !l.starts_with("running ")
                && !l.starts_with("test result:")
                && *l != "ok"
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn logs_in_a_pipe() {
    if std::env::var_os("FERROAPI_LOGS_CHILD").is_some() {
        child();
        return;
    }
    // Plain text: no escape codes, the request's ids on the handler's line.
    let text = run_child(&[]);
    assert!(text.iter().all(|l| !l.contains('\x1b')), "{text:#?}");
    let before = text
        .iter()
        .find(|l| l.contains("before any request"))
        .unwrap_or_else(|| panic!("{text:#?}"));
    assert!(before.contains(" INFO "), "{before}");
    let inside = text
        .iter()
        .find(|l| l.contains("inside the handler"))
        .unwrap_or_else(|| panic!("{text:#?}"));
    assert!(inside.contains("request_id=req-42"), "{inside}");
    assert!(
        inside.contains("trace_id=4bf92f3577b34da6a3ce929d0e0e4736"),
        "{inside}"
    );
    assert!(inside.contains("answer=42"), "{inside}");
    // The served request's access line, batched, written when the server
    // stopped.
    assert!(
        text.iter()
            .any(|l| l.contains("request_id=served-7") && l.contains("status=200")),
        "{text:#?}"
    );

    // JSON lines: every line an object; the handler's has the request's span.
    let json = run_child(&[("LOG_FORMAT", "json")]);
    let lines: Vec<serde_json::Value> = json
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    let inside = lines
        .iter()
        .find(|v| v["fields"]["message"] == "inside the handler")
        .unwrap();
    assert_eq!(inside["level"], "INFO");
    assert_eq!(inside["fields"]["answer"], 42);
    assert_eq!(inside["span"]["name"], "request");
    assert_eq!(inside["span"]["request_id"], "req-42");
    assert_eq!(
        inside["span"]["trace_id"],
        "4bf92f3577b34da6a3ce929d0e0e4736"
    );
    assert_eq!(inside["span"]["path"], "/hello");
    // The access line (one a request, at INFO) carries the ids too.
    assert!(lines
        .iter()
        .any(|v| v["span"]["request_id"] == "req-42" && v["fields"]["status"] == 200));
}
