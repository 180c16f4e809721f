//! Chapters "Middleware" and "CORS".

use ferroapi::axum::extract::Request;
use ferroapi::axum::middleware::{from_fn, Next};
use ferroapi::axum::response::Response;
use ferroapi::middleware::Cors;
use ferroapi::{get, App, Json};
use serde_json::{json, Value};

// ANCHOR: custom
/// FastAPI's `@app.middleware("http")`: runs around every request.
async fn shop_header(req: Request, next: Next) -> Response {
    let started = std::time::Instant::now();
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert("x-shop", "bookshop".parse().expect("a valid header"));
    tracing::debug!(took = ?started.elapsed(), "request done");
    res
}
// ANCHOR_END: custom

#[get("/books/")]
async fn list_books() -> Json<Value> {
    Json(json!(["Odes"]))
}

// ANCHOR: app
/// The chapters' app: a custom middleware, CORS and gzip.
pub fn app() -> App {
    App::new()
        .route(list_books)
        .layer(from_fn(shop_header))
        .cors(
            Cors::new()
                .allow_origins(["https://shop.example"])
                .allow_methods(["GET", "POST"])
                .allow_headers(["x-token"])
                .allow_credentials(true),
        )
        .gzip(1000)
}
// ANCHOR_END: app

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn every_answer_gets_the_header_and_cors() {
        let client = TestClient::new(app());
        let res = client
            .get("/books/")
            .header("origin", "https://shop.example")
            .send()
            .await;
        assert_eq!(res.header("x-shop"), Some("bookshop"));
        assert_eq!(
            res.header("access-control-allow-origin"),
            Some("https://shop.example")
        );
        // The fallback's 404 passes through the middleware too.
        assert_eq!(
            client.get("/nowhere").send().await.header("x-shop"),
            Some("bookshop")
        );
        let res = client
            .request(ferroapi::http::Method::OPTIONS, "/books/")
            .header("origin", "https://evil.example")
            .header("access-control-request-method", "GET")
            .send()
            .await;
        assert_eq!(res.status(), 400);
        assert_eq!(res.text(), "Disallowed CORS origin");
    }
}
