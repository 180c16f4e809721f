use ferroapi::axum::{self, routing::get as axum_get};
use ferroapi::{get, head, App, Json, Path, TestClient};

#[get("/items/{item_id}")]
async fn read_item(item_id: Path<u32>) -> Json<u32> {
    Json(*item_id)
}

#[head("/items/{item_id}")]
async fn head_item(Path(item_id): Path<u32>) -> ferroapi::http::StatusCode {
    let _ = item_id;
    ferroapi::http::StatusCode::NO_CONTENT
}

#[tokio::test]
async fn declared_head_answers_and_get_does_not_imply_it() {
    let client = TestClient::new(App::new().route(read_item));
    let res = client
        .request(ferroapi::http::Method::HEAD, "/items/1")
        .send()
        .await;
    assert_eq!(res.status(), 405);
    assert_eq!(res.header("allow"), Some("GET"));

    let client = TestClient::new(App::new().route(read_item).route(head_item));
    let res = client
        .request(ferroapi::http::Method::HEAD, "/items/1")
        .send()
        .await;
    assert_eq!(res.status(), 204);
}

#[tokio::test]
async fn plain_axum_routes_and_tower_layers_mount() {
    let plain = axum::Router::new().route("/plain", axum_get(|| async { "plain axum" }));
    let router = App::new()
        .route(read_item)
        .merge(plain)
        .into_router()
        .layer(axum::middleware::map_response(add_header));
    let client = TestClient::new(router);
    let res = client.get("/plain").send().await;
    assert_eq!(res.text(), "plain axum");
    assert_eq!(res.header("x-layer"), Some("yes"));
    let res = client.get("/items/4").send().await;
    assert_eq!(res.text(), "4");
    assert_eq!(res.header("x-layer"), Some("yes"));
}

async fn add_header(mut res: axum::response::Response) -> axum::response::Response {
    res.headers_mut()
        .insert("x-layer", ferroapi::http::HeaderValue::from_static("yes"));
    res
}

#[tokio::test]
async fn routes_without_the_macro() {
    use ferroapi::{RouteDef, RouteMeta};
    // A route assembled by hand: the same machinery the macro drives.
    let route: RouteDef<()> = RouteDef::new(
        vec![ferroapi::http::Method::GET],
        "/manual",
        ferroapi::extract::RouteInfo {
            body: ferroapi::extract::BodyKind::None,
            max_body: 1024,
            ..Default::default()
        },
        RouteMeta::new("manual"),
        std::sync::Arc::new(|_call| {
            Box::pin(async { ferroapi::axum::response::IntoResponse::into_response("manual") })
        }),
    );
    let client = TestClient::new(App::new().route(route));
    assert_eq!(client.get("/manual").send().await.text(), "manual");
}

#[get("/{name}")]
async fn by_name(name: Path<String>) -> Json<String> {
    Json(format!("name={}", *name))
}

#[get("/{a}/{b}")]
async fn by_pair(a: Path<String>, b: Path<String>) -> Json<String> {
    Json(format!("pair={}+{}", *a, *b))
}

#[get("/files/{p:path}")]
async fn by_file(p: Path<String>) -> Json<String> {
    Json(format!("file={}", *p))
}

#[get("/echo/{v}")]
async fn echo(v: Path<String>) -> Json<String> {
    Json(format!("echo={}", *v))
}

/// An app whose parameter routes overlap the docs and a static mount: the
/// docs and the mount win, as in axum's router (a static segment first).
fn overlapping(dir: &std::path::Path) -> App {
    App::new()
        .route(by_name)
        .route(by_pair)
        .route(by_file)
        .route(echo)
        .static_files("/static", dir)
}

/// (path, status, a piece of the body) — the same in every way of serving.
const ANSWERS: &[(&str, u16, &str)] = &[
    ("/ferris", 200, "\"name=ferris\""),
    ("/a/b", 200, "\"pair=a+b\""),
    ("/docs", 200, "swagger-ui"),
    ("/openapi.json", 200, "\"openapi\""),
    ("/static/hello.txt", 200, "hello from disk"),
    ("/static/missing.txt", 404, "Not Found"),
    ("/files/", 200, "\"file=\""),
    ("/files/a/b/c", 200, "\"file=a/b/c\""),
    ("/echo/caf%C3%A9", 200, "\"echo=café\""),
    // Starlette matches the decoded path: an escaped `/` makes two segments.
    ("/echo/a%2Fb", 404, "{\"detail\":\"Not Found\"}"),
    ("/files/a%2Fb", 200, "\"file=a/b\""),
    ("/echo/%FF", 404, "{\"detail\":\"Not Found\"}"),
    ("/a/b/c/d", 404, "{\"detail\":\"Not Found\"}"),
];

fn static_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("hello.txt"), "hello from disk").unwrap();
    dir
}

#[tokio::test]
async fn served_the_dispatcher_picks_what_the_router_would() {
    let dir = static_dir();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(overlapping(dir.path()).serve_until(listener, async {
        let _ = stopped.await;
    }));
    for (path, status, piece) in ANSWERS {
        let res = super::serving::raw_get(addr, path).await;
        assert!(
            res.starts_with(&format!("HTTP/1.1 {status}")),
            "{path}: {res}"
        );
        assert!(res.contains(piece), "{path}: {res}");
    }
    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

#[tokio::test]
async fn through_the_router_and_its_middleware_the_answers_are_the_same() {
    let dir = static_dir();
    let plain = axum::Router::new().route("/plain/x", axum_get(|| async { "plain axum" }));
    // `into_router` (the dispatcher behind a router), merged axum routes and
    // middleware of the app's own (the router dispatches): the same answers.
    let apps = [
        overlapping(dir.path()),
        overlapping(dir.path()).merge(plain),
        overlapping(dir.path()).layer(axum::middleware::map_response(add_header)),
    ];
    for app in apps {
        let client = TestClient::new(app);
        for (path, status, piece) in ANSWERS {
            let res = client.get(path).send().await;
            assert_eq!(res.status(), *status, "{path}");
            assert!(res.text().contains(piece), "{path}: {}", res.text());
        }
    }
}
