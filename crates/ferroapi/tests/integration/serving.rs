use ferroapi::{get, App, Json};

#[get("/panic")]
async fn panics() -> Json<u8> {
    panic!("handler bug")
}

#[get("/ok")]
async fn ok() -> Json<&'static str> {
    Json("ok")
}

/// One `GET` over a fresh connection: the raw answer, head and body.
pub(crate) async fn raw_get(addr: std::net::SocketAddr, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out
}

#[tokio::test]
async fn a_panicking_handler_answers_500_and_the_server_keeps_serving() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = App::new().route(panics).route(ok).into_router();
    tokio::spawn(async move { ferroapi::axum::serve(listener, router).await.unwrap() });

    let res = raw_get(addr, "/panic").await;
    assert!(res.starts_with("HTTP/1.1 500"), "{res}");
    assert!(res.contains("content-type: text/plain; charset=utf-8"));
    assert!(res.ends_with("Internal Server Error"));
    for _ in 0..3 {
        let res = raw_get(addr, "/ok").await;
        assert!(res.starts_with("HTTP/1.1 200"), "{res}");
        assert!(res.ends_with("\"ok\""));
    }
}

#[get("/slow")]
async fn slow() -> Json<&'static str> {
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    Json("done")
}

#[tokio::test]
async fn lifespan_hooks_and_graceful_shutdown() {
    use std::sync::{Arc, Mutex};
    let events = Arc::new(Mutex::new(Vec::<&'static str>::new()));
    let (e1, e2) = (events.clone(), events.clone());
    let app = App::new()
        .route(slow)
        .on_startup(move || async move { e1.lock().unwrap().push("startup") })
        .on_shutdown(move || async move { e2.lock().unwrap().push("shutdown") });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve_until(listener, async {
        let _ = stopped.await;
    }));
    // An in-flight request when shutdown starts still gets its answer.
    let request = tokio::spawn(raw_get(addr, "/slow"));
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(*events.lock().unwrap(), ["startup"]);
    stop.send(()).unwrap();
    let res = request.await.unwrap();
    assert!(res.starts_with("HTTP/1.1 200"), "{res}");
    assert!(res.ends_with("\"done\""));
    server.await.unwrap().unwrap();
    assert_eq!(*events.lock().unwrap(), ["startup", "shutdown"]);
}

mod disconnect {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    use ferroapi::{post, App, Json, State};

    #[derive(Clone, Default)]
    struct Writes(Arc<AtomicUsize>);

    /// A slow write: the client leaves before it is done.
    #[post("/write")]
    async fn write(State(w): State<Writes>) -> Json<&'static str> {
        tokio::time::sleep(Duration::from_millis(200)).await;
        w.0.fetch_add(1, Ordering::SeqCst);
        Json("done")
    }

    async fn writes_after_client_leaves(finish: bool) -> usize {
        use tokio::io::AsyncWriteExt;
        let writes = Writes::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = App::with_state(writes.clone())
            .finish_on_disconnect(finish)
            .route(write)
            .into_router();
        tokio::spawn(async move { ferroapi::axum::serve(listener, router).await.unwrap() });
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(b"POST /write HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(s);
        tokio::time::sleep(Duration::from_millis(400)).await;
        writes.0.load(Ordering::SeqCst)
    }

    #[tokio::test]
    async fn a_handler_finishes_when_the_client_leaves_if_asked() {
        assert_eq!(writes_after_client_leaves(true).await, 1);
        // axum's default: dropped at its next await.
        assert_eq!(writes_after_client_leaves(false).await, 0);
    }

    /// ferroapi's own server does not read an HTTP/1 connection while its
    /// request is handled: the handler runs to its end when the client
    /// leaves (as under uvicorn), without the option; and a client that only
    /// shuts its sending side still gets its answer.
    #[tokio::test]
    async fn on_its_own_server_a_handler_finishes_when_the_client_leaves() {
        // With the option on, the route runs in the connection's task there
        // (no task of its own): the same end.
        for finish in [false, true] {
            finishes_on_its_own_server(finish).await;
        }
    }

    async fn finishes_on_its_own_server(finish: bool) {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let writes = Writes::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = App::with_state(writes.clone())
            .finish_on_disconnect(finish)
            .route(write);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(app.serve_until(listener, async {
            let _ = stopped.await;
        }));
        let request = b"POST /write HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n";
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(request).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
        drop(s);
        tokio::time::sleep(Duration::from_millis(400)).await;
        assert_eq!(writes.0.load(Ordering::SeqCst), 1);
        // Half closed: the request is sent, the sending side shut.
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        s.write_all(request).await.unwrap();
        s.shutdown().await.unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).await.unwrap();
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        assert!(answer.ends_with("\"done\""), "{answer}");
        assert_eq!(writes.0.load(Ordering::SeqCst), 2);
        stop.send(()).unwrap();
        server.await.unwrap().unwrap();
    }
}

#[get("/url")]
async fn url_of(url: ferroapi::RequestUrl) -> Json<(String, String)> {
    Json((url.to_string(), url.base_url().to_string()))
}

/// One `GET` with the given `host` header line (or none) and extra lines.
async fn get_with(addr: std::net::SocketAddr, path: &str, head: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(format!("GET {path} HTTP/1.1\r\n{head}connection: close\r\n\r\n").as_bytes())
        .await
        .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    out.split_once("\r\n\r\n").unwrap().1.to_string()
}

#[tokio::test]
async fn request_url_over_a_socket_as_uvicorn_and_starlette_give_it() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let sub = App::new().route(url_of);
    let app = App::new()
        .root_path("/api")
        .route(url_of)
        .mount("/sub", sub);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(app.serve_until(listener, async {
        let _ = stopped.await;
    }));
    let port = addr.port();
    let got = get_with(addr, "/url?a=1", "host: example.com\r\n").await;
    assert_eq!(
        got,
        r#"["http://example.com/url?a=1","http://example.com/api/"]"#
    );
    // No host: the server's own address (uvicorn's ASGI `server`).
    let got = get_with(addr, "/url", "host: not a host\r\n").await;
    assert_eq!(
        got,
        format!(r#"["http://127.0.0.1:{port}/url","http://127.0.0.1:{port}/api/"]"#)
    );
    // A trusted peer (loopback) says the client used HTTPS.
    let got = get_with(addr, "/url", "host: h\r\nx-forwarded-proto: https\r\n").await;
    assert_eq!(got, r#"["https://h/url","https://h/api/"]"#);
    // A mounted app: its path keeps the prefix, its base is its parent's.
    let got = get_with(addr, "/sub/url", "host: h\r\n").await;
    assert_eq!(got, r#"["http://h/sub/url","http://h/api/"]"#);
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}
