//! Chapter "Handling errors".

use ferroapi::axum::response::{IntoResponse, Response};
use ferroapi::http::StatusCode;
use ferroapi::{get, post, App, HTTPException, Json, Path};
use serde_json::{json, Value};

// ANCHOR: raise
#[get("/books/{slug}")]
async fn read_book(slug: Path<String>) -> Result<Json<Value>, HTTPException> {
    match slug.as_str() {
        "odes" => Ok(Json(json!({"title": "Odes"}))),
        _ => Err(HTTPException::new(404, "Book not found").header("x-error", "missing")),
    }
}
// ANCHOR_END: raise

// ANCHOR: custom
/// The shop's own error: answered by the handler installed on the app.
#[derive(Debug)]
pub struct OutOfStock(pub String);

impl IntoResponse for OutOfStock {
    // Used only when no handler is installed.
    fn into_response(self) -> Response {
        StatusCode::CONFLICT.into_response()
    }
}

#[post("/orders/{slug}")]
async fn order(slug: Path<String>) -> Result<Json<Value>, OutOfStock> {
    Err(OutOfStock(slug.0))
}

/// The chapter's app.
pub fn app() -> App {
    App::new()
        .route(read_book)
        .route(order)
        .exception_handler(|_parts, e: OutOfStock| {
            let body = json!({"message": format!("{} is out of stock", e.0)});
            (StatusCode::CONFLICT, Json(body)).into_response()
        })
}
// ANCHOR_END: custom

// ANCHOR: override
/// Validation errors as plain text, as FastAPI's
/// `@app.exception_handler(RequestValidationError)` example does.
pub fn plain_validation_errors(app: App) -> App {
    app.exception_handler(|_parts, e: ferroapi::RequestValidationError| {
        let lines: Vec<String> = e
            .errors()
            .iter()
            .map(|item| item.to_json().to_string())
            .collect();
        (StatusCode::BAD_REQUEST, lines.join("\n")).into_response()
    })
}
// ANCHOR_END: override

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn raised_and_custom_errors() {
        let client = TestClient::new(app());
        let res = client.get("/books/epics").send().await;
        assert_eq!(res.status(), 404);
        assert_eq!(res.header("x-error"), Some("missing"));
        assert_eq!(res.text(), r#"{"detail":"Book not found"}"#);
        let res = client.post("/orders/odes").send().await;
        assert_eq!(res.status(), 409);
        assert_eq!(res.text(), r#"{"message":"odes is out of stock"}"#);
    }

    #[tokio::test]
    async fn validation_errors_can_be_rendered_differently() {
        #[get("/n/{n}")]
        async fn n(n: Path<i64>) -> Json<i64> {
            Json(n.0)
        }
        let client = TestClient::new(plain_validation_errors(App::new().route(n)));
        let res = client.get("/n/x").send().await;
        assert_eq!(res.status(), 400);
        assert!(res.text().contains("int_parsing"));
    }
}
