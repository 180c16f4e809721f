//! Errors, the FastAPI way.
//!
//! Two audiences, as in FastAPI: [`HTTPException`] is what a handler raises on
//! purpose (any JSON `detail`, extra headers), [`RequestValidationError`] is what
//! ferroapi raises when the request does not match the handler's signature (a
//! 422 whose `detail` lists every problem at once). Both render exactly as
//! FastAPI renders them, and both can be re-rendered by an app-wide exception
//! handler ([`crate::App::exception_handler`]). A panicking handler answers 500
//! `text/plain` `Internal Server Error`, and the server keeps serving.

use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};

use crate::validation::{detail_json, ErrorItem};

/// An error a handler returns to answer with a status and a JSON `detail`,
/// like FastAPI's `HTTPException`.
///
/// ```
/// use ferroapi::HTTPException;
/// let e = HTTPException::new(404, "Item not found").header("x-error", "missing-item");
/// assert_eq!(e.status().as_u16(), 404);
/// assert_eq!(e.detail(), &serde_json::json!("Item not found"));
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[error("HTTP {status}: {detail}")]
pub struct HTTPException {
    status: StatusCode,
    detail: serde_json::Value,
    headers: HeaderMap,
}

impl HTTPException {
    /// An exception with a status code and any JSON-serializable detail.
    ///
    /// # Panics
    /// If `status` is not a valid HTTP status code (100..=999), like FastAPI, which
    /// refuses such a status when the exception is created.
    pub fn new(status: u16, detail: impl serde::Serialize) -> Self {
        HTTPException {
            status: StatusCode::from_u16(status).expect("HTTPException: invalid status code"),
            detail: serde_json::to_value(detail).unwrap_or(serde_json::Value::Null),
            headers: HeaderMap::new(),
        }
    }

    /// An exception whose detail is the status's reason phrase (`403` → `"Forbidden"`),
    /// FastAPI's default.
    pub fn from_status(status: StatusCode) -> Self {
        HTTPException {
            status,
            detail: serde_json::Value::String(
                status.canonical_reason().unwrap_or("Unknown").to_string(),
            ),
            headers: HeaderMap::new(),
        }
    }

    /// Adds a response header (sent before `content-length` and `content-type`),
    /// its value written in latin-1 as Starlette writes it. A name or value
    /// HTTP cannot carry (a newline, a character past U+00FF) is left out,
    /// and logged, rather than failing the response.
    pub fn header(mut self, name: &str, value: impl AsRef<str>) -> Self {
        let value = value.as_ref();
        // The value in latin-1, as Starlette writes it (`é` is one byte).
        match (
            HeaderName::from_bytes(name.as_bytes()),
            crate::latin1::header_value(value),
        ) {
            (Ok(name), Some(value)) => {
                self.headers.append(name, value);
            }
            _ => tracing::warn!(
                name,
                value,
                "HTTPException header left out: not a valid header"
            ),
        }
        self
    }

    /// The status code.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The detail.
    pub fn detail(&self) -> &serde_json::Value {
        &self.detail
    }

    /// The extra headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// FastAPI's 404 for an unknown path.
    pub fn not_found() -> Self {
        Self::new(404, "Not Found")
    }
}

/// A status that carries no body (1xx, 204, 304): FastAPI sends no content then.
pub(crate) fn is_bodiless(status: StatusCode) -> bool {
    status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
}

impl IntoResponse for HTTPException {
    fn into_response(self) -> Response {
        let mut res = if is_bodiless(self.status) {
            crate::recycle::response(axum::body::Body::empty())
        } else {
            let body = serde_json::to_vec(&serde_json::json!({ "detail": self.detail }))
                .unwrap_or_else(|_| b"{\"detail\":null}".to_vec());
            crate::recycle::response(axum::body::Body::from(body))
        };
        *res.status_mut() = self.status;
        let headers = res.headers_mut();
        for (k, v) in &self.headers {
            headers.append(k, v.clone());
        }
        if !is_bodiless(self.status) {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
        }
        res
    }
}

/// The request did not match the handler's parameters: every problem, in
/// FastAPI's order (path, query, header, cookie, then body). Answers 422.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} validation error(s)", errors.len())]
pub struct RequestValidationError {
    errors: Vec<ErrorItem>,
}

impl RequestValidationError {
    /// Wraps a list of items.
    pub fn new(errors: Vec<ErrorItem>) -> Self {
        RequestValidationError { errors }
    }

    /// The items.
    pub fn errors(&self) -> &[ErrorItem] {
        &self.errors
    }

    /// The `{"detail":[...]}` body FastAPI sends, as compact JSON.
    pub fn body(&self) -> String {
        detail_json(&self.errors)
    }
}

impl IntoResponse for RequestValidationError {
    fn into_response(self) -> Response {
        json_response(StatusCode::UNPROCESSABLE_ENTITY, self.body().into_bytes())
    }
}

pub(crate) fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut res = crate::recycle::response(axum::body::Body::from(body));
    *res.status_mut() = status;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    res
}

/// The 500 answer for an unhandled error or a panic, as Starlette's
/// `ServerErrorMiddleware` sends it.
pub fn internal_server_error() -> Response {
    let mut res = Response::new(axum::body::Body::from("Internal Server Error"));
    *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    res
}

/// Failures inside ferroapi that are not the client's fault (typed, logged,
/// answered as 500).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A response could not be serialized (e.g. a non-finite float).
    #[error("response serialization failed: {0}")]
    Serialize(#[from] serde_json::Error),
    /// Reading the request body failed at the transport level.
    #[error("reading the request body failed: {0}")]
    Body(String),
    /// Binding or serving the socket failed.
    #[error("server I/O: {0}")]
    Io(#[from] std::io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    #[tokio::test]
    async fn http_exception_renders_like_fastapi() {
        let res = HTTPException::new(404, "Item not found")
            .header("x-error", "missing-item")
            .into_response();
        assert_eq!(res.status(), 404);
        let names: Vec<_> = res
            .headers()
            .keys()
            .map(|k| k.as_str().to_string())
            .collect();
        assert_eq!(names, ["x-error", "content-type"]);
        let body = res.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(&body[..], br#"{"detail":"Item not found"}"#);
    }

    #[tokio::test]
    async fn bodiless_statuses_send_nothing() {
        let res = HTTPException::new(204, "ignored").into_response();
        assert!(res.headers().get("content-type").is_none());
        let body = res.into_body().collect().await.unwrap().to_bytes();
        assert!(body.is_empty());
    }

    #[test]
    fn default_detail_is_reason_phrase() {
        let e = HTTPException::from_status(StatusCode::FORBIDDEN);
        assert_eq!(e.detail(), &serde_json::json!("Forbidden"));
    }
}
