//! Mirrors apps/layers.py: middleware in the order declared, the user's
//! interleaved with CORS and GZip.

use ferroapi::axum::{
    extract::Request,
    middleware::{from_fn, Next},
    response::{IntoResponse, Response},
};
use ferroapi::http::{header::CONTENT_TYPE, HeaderValue, StatusCode};
use ferroapi::middleware::Cors;
use ferroapi::{get, App, Json};
use serde_json::{json, Value};

#[get("/hello")]
async fn hello() -> Json<Value> {
    Json(json!({"message": "hello, layered world"}))
}

async fn inner(req: Request, next: Next) -> Response {
    if req.uri().path() == "/blocked" {
        let text = [(CONTENT_TYPE, "text/plain; charset=utf-8")];
        return (StatusCode::FORBIDDEN, text, "blocked by inner").into_response();
    }
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert("x-inner", HeaderValue::from_static("1"));
    res
}

async fn outer(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let saw = |res: &Response, name: &str| {
        res.headers()
            .get(name)
            .cloned()
            .unwrap_or(HeaderValue::from_static("none"))
    };
    let cors = saw(&res, "access-control-allow-origin");
    let encoding = saw(&res, "content-encoding");
    res.headers_mut().insert("x-outer-saw-cors", cors);
    res.headers_mut().insert("x-outer-saw-encoding", encoding);
    res
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .layer(from_fn(inner))
        .cors(
            Cors::new()
                .allow_origins(["https://a.example"])
                .allow_methods(["GET"])
                .allow_headers(["x-token"]),
        )
        .layer(from_fn(outer))
        .gzip(10)
        .route(hello)
        .into_router()
}
