//! An in-process test client: requests go through the app's router as a tower
//! service, with no socket (FastAPI's `TestClient`).

use axum::body::Body;
use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

mod constraints;
pub use constraints::ConstraintReport;

/// Sends requests to an app in-process.
///
/// ```
/// use ferroapi::{get, App, Json, Path, TestClient};
///
/// #[get("/items/{id}")]
/// async fn item(id: Path<u32>) -> Json<u32> { Json(*id) }
///
/// # tokio_test_block(async {
/// let client = TestClient::new(App::new().route(item));
/// let res = client.get("/items/7").send().await;
/// assert_eq!(res.status(), 200);
/// assert_eq!(res.text(), "7");
/// let res = client.get("/items/x").send().await;
/// assert_eq!(res.status(), 422);
/// # });
/// # fn tokio_test_block(f: impl std::future::Future<Output = ()>) {
/// #     tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct TestClient {
    router: axum::Router,
}

impl TestClient {
    /// A client for an app (or anything that becomes an axum router).
    pub fn new(app: impl Into<axum::Router>) -> Self {
        TestClient { router: app.into() }
    }

    /// A client for an app after its start-up hooks have run (FastAPI's
    /// `with TestClient(app) as client:`, which runs the lifespan).
    pub async fn start<S: Clone + Send + Sync + 'static>(app: crate::App<S>) -> Self {
        app.run_startup().await;
        TestClient::new(app)
    }

    /// Starts a request with any method.
    pub fn request(&self, method: Method, uri: &str) -> RequestBuilder {
        RequestBuilder {
            router: self.router.clone(),
            method,
            uri: uri.to_string(),
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// GET.
    pub fn get(&self, uri: &str) -> RequestBuilder {
        self.request(Method::GET, uri)
    }
    /// POST.
    pub fn post(&self, uri: &str) -> RequestBuilder {
        self.request(Method::POST, uri)
    }
    /// PUT.
    pub fn put(&self, uri: &str) -> RequestBuilder {
        self.request(Method::PUT, uri)
    }
    /// PATCH.
    pub fn patch(&self, uri: &str) -> RequestBuilder {
        self.request(Method::PATCH, uri)
    }
    /// DELETE.
    pub fn delete(&self, uri: &str) -> RequestBuilder {
        self.request(Method::DELETE, uri)
    }
}

impl<S: Clone + Send + Sync + 'static> From<crate::App<S>> for axum::Router {
    fn from(app: crate::App<S>) -> Self {
        app.into_router()
    }
}

/// A request being built.
#[derive(Debug)]
pub struct RequestBuilder {
    router: axum::Router,
    method: Method,
    uri: String,
    headers: HeaderMap,
    body: Bytes,
}

impl RequestBuilder {
    /// Adds a header.
    ///
    /// # Panics
    /// If the name or value is invalid.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.append(
            HeaderName::from_bytes(name.as_bytes()).expect("header name"),
            HeaderValue::from_bytes(value.as_bytes()).expect("header value"),
        );
        self
    }

    /// Sets a raw body (no content type is added).
    pub fn body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Sets a JSON body and `content-type: application/json`.
    ///
    /// # Panics
    /// If `value` cannot be serialized.
    pub fn json<T: serde::Serialize>(self, value: &T) -> Self {
        let bytes = serde_json::to_vec(value).expect("serializable");
        self.header("content-type", "application/json").body(bytes)
    }

    /// Sets a urlencoded form body and its content type.
    pub fn form(self, fields: &[(&str, &str)]) -> Self {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        self.header("content-type", "application/x-www-form-urlencoded")
            .body(body)
    }

    /// Sends it through the app.
    pub async fn send(self) -> TestResponse {
        let mut req = Request::builder()
            .method(self.method)
            .uri(&self.uri)
            .body(Body::from(self.body))
            .expect("valid request");
        *req.headers_mut() = self.headers;
        // Starlette's test client is `("testclient", 50000)`; an address
        // here (loopback, so a test may send `X-Forwarded-For`).
        req.extensions_mut().insert(crate::extract::Peer(
            std::net::SocketAddr::from(([127, 0, 0, 1], 50000)),
            Some(crate::extract::Server::Named("testserver", 80)),
        ));
        if !req.headers().contains_key(http::header::HOST) {
            req.headers_mut()
                .insert(http::header::HOST, HeaderValue::from_static("testserver"));
        }
        let res = match self.router.oneshot(req).await {
            Ok(r) => r,
            Err(never) => match never {},
        };
        let (parts, body) = res.into_parts();
        let body = body
            .collect()
            .await
            .map(|c| c.to_bytes())
            .unwrap_or_default();
        // Like FastAPI's TestClient: background tasks have run on return.
        if let Some(done) = parts.extensions.get::<crate::BackgroundDone>() {
            done.wait().await;
        }
        TestResponse {
            status: parts.status,
            headers: parts.headers,
            body,
        }
    }
}

/// A response received by the [`TestClient`].
#[derive(Debug, Clone)]
pub struct TestResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl TestResponse {
    /// The status.
    pub fn status(&self) -> StatusCode {
        self.status
    }
    /// The headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }
    /// One header as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    /// The body bytes.
    pub fn bytes(&self) -> &Bytes {
        &self.body
    }
    /// The body as text (lossy UTF-8).
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    /// The body parsed as JSON.
    ///
    /// # Panics
    /// If the body is not JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}
