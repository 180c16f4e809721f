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
