//! What a route function returns, and how it becomes an HTTP response.
//!
//! A route function returns any [`Responder`]: [`Json`] (the usual case, with
//! the route's `status_code`), [`Html`], [`PlainText`], [`Redirect`], [`Stream`],
//! [`FileResponse`], a plain `axum::response::Response`, `()` (JSON `null`),
//! `Result<T, E>` where `E` is an error (`HTTPException` or your own type,
//! rendered by an app exception handler when one is registered), or
//! `(ResponseHeaders, T)` to add headers and cookies.

mod file;
mod headers;
mod streams;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use http::{header, request::Parts, HeaderValue, StatusCode};

pub use file::FileResponse;
pub use headers::{ResponseHeaders, SameSite, SetCookie};
pub use streams::{EventItem, EventStream, JsonLines, KeepAlive, ServerSentEvent};

use crate::error::is_bodiless;
pub use crate::extract::Json;

/// Facts a [`Responder`] may use: the route's status code, the request head
/// and the app's exception handlers.
#[derive(Debug)]
pub struct ResponseCtx<'a> {
    /// The route's declared success status (`status_code=`), 200 by default.
    pub status: StatusCode,
    /// The request head.
    pub parts: &'a Parts,
    pub(crate) handlers: &'a crate::handlers::Handlers,
}

impl<'a> ResponseCtx<'a> {
    #[doc(hidden)]
    pub fn new(
        status: http::StatusCode,
        parts: &'a Parts,
        handlers: &'a crate::handlers::Handlers,
    ) -> Self {
        ResponseCtx {
            status,
            parts,
            handlers,
        }
    }

    /// Renders an error through the app's exception handler for its type, or
    /// its own `IntoResponse` when none is registered.
    pub fn error<E: IntoResponse + Send + 'static>(&self, e: E) -> Response {
        self.handlers.render(self.parts, e)
    }
}

/// A value a route function can return.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be returned from a ferroapi route",
    label = "not a response type",
    note = "return Json<T>, Html, PlainText, Redirect, Stream, FileResponse, axum::response::Response, (), Result<T, E> with E: IntoResponse, or (ResponseHeaders, T)"
)]
pub trait Responder {
    /// Builds the response.
    fn respond(self, cx: &ResponseCtx<'_>) -> Response;

    /// What the success response looks like in the OpenAPI document (called
    /// once, when the route is built).
    fn describe(_cx: &mut crate::openapi::parts::Describe) {}
}

// Content types checked once, at compile time (`from_static` called at run
// time checks every byte of the value on every response).
const APPLICATION_JSON: HeaderValue = HeaderValue::from_static("application/json");
const TEXT_HTML: HeaderValue = HeaderValue::from_static("text/html; charset=utf-8");
const TEXT_PLAIN: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");

fn with_type(status: StatusCode, body: Body, content_type: HeaderValue) -> Response {
    let mut res = crate::recycle::response(body);
    *res.status_mut() = status;
    res.headers_mut().insert(header::CONTENT_TYPE, content_type);
    res
}

impl<T: serde::Serialize + schemars::JsonSchema> Responder for Json<T> {
    fn describe(cx: &mut crate::openapi::parts::Describe) {
        let schema = cx.output_schema_for::<T>();
        cx.response(Some("application/json"), Some(schema));
    }

    fn respond(self, cx: &ResponseCtx<'_>) -> Response {
        if is_bodiless(cx.status) {
            // FastAPI sends no body for 204/304 but keeps the JSON content type.
            return with_type(cx.status, Body::empty(), APPLICATION_JSON);
        }
        match serde_json::to_vec(&self.0) {
            Ok(bytes) => with_type(cx.status, Body::from(bytes), APPLICATION_JSON),
            Err(_) => crate::error::internal_server_error(),
        }
    }
}

/// `Json` is also a plain axum response (200), for use in exception handlers
/// and axum handlers.
impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(bytes) => with_type(StatusCode::OK, Body::from(bytes), APPLICATION_JSON),
            Err(_) => crate::error::internal_server_error(),
        }
    }
}

impl Responder for () {
    fn describe(cx: &mut crate::openapi::parts::Describe) {
        cx.response(Some("application/json"), None);
    }

    fn respond(self, cx: &ResponseCtx<'_>) -> Response {
        Json(()).respond(cx)
    }
}

impl Responder for Response {
    fn respond(self, _cx: &ResponseCtx<'_>) -> Response {
        self
    }
}

impl Responder for StatusCode {
    fn respond(self, _cx: &ResponseCtx<'_>) -> Response {
        let mut res = crate::recycle::response(Body::empty());
        *res.status_mut() = self;
        res
    }
}

impl Responder for crate::HTTPException {
    fn respond(self, cx: &ResponseCtx<'_>) -> Response {
        cx.error(self)
    }
}

impl<T: Responder, E: IntoResponse + Send + 'static> Responder for Result<T, E> {
    fn describe(cx: &mut crate::openapi::parts::Describe) {
        T::describe(cx);
    }

    fn respond(self, cx: &ResponseCtx<'_>) -> Response {
        match self {
            Ok(v) => v.respond(cx),
            Err(e) => cx.error(e),
        }
    }
}

impl<T: Responder> Responder for (ResponseHeaders, T) {
    fn describe(cx: &mut crate::openapi::parts::Describe) {
        T::describe(cx);
    }

    fn respond(self, cx: &ResponseCtx<'_>) -> Response {
        let mut res = self.1.respond(cx);
        self.0.apply(res.headers_mut());
        res
    }
}

impl<T: Responder> Responder for (StatusCode, T) {
    fn describe(cx: &mut crate::openapi::parts::Describe) {
        T::describe(cx);
    }

    fn respond(self, cx: &ResponseCtx<'_>) -> Response {
        let inner = ResponseCtx {
            status: self.0,
            parts: cx.parts,
            handlers: cx.handlers,
        };
        self.1.respond(&inner)
    }
}

/// An HTML response (`text/html; charset=utf-8`), FastAPI's `HTMLResponse`.
#[derive(Debug, Clone)]
pub struct Html<T>(pub T);

impl<T: Into<Body>> Responder for Html<T> {
    fn describe(cx: &mut crate::openapi::parts::Describe) {
        cx.response(Some("text/html"), None);
    }

    fn respond(self, cx: &ResponseCtx<'_>) -> Response {
        with_type(cx.status, self.0.into(), TEXT_HTML)
    }
}

/// A plain-text response (`text/plain; charset=utf-8`), FastAPI's `PlainTextResponse`.
#[derive(Debug, Clone)]
pub struct PlainText<T>(pub T);

impl<T: Into<Body>> Responder for PlainText<T> {
    fn describe(cx: &mut crate::openapi::parts::Describe) {
        cx.response(Some("text/plain"), None);
    }

    fn respond(self, cx: &ResponseCtx<'_>) -> Response {
        with_type(cx.status, self.0.into(), TEXT_PLAIN)
    }
}

/// A redirect, FastAPI's `RedirectResponse`: 307 unless told otherwise, by
/// [`Redirect::with_status`] or by the route's own `status_code` (a route
/// declared `status_code = 301` that returns `Redirect::to(..)` answers 301,
/// as FastAPI's `response_class=RedirectResponse` does). Such a route is
/// documented with no content; on a route without a 3xx status it is
/// documented as FastAPI documents a `RedirectResponse` returned directly.
#[derive(Debug, Clone)]
pub struct Redirect {
    status: Option<StatusCode>,
    location: String,
}

impl Redirect {
    /// A redirect to `location`: 307 Temporary Redirect, or the route's
    /// redirect status.
    pub fn to(location: impl Into<String>) -> Self {
        Redirect {
            status: None,
            location: location.into(),
        }
    }

    /// The same, with another status (301, 302, 303, 308).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }
}

impl Responder for Redirect {
    fn describe(cx: &mut crate::openapi::parts::Describe) {
        cx.redirect();
    }

    fn respond(self, cx: &ResponseCtx<'_>) -> Response {
        let mut res = crate::recycle::response(Body::empty());
        *res.status_mut() = self.status.unwrap_or(if cx.status.is_redirection() {
            cx.status
        } else {
            StatusCode::TEMPORARY_REDIRECT
        });
        // Starlette percent-quotes the URL, keeping the reserved characters.
        let quoted =
            percent_encoding::utf8_percent_encode(&self.location, LOCATION_SET).to_string();
        if let Ok(v) = HeaderValue::from_str(&quoted) {
            res.headers_mut().insert(header::LOCATION, v);
        }
        res
    }
}

const LOCATION_SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

/// A streamed response body, FastAPI's `StreamingResponse`.
pub struct Stream {
    body: Body,
    content_type: HeaderValue,
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stream")
            .field("content_type", &self.content_type)
            .finish_non_exhaustive()
    }
}

impl Stream {
    /// Streams the chunks of `stream` as they come, with a media type.
    ///
    /// # Panics
    /// If `content_type` is not a valid header value.
    pub fn new<St, B, E>(stream: St, content_type: &str) -> Self
    where
        St: futures_util::Stream<Item = Result<B, E>> + Send + 'static,
        B: Into<bytes::Bytes> + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        // Starlette adds `; charset=utf-8` to text media types.
        let content_type = if content_type.starts_with("text/") && !content_type.contains("charset")
        {
            format!("{content_type}; charset=utf-8")
        } else {
            content_type.to_string()
        };
        Stream {
            body: Body::from_stream(stream),
            content_type: HeaderValue::from_str(&content_type).expect("invalid content type"),
        }
    }
}

impl Responder for Stream {
    fn respond(self, cx: &ResponseCtx<'_>) -> Response {
        let mut res = crate::recycle::response(self.body);
        *res.status_mut() = cx.status;
        res.headers_mut()
            .insert(header::CONTENT_TYPE, self.content_type);
        res
    }
}

/// Wraps any axum `IntoResponse` value as a [`Responder`].
#[derive(Debug, Clone)]
pub struct Raw<T>(pub T);

impl<T: IntoResponse> Responder for Raw<T> {
    fn respond(self, _cx: &ResponseCtx<'_>) -> Response {
        self.0.into_response()
    }
}

/// Converts what a route function returned into its declared response model
/// (`#[get(..., response_model = Out)]`), like FastAPI's `response_model`
/// filtering fields: `Json<T>` becomes `Json<M>` through `From`.
pub trait IntoModel<M> {
    /// The converted type.
    type Output: Responder;
    /// Converts.
    fn into_model(self) -> Self::Output;
}

impl<M: From<T> + serde::Serialize + schemars::JsonSchema, T> IntoModel<M> for Json<T> {
    type Output = Json<M>;
    fn into_model(self) -> Json<M> {
        Json(M::from(self.0))
    }
}

impl<M, T, E> IntoModel<M> for Result<T, E>
where
    T: IntoModel<M>,
    E: IntoResponse + Send + 'static,
{
    type Output = Result<T::Output, E>;
    fn into_model(self) -> Self::Output {
        self.map(T::into_model)
    }
}
