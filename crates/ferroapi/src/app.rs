//! The application: routes, routers, state, exception handlers and serving.

use std::any::TypeId;
use std::sync::Arc;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use http::{header, request::Parts, HeaderValue, StatusCode};

use crate::error::internal_server_error;
use crate::handlers::{ErasedHandler, ErasedOverride, Handlers};
use crate::routing::{
    axum_path, APIRouter, OperationIdFn, PathService, PathTable, Route, RouteDef, RouteMeta,
};
use crate::HTTPException;

pub use crate::extract::DEFAULT_MAX_BODY;

/// The environment variable that makes [`App::serve`] and
/// [`App::serve_until`] write the app's OpenAPI document (to the file it
/// names, or to standard output for `-`) instead of serving: what
/// `ferroapi openapi` sets.
pub const OPENAPI_ENV: &str = "FERROAPI_OPENAPI";

/// A ferroapi application, FastAPI's `FastAPI()`.
///
/// ```
/// use ferroapi::{get, App, Json, Path};
///
/// #[get("/items/{item_id}")]
/// async fn read_item(item_id: Path<u32>) -> Json<u32> {
///     Json(item_id.0)
/// }
///
/// let router: axum::Router = App::new().title("Shop").route(read_item).into_router();
/// ```
pub struct App<S = ()> {
    state: S,
    title: String,
    version: String,
    description: Option<String>,
    routes: Vec<RouteDef<S>>,
    extra: axum::Router,
    /// `merge` was called: `extra` has paths the dispatcher cannot see.
    merged: bool,
    handlers: Handlers,
    redirect_slashes: bool,
    limits: crate::extract::Limits,
    websocket: crate::websocket::WebSocketConfig,
    summary: Option<String>,
    openapi_url: Option<String>,
    operation_id: Option<Arc<OperationIdFn>>,
    docs: crate::docs::DocsConfig,
    info: crate::openapi::Info,
    guards: Vec<crate::extract::Guard<S>>,
    gzip_min: Option<u16>,
    trusted: Option<crate::middleware::TrustedHosts>,
    statics: Vec<(String, crate::staticfiles::StaticFiles)>,
    apps: Vec<(String, axum::Router)>,
    spa: Option<std::path::PathBuf>,
    cors: Option<crate::middleware::Cors>,
    #[cfg(feature = "grpc")]
    pub(crate) grpc: crate::grpc::GrpcConfig,
    https_redirect: bool,
    timeout: Option<std::time::Duration>,
    server: crate::server::ServerConfig,
    finish_on_disconnect: bool,
    tracing: bool,
    /// The middleware in the order declared: the user's layers and
    /// Starlette's own (CORS, GZip, HTTPS redirect, trusted hosts).
    layers: Vec<Layered>,
    #[cfg(feature = "metrics")]
    metrics: Option<String>,
    #[cfg(feature = "otel")]
    otel: bool,
}

/// What an app serves: its dispatcher alone, or an axum router (middleware
/// around the dispatcher, or every route when the router dispatches).
pub(crate) enum Built<S> {
    Dispatch(crate::dispatch::Dispatch<S>),
    /// The dispatcher alone, its requests observed (metrics, traces).
    #[cfg(any(feature = "metrics", feature = "otel"))]
    Observed(crate::telemetry::Observed<crate::dispatch::Dispatch<S>>),
    Router(axum::Router),
}

/// A user's middleware, applied by `into_router`.
type RouterLayer = Box<dyn FnOnce(axum::Router) -> axum::Router + Send + Sync>;

/// A middleware where it was declared: of two, the one declared last is
/// outermost, as Starlette stacks `add_middleware` and
/// `@app.middleware("http")`.
enum Layered {
    User(RouterLayer),
    Cors,
    Gzip,
    HttpsRedirect,
    TrustedHosts,
}

impl Layered {
    fn is_user(&self) -> bool {
        matches!(self, Layered::User(_))
    }
}

/// The built-in middleware's settings, compiled once.
struct Builtins {
    gzip_min: Option<u16>,
    cors: Option<Arc<crate::middleware::CompiledCors>>,
    trusted: Option<crate::middleware::TrustedHosts>,
}

impl Builtins {
    /// Wraps `router` in one built-in middleware.
    fn wrap(&self, layer: &Layered, router: axum::Router) -> axum::Router {
        match layer {
            Layered::User(_) => router,
            Layered::Gzip => {
                use tower_http::compression::predicate::{NotForContentType, Predicate};
                let Some(min) = self.gzip_min else {
                    return router;
                };
                let predicate = crate::middleware::GzipSize::new(min)
                    .and(NotForContentType::GRPC)
                    .and(NotForContentType::IMAGES);
                router
                    .layer(
                        tower_http::compression::CompressionLayer::new()
                            .gzip(true)
                            .compress_when(predicate),
                    )
                    .layer(axum::middleware::map_response(
                        crate::middleware::vary_as_starlette,
                    ))
            }
            Layered::Cors => {
                let Some(config) = self.cors.clone() else {
                    return router;
                };
                router.layer(axum::middleware::from_fn(
                    move |req: Request, next: axum::middleware::Next| {
                        crate::middleware::cors(config.clone(), req, next)
                    },
                ))
            }
            Layered::HttpsRedirect => {
                router.layer(axum::middleware::from_fn(crate::middleware::https_redirect))
            }
            Layered::TrustedHosts => {
                let Some(hosts) = self.trusted.clone() else {
                    return router;
                };
                router.layer(axum::middleware::from_fn(
                    move |req: Request, next: axum::middleware::Next| {
                        crate::middleware::trusted_host(hosts.clone(), req, next)
                    },
                ))
            }
        }
    }
}

impl<S> std::fmt::Debug for App<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("title", &self.title)
            .field("routes", &self.routes)
            .finish_non_exhaustive()
    }
}

impl App<()> {
    /// An app without state.
    pub fn new() -> Self {
        App::with_state(())
    }
}

impl Default for App<()> {
    fn default() -> Self {
        App::new()
    }
}

impl<S: Clone + Send + Sync + 'static> App<S> {
    /// An app whose routes can read `state` (through [`crate::State`]).
    pub fn with_state(state: S) -> Self {
        App {
            state,
            title: "FastAPI".into(),
            version: "0.1.0".into(),
            description: None,
            routes: Vec::new(),
            extra: axum::Router::new(),
            merged: false,
            handlers: Handlers::default(),
            redirect_slashes: true,
            limits: crate::extract::Limits::default(),
            websocket: crate::websocket::WebSocketConfig::DEFAULT,
            summary: None,
            openapi_url: Some("/openapi.json".into()),
            operation_id: None,
            docs: crate::docs::DocsConfig::default(),
            info: crate::openapi::Info {
                title: String::new(),
                version: String::new(),
                description: None,
                summary: None,
                terms_of_service: None,
                contact: None,
                license: None,
                servers: Vec::new(),
                tags: Vec::new(),
                root_path: None,
                separate_input_output_schemas: true,
            },
            guards: Vec::new(),
            gzip_min: None,
            trusted: None,
            statics: Vec::new(),
            apps: Vec::new(),
            spa: None,
            cors: None,
            https_redirect: false,
            timeout: None,
            server: crate::server::ServerConfig::default(),
            finish_on_disconnect: false,
            tracing: false,
            #[cfg(feature = "metrics")]
            metrics: None,
            #[cfg(feature = "otel")]
            otel: false,
            layers: Vec::new(),
            #[cfg(feature = "grpc")]
            grpc: crate::grpc::GrpcConfig::default(),
        }
    }

    /// Redirects plain-HTTP requests to HTTPS with 307 (Starlette's
    /// `HTTPSRedirectMiddleware`; honours `x-forwarded-proto` behind a proxy).
    pub fn https_redirect(mut self) -> Self {
        self.https_redirect = true;
        self.declare(Layered::HttpsRedirect);
        self
    }

    /// Places a built-in middleware where it is first declared.
    fn declare(&mut self, builtin: Layered) {
        let same = std::mem::discriminant(&builtin);
        if !self
            .layers
            .iter()
            .any(|l| std::mem::discriminant(l) == same)
        {
            self.layers.push(builtin);
        }
    }

    /// Answers 408 when a request takes longer than `limit` (tower-http's
    /// timeout; FastAPI has none by default).
    pub fn timeout(mut self, limit: std::time::Duration) -> Self {
        self.timeout = Some(limit);
        self
    }

    /// How [`App::serve`] treats connections: header, keep-alive and body
    /// timeouts, the connection limit, the drain deadline on SIGTERM
    /// ([`ServerConfig`](crate::ServerConfig) has the defaults).
    ///
    /// ```
    /// use std::time::Duration;
    /// let app = ferroapi::App::new().server_config(ferroapi::ServerConfig {
    ///     keep_alive_timeout: Duration::from_secs(75),
    ///     ..Default::default()
    /// });
    /// # drop(app);
    /// ```
    pub fn server_config(mut self, config: crate::server::ServerConfig) -> Self {
        self.server = config;
        self
    }

    /// Traces every request (a `tracing` span per request, tower-http's
    /// `TraceLayer`) and gives it an `x-request-id` (a UUID unless the client
    /// sent one), echoed in the response. The span (`request`, at `INFO`)
    /// holds the method, the path, the `request_id` and, when the request
    /// came with a W3C `traceparent`, its `trace_id`: every line logged while
    /// the request is served carries them (see `ferroapi::logs`, feature
    /// `logging`). Each answer is logged at `INFO` with its status and
    /// latency, as uvicorn's access log.
    pub fn tracing(mut self) -> Self {
        self.tracing = true;
        self
    }

    /// Serves Prometheus metrics at `path` (`/metrics`), in the text format:
    /// the metrics and labels of `prometheus-fastapi-instrumentator`'s
    /// defaults (`Instrumentator().instrument(app).expose(app)`), so that
    /// dashboards made for the FastAPI service keep working:
    /// `http_requests_total{handler, method, status}` (status grouped as
    /// `2xx`), `http_request_duration_seconds{handler, method}` and
    /// `http_request_duration_highr_seconds` histograms, the
    /// `http_requests_inprogress` gauge and `ferroapi_build_info`.
    /// `handler` is the route's template (`/items/{item_id}`), or `none`.
    /// Feature `metrics`; the path is not in the OpenAPI document.
    ///
    /// ```
    /// let app = ferroapi::App::new().metrics("/metrics");
    /// # drop(app);
    /// ```
    #[cfg(feature = "metrics")]
    pub fn metrics(mut self, path: &str) -> Self {
        self.metrics = Some(path.to_string());
        self
    }

    /// Traces every request with OpenTelemetry, as FastAPI's instrumentation
    /// (`FastAPIInstrumentor.instrument_app(app)`) does: a server span a
    /// request named `GET /items/{item_id}`, with the HTTP semantic
    /// conventions' attributes, continuing the trace of the request's
    /// `traceparent`; exported over OTLP/gRPC as the `OTEL_*` environment
    /// says (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_SERVICE_NAME`, ...).
    /// [`telemetry::inject`](crate::telemetry::inject) carries the trace to
    /// the calls a handler makes. Feature `otel`; the exporter is made when
    /// the app is built (inside a Tokio runtime).
    ///
    /// ```no_run
    /// # async fn run() {
    /// ferroapi::App::new().opentelemetry().serve("0.0.0.0:8000").await.unwrap();
    /// # }
    /// ```
    #[cfg(feature = "otel")]
    pub fn opentelemetry(mut self) -> Self {
        self.otel = true;
        self
    }

    /// Adds a middleware (FastAPI's `@app.middleware("http")` or
    /// `app.add_middleware(...)`): any tower layer, such as
    /// `axum::middleware::from_fn(f)`. It wraps every route, mount and the
    /// 404/405 fallback. Of two middleware the one declared last is
    /// outermost, as in Starlette: a layer added after [`App::cors`] sees the
    /// CORS preflight answers, one added before does not; the same holds for
    /// [`App::gzip`], [`App::https_redirect`] and [`App::trusted_hosts`].
    /// The timeout and the access log wrap them all.
    ///
    /// ```
    /// use ferroapi::axum::{extract::Request, middleware::{from_fn, Next}, response::Response};
    ///
    /// async fn process_time(req: Request, next: Next) -> Response {
    ///     let start = std::time::Instant::now();
    ///     let mut res = next.run(req).await;
    ///     let took = format!("{:.6}", start.elapsed().as_secs_f64());
    ///     res.headers_mut().insert("x-process-time", took.parse().unwrap());
    ///     res
    /// }
    ///
    /// let app = ferroapi::App::new().layer(from_fn(process_time));
    /// # drop(app);
    /// ```
    pub fn layer<L>(mut self, layer: L) -> Self
    where
        L: tower::Layer<axum::routing::Route> + Clone + Send + Sync + 'static,
        L::Service: tower::Service<Request> + Clone + Send + Sync + 'static,
        <L::Service as tower::Service<Request>>::Response: IntoResponse + 'static,
        <L::Service as tower::Service<Request>>::Error: Into<std::convert::Infallible> + 'static,
        <L::Service as tower::Service<Request>>::Future: Send + 'static,
    {
        self.layers
            .push(Layered::User(Box::new(move |router| router.layer(layer))));
        self
    }

    /// CORS as Starlette's `CORSMiddleware` answers it.
    pub fn cors(mut self, config: crate::middleware::Cors) -> Self {
        self.cors = Some(config);
        self.declare(Layered::Cors);
        self
    }

    /// Compresses responses with gzip when the client accepts it and the body
    /// is at least `minimum_size` bytes (FastAPI's `GZipMiddleware`, 500 by
    /// default there).
    pub fn gzip(mut self, minimum_size: u16) -> Self {
        self.gzip_min = Some(minimum_size);
        self.declare(Layered::Gzip);
        self
    }

    /// Refuses requests whose `Host` is not one of `hosts` (`example.com`,
    /// `*.example.com`, `*`) with 400 `Invalid host header` (Starlette's
    /// `TrustedHostMiddleware`).
    pub fn trusted_hosts(mut self, hosts: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.trusted = Some(crate::middleware::TrustedHosts::new(hosts));
        self.declare(Layered::TrustedHosts);
        self
    }

    /// Serves the files under `dir` at `prefix` (FastAPI's
    /// `app.mount("/static", StaticFiles(directory=...))`).
    pub fn static_files(self, prefix: &str, dir: impl Into<std::path::PathBuf>) -> Self {
        self.mount(prefix, crate::staticfiles::StaticFiles::new(dir))
    }

    /// Mounts a directory of files or a whole sub-application at `prefix`,
    /// FastAPI's `app.mount("/static", StaticFiles(directory="static"))` and
    /// `app.mount("/subapi", subapi)`.
    ///
    /// A sub-application keeps its own routes, handlers, middleware, docs
    /// and document (served at `/subapi/docs` and `/subapi/openapi.json`,
    /// with the prefix as its `root_path`: its first server, and the prefix
    /// of its pages' links); the parent's document does not list it. Its
    /// redirects (HTTPS, slashes) keep the full original URL.
    pub fn mount(mut self, prefix: &str, what: impl Into<crate::staticfiles::Mounted>) -> Self {
        let prefix = prefix.trim_end_matches('/').to_string();
        match what.into().0 {
            crate::staticfiles::MountedKind::Files(files) => self.statics.push((prefix, files)),
            crate::staticfiles::MountedKind::App(build) => {
                let router = build(&prefix);
                self.apps.push((prefix, router));
            }
        }
        self
    }

    /// A single-page app: files under `dir` are served, and a browser
    /// navigation to an unknown path gets `dir/index.html` (API clients still
    /// get FastAPI's 404 JSON).
    pub fn spa(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.spa = Some(dir.into());
        self
    }

    /// Lets every handler run to its end even when the client goes away
    /// mid-request, as a handler does under uvicorn (axum drops it at its
    /// next `.await`). Turn it on when a half-done write would hurt: the
    /// request runs as its own task (one spawn per request).
    ///
    /// Served by [`App::serve`], an HTTP/1 handler runs to its end anyway:
    /// the server does not read a connection while its request is handled,
    /// so it never learns mid-request that the client left (and such a
    /// request is run without a task of its own). This option also covers
    /// an HTTP/2 stream the client resets, and a router served by another
    /// server (`axum::serve`).
    pub fn finish_on_disconnect(mut self, on: bool) -> Self {
        self.finish_on_disconnect = on;
        self
    }

    /// Runs `f` before the first request (FastAPI's lifespan start-up), in
    /// registration order with the other start-up work. How each way of
    /// serving runs the lifespan: see [`LifespanState`](crate::LifespanState)'s
    /// module, `ferroapi::lifespan`.
    pub fn on_startup<F, Fut>(self, f: F) -> Self
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        self.handlers.lifespan.on_startup(Box::new(move || {
            Box::pin(async move {
                f().await;
                None
            })
        }));
        self
    }

    /// Makes a value at start-up that routes read as
    /// [`LifespanState<T>`](crate::LifespanState): FastAPI's lifespan state
    /// (`yield {"models": models}`, read as `request.state.models`). Runs in
    /// registration order with the other start-up work; tear it down in
    /// [`App::on_shutdown`].
    pub fn lifespan_state<T, F, Fut>(self, f: F) -> Self
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = T> + Send + 'static,
    {
        self.handlers
            .lifespan
            .on_startup(crate::lifespan::state_hook(f));
        self
    }

    /// Runs the start-up work (once).
    pub(crate) async fn run_startup(&self) {
        self.handlers.lifespan.start().await;
    }

    /// Runs `f` after the last request (FastAPI's lifespan shut-down), in
    /// registration order: after the drain under [`App::serve`], when the
    /// last clone of the router is dropped otherwise.
    pub fn on_shutdown<F, Fut>(self, f: F) -> Self
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        self.handlers
            .lifespan
            .on_shutdown(Box::new(move || Box::pin(f())));
        self
    }

    /// Runs dependency `D` before every route of the app (FastAPI's
    /// `FastAPI(dependencies=[Depends(...)])`), before routers' and routes' own.
    pub fn dependency<D: crate::extract::Dependency<S>>(mut self) -> Self {
        let g = crate::extract::Guard::of::<D>();
        g.prepare();
        self.guards.push(g);
        self
    }

    /// `info.termsOfService`.
    pub fn terms_of_service(mut self, url: &str) -> Self {
        self.info.terms_of_service = Some(url.into());
        self
    }

    /// `info.contact` (a URL without a path gets pydantic's trailing `/`).
    pub fn contact(mut self, name: Option<&str>, url: Option<&str>, email: Option<&str>) -> Self {
        let mut c = serde_json::Map::new();
        if let Some(n) = name {
            c.insert("name".into(), n.into());
        }
        if let Some(u) = url {
            c.insert("url".into(), normalize_url(u).into());
        }
        if let Some(e) = email {
            c.insert("email".into(), e.into());
        }
        self.info.contact = Some(serde_json::Value::Object(c));
        self
    }

    /// `info.license`: a name and an SPDX identifier or a URL.
    pub fn license(mut self, name: &str, identifier_or_url: Option<&str>) -> Self {
        let mut l = serde_json::Map::new();
        l.insert("name".into(), name.into());
        match identifier_or_url {
            Some(u) if u.contains("://") => {
                l.insert("url".into(), normalize_url(u).into());
            }
            Some(id) => {
                l.insert("identifier".into(), id.into());
            }
            None => {}
        }
        self.info.license = Some(serde_json::Value::Object(l));
        self
    }

    /// Adds a `servers` entry.
    pub fn server(mut self, url: &str, description: Option<&str>) -> Self {
        let mut s = serde_json::Map::new();
        s.insert("url".into(), url.into());
        if let Some(d) = description {
            s.insert("description".into(), d.into());
        }
        self.info.servers.push(serde_json::Value::Object(s));
        self
    }

    /// The path prefix a proxy strips before requests reach the app (FastAPI's
    /// `root_path`): documented as the first server, so clients and Swagger UI
    /// call through the proxy.
    pub fn root_path(mut self, root_path: &str) -> Self {
        self.info.root_path = Some(root_path.to_string());
        self.docs.root_path = root_path.trim_end_matches('/').to_string();
        self
    }

    /// Tag metadata (FastAPI's `openapi_tags`), in the order given.
    pub fn openapi_tag(mut self, name: &str, description: Option<&str>) -> Self {
        let mut t = serde_json::Map::new();
        t.insert("name".into(), name.into());
        if let Some(d) = description {
            t.insert("description".into(), d.into());
        }
        self.info.tags.push(serde_json::Value::Object(t));
        self
    }

    /// The document's tag metadata as FastAPI's `openapi_tags=` list, written
    /// as given (`name`, `description`, `externalDocs`), in this order.
    ///
    /// # Panics
    /// If `tags` is not a JSON array.
    pub fn openapi_tags(mut self, tags: serde_json::Value) -> Self {
        match tags {
            serde_json::Value::Array(list) => self.info.tags = list,
            other => panic!("openapi_tags must be a JSON array of tag objects, not {other}"),
        }
        self
    }

    /// FastAPI's `separate_input_output_schemas` (true by default): false
    /// documents every model once, as it is read, instead of splitting a
    /// model that reads and writes differently into `-Input` and `-Output`.
    pub fn separate_input_output_schemas(mut self, on: bool) -> Self {
        self.info.separate_input_output_schemas = on;
        self
    }

    /// Where Swagger UI is served (`/docs`); `None` disables it
    /// (FastAPI's `docs_url=None`).
    pub fn docs_url(mut self, url: Option<&str>) -> Self {
        self.docs.docs_url = url.map(str::to_string);
        self
    }

    /// Where ReDoc is served (`/redoc`); `None` disables it.
    pub fn redoc_url(mut self, url: Option<&str>) -> Self {
        self.docs.redoc_url = url.map(str::to_string);
        self
    }

    /// Swagger UI parameters merged over FastAPI's defaults
    /// (`{"persistAuthorization": true}`), FastAPI's `swagger_ui_parameters`.
    ///
    /// # Panics
    /// If `params` is not a JSON object.
    pub fn swagger_ui_parameters(mut self, params: serde_json::Value) -> Self {
        match params {
            serde_json::Value::Object(m) => self.docs.swagger_ui_parameters.extend(m),
            _ => panic!("swagger_ui_parameters must be a JSON object"),
        }
        self
    }

    /// The API summary (`info.summary`).
    pub fn summary(mut self, summary: &str) -> Self {
        self.summary = Some(summary.into());
        self
    }

    /// Where the OpenAPI document is served (`/openapi.json` by default);
    /// `None` serves none (FastAPI's `openapi_url=None`).
    pub fn openapi_url(mut self, url: Option<&str>) -> Self {
        self.openapi_url = url.map(str::to_string);
        self
    }

    /// Replaces FastAPI's default operationId rule
    /// (FastAPI's `generate_unique_id_function`).
    pub fn generate_operation_id(
        mut self,
        f: impl Fn(&RouteMeta, &str, &http::Method) -> String + Send + Sync + 'static,
    ) -> Self {
        self.operation_id = Some(Arc::new(f));
        self
    }

    /// Writes the document, pretty-printed, to `path` (stdout when `None`):
    /// the `app openapi [FILE]` command of a service, for client generation
    /// without serving.
    pub fn write_openapi(&self, path: Option<&str>) -> Result<(), crate::Error> {
        let doc = serde_json::to_string_pretty(&self.openapi())? + "\n";
        match path {
            Some(p) => std::fs::write(p, doc)?,
            None => print!("{doc}"),
        }
        Ok(())
    }

    /// Compares the document with the reviewed snapshot at `path` (pretty
    /// JSON), so every change to it shows up as a diff in review. With
    /// `UPDATE_SNAPSHOTS` set in the environment the file is rewritten.
    ///
    /// # Panics
    /// When the document differs from the file (a test assertion).
    pub fn assert_openapi_snapshot(&self, path: &str) {
        let got = serde_json::to_string_pretty(&self.openapi()).unwrap_or_default() + "\n";
        if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
            std::fs::write(path, &got).unwrap_or_else(|e| panic!("writing {path}: {e}"));
        }
        let want = std::fs::read_to_string(path).unwrap_or_default();
        if got != want {
            let diff: Vec<String> = got
                .lines()
                .chain(std::iter::repeat(""))
                .zip(want.lines().chain(std::iter::repeat("")))
                .take(got.lines().count().max(want.lines().count()))
                .enumerate()
                .filter(|(_, (g, w))| g != w)
                .take(20)
                .map(|(i, (g, w))| format!("line {}:\n  snapshot: {w}\n  now:      {g}", i + 1))
                .collect();
            panic!(
                "the OpenAPI document differs from {path} (review, then UPDATE_SNAPSHOTS=1 to accept):\n{}",
                diff.join("\n")
            );
        }
    }

    /// The OpenAPI 3.1 document of the app, as FastAPI would write it.
    pub fn openapi(&self) -> serde_json::Value {
        let info = crate::openapi::Info {
            title: self.title.clone(),
            version: self.version.clone(),
            description: self.description.clone(),
            summary: self.summary.clone(),
            ..self.info.clone()
        };
        // App-level dependencies document their parameters on every route.
        let metas: Vec<RouteMeta> = self
            .routes
            .iter()
            .map(|r| {
                let mut meta = r.meta.clone();
                for g in self.guards.iter().rev() {
                    meta.doc.absorb(g.describe());
                }
                meta
            })
            .collect();
        let entries: Vec<crate::openapi::RouteEntry<'_>> = self
            .routes
            .iter()
            .zip(&metas)
            .map(|(r, meta)| crate::openapi::RouteEntry {
                path: &r.path,
                methods: &r.methods,
                meta,
            })
            .collect();
        crate::openapi::build(&info, &entries, self.operation_id.as_deref())
    }

    /// The API title.
    pub fn title(mut self, title: &str) -> Self {
        self.title = title.into();
        self
    }

    /// The API version.
    pub fn version(mut self, version: &str) -> Self {
        self.version = version.into();
        self
    }

    /// The API description.
    pub fn description(mut self, description: &str) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Adds a route.
    pub fn route(mut self, route: impl Route<S>) -> Self {
        self.routes.push(route.into_route());
        self
    }

    /// Documents a webhook, FastAPI's `app.webhooks.post("new-subscription")`:
    /// a request this API sends to its users, listed under the document's
    /// `webhooks` with the route's path as its name, never served.
    ///
    /// ```
    /// # use ferroapi::{post, App, Json};
    /// #[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate)]
    /// struct Subscription {
    ///     #[garde(skip)]
    ///     username: String,
    /// }
    ///
    /// #[post("new-subscription", webhook)]
    /// async fn new_subscription(body: Json<Subscription>) {}
    ///
    /// let app = App::new().webhook(new_subscription);
    /// assert!(app.openapi()["webhooks"]["new-subscription"]["post"].is_object());
    /// ```
    pub fn webhook(mut self, route: impl Route<S>) -> Self {
        let mut r = route.into_route();
        r.meta.webhook = true;
        self.routes.push(r);
        self
    }

    /// Adds every route of a router.
    pub fn include_router(mut self, router: APIRouter<S>) -> Self {
        self.routes.extend(router.into_routes());
        self
    }

    /// Mounts plain axum routes (handlers, services, nested routers) beside the
    /// ferroapi ones.
    pub fn merge(mut self, router: axum::Router) -> Self {
        self.extra = self.extra.merge(router);
        self.merged = true;
        self
    }

    /// Starlette's `redirect_slashes` (on by default): an unknown path whose
    /// other form (with or without the trailing slash) exists answers 307.
    pub fn redirect_slashes(mut self, on: bool) -> Self {
        self.redirect_slashes = on;
        self
    }

    /// The largest accepted request body; a larger one answers 413.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.limits.max_body_size = Some(bytes);
        self
    }

    /// FastAPI's `strict_content_type` (true by default): false reads a
    /// JSON body sent without any `Content-Type` (`text/plain` is still not
    /// JSON). Routers and routes may say otherwise.
    pub fn strict_content_type(mut self, on: bool) -> Self {
        self.limits.strict_content_type = Some(on);
        self
    }

    /// FastAPI's `form_limits`: how many fields and files a form may have
    /// and how large a non-file field may be (400 beyond, Starlette's
    /// message). Routers and routes may say otherwise, key by key.
    pub fn form_limits(mut self, limits: crate::extract::FormLimits) -> Self {
        self.limits.form = limits;
        self
    }

    /// The bounds of every websocket connection (message and frame sizes,
    /// buffers, pings, timeouts; uvicorn's `--ws-*` options) unless a route
    /// sets its own with `#[websocket("/path", config = CONFIG)]`. The
    /// defaults are uvicorn's: see [`WebSocketConfig`](crate::websocket::WebSocketConfig).
    pub fn websocket_config(mut self, config: crate::websocket::WebSocketConfig) -> Self {
        self.websocket = config;
        self
    }

    /// Renders errors of type `E` (returned by routes as `Err(E)`, or raised by
    /// ferroapi itself for [`HTTPException`] and
    /// [`RequestValidationError`](crate::RequestValidationError)) with `f`.
    pub fn exception_handler<E, F>(mut self, f: F) -> Self
    where
        E: Send + 'static,
        F: Fn(&Parts, E) -> Response + Send + Sync + 'static,
    {
        let erased: ErasedHandler = Arc::new(move |parts, e| match e.downcast::<E>() {
            Ok(e) => f(parts, *e),
            Err(_) => internal_server_error(),
        });
        self.handlers.map.insert(TypeId::of::<E>(), erased);
        self
    }

    /// Replaces a dependency for the whole app (FastAPI's
    /// `app.dependency_overrides[dep] = other`), typically in tests: every
    /// `Depends<D>` gets `f`'s value instead of running `D`.
    pub fn dependency_override<D, F>(mut self, f: F) -> Self
    where
        D: crate::extract::DependencyOutput + 'static,
        F: Fn(&Parts) -> Result<D::Output, Response> + Send + Sync + 'static,
    {
        let erased: ErasedOverride = Arc::new(move |parts| {
            f(parts).map(|v| Box::new(v) as Box<dyn std::any::Any + Send + Sync>)
        });
        self.handlers.overrides.insert(TypeId::of::<D>(), erased);
        self
    }

    /// Replaces dependency `D` by dependency `W` (same output type) for the
    /// whole app, FastAPI's `app.dependency_overrides[d] = w` with a function
    /// that has parameters of its own: `W`'s parameters are extracted and
    /// validated (the document still shows `D`'s, as FastAPI's does), its
    /// errors raised, its teardown run.
    pub fn override_dependency<D, W>(mut self) -> Self
    where
        D: crate::extract::Dependency<S>,
        W: crate::extract::Dependency<S, Output = D::Output>,
    {
        W::prepare();
        let f: crate::extract::ResolveFn<S> = crate::extract::resolve_boxed::<S, W>;
        self.handlers
            .resolvers
            .insert(TypeId::of::<D>(), Arc::new(f));
        self
    }

    /// The routes, in registration order.
    pub fn routes(&self) -> &[RouteDef<S>] {
        &self.routes
    }

    /// Builds the axum router: every route, the 404/405/redirect behaviour and
    /// the 500 answer for panics. All per-route work happens here, once.
    pub fn into_router(self) -> axum::Router {
        match self.build() {
            Built::Dispatch(dispatch) => axum::Router::new().fallback_service(dispatch),
            #[cfg(any(feature = "metrics", feature = "otel"))]
            Built::Observed(observed) => axum::Router::new().fallback_service(observed),
            Built::Router(router) => router,
        }
    }

    /// What [`App::into_router`] and [`App::serve`] serve: ferroapi's
    /// dispatcher (see `dispatch`), alone or inside the app's middleware.
    pub(crate) fn build(mut self) -> Built<S> {
        // The document is built and serialized once; requests get the bytes.
        let openapi = self.openapi_url.clone().map(|url| {
            let bytes = bytes::Bytes::from(serde_json::to_vec(&self.openapi()).unwrap_or_default());
            (url, bytes)
        });
        let lifespan = self.handlers.lifespan.clone();
        let handlers = Arc::new(self.handlers);
        let mut paths: Vec<(String, PathTable<S>)> = Vec::new();
        let mut known = matchit::Router::new();
        // What requests are labelled with in the metrics: the route's template.
        let mut templates = crate::telemetry::Templates::default();
        // Paths the axum router cannot tell the dispatcher about, or
        // middleware of the app's own: the router dispatches everything.
        #[cfg(feature = "grpc")]
        let opaque = self.merged || !self.grpc.is_empty();
        #[cfg(not(feature = "grpc"))]
        let opaque = self.merged;
        let user_layers = self.layers.iter().any(Layered::is_user);
        let mut fast = (!opaque && !user_layers).then(crate::dispatch::Table::new);
        let mut table_add = |path: &str, target: crate::dispatch::Target<S>| {
            if let Some(t) = &mut fast {
                if t.insert(path, target).is_err() {
                    fast = None;
                }
            }
        };
        let app_websocket = crate::websocket::WebSocketConfig::fixed(self.websocket);
        for route in self.routes {
            if route.meta.webhook {
                continue;
            }
            let mut all_guards = self.guards.clone();
            all_guards.extend(route.guards.iter().copied());
            let guards: Arc<[crate::extract::Guard<S>]> = all_guards.into();
            let mut info = route.info;
            let limits = route.limits.or(self.limits);
            info.max_body = limits.max_body_size.unwrap_or(DEFAULT_MAX_BODY);
            info.strict_content_type = limits.strict_content_type.unwrap_or(true);
            info.form = crate::extract::FormLimits::fixed(limits.form);
            info.websocket = match route.websocket {
                Some(own) => crate::websocket::WebSocketConfig::fixed(own),
                None => app_websocket,
            };
            let ap = axum_path(&route.path);
            templates.insert(&ap, &route.path);
            if let Some((prefix, _)) = crate::routing::empty_tail(&ap) {
                templates.insert(prefix, &route.path);
            }
            let idx = match paths.iter().position(|(p, _)| *p == ap) {
                Some(i) => i,
                None => {
                    let _ = known.insert(ap.clone(), ());
                    paths.push((
                        ap.clone(),
                        PathTable {
                            entries: Vec::new(),
                            allow: HeaderValue::from_static(""),
                            websocket: None,
                        },
                    ));
                    paths.len() - 1
                }
            };
            if route.upgrade {
                // The first websocket route at a path takes its handshakes.
                let table = &mut paths[idx].1;
                if table.websocket.is_none() {
                    let entry = (
                        http::Method::GET,
                        route.handler.clone(),
                        info,
                        guards.clone(),
                    );
                    table.websocket = Some(entry);
                }
                continue;
            }
            if paths[idx].1.entries.is_empty() {
                // Starlette lists the first matching HTTP route's methods (a
                // set; written here in sorted order).
                let mut methods: Vec<&str> = route.methods.iter().map(|m| m.as_str()).collect();
                methods.sort_unstable();
                paths[idx].1.allow = HeaderValue::from_str(&methods.join(", "))
                    .unwrap_or(HeaderValue::from_static(""));
            }
            for m in &route.methods {
                if !paths[idx].1.entries.iter().any(|(x, _, _, _)| x == m) {
                    paths[idx].1.entries.push((
                        m.clone(),
                        route.handler.clone(),
                        info,
                        guards.clone(),
                    ));
                }
            }
        }
        let mut router = axum::Router::new();
        let shared = Arc::new(crate::routing::Shared {
            state: self.state.clone(),
            handlers: handlers.clone(),
        });
        let taken: std::collections::HashSet<String> =
            paths.iter().map(|(p, _)| p.clone()).collect();
        for (path, table) in paths {
            let table = Arc::new(table);
            // Starlette's `{p:path}` is `.*`: `/files/` matches with `p == ""`,
            // unless a route of its own has that path.
            if let Some((prefix, name)) = crate::routing::empty_tail(&path) {
                if !taken.contains(prefix) && known.insert(prefix.to_string(), ()).is_ok() {
                    let service = PathService::new(
                        prefix,
                        table.clone(),
                        shared.clone(),
                        self.finish_on_disconnect,
                        Some(name.into()),
                    );
                    table_add(prefix, crate::dispatch::Target::Route(service.clone()));
                    router = router.route_service(prefix, service);
                }
            }
            let service = PathService::new(
                &path,
                table,
                shared.clone(),
                self.finish_on_disconnect,
                None,
            );
            table_add(&path, crate::dispatch::Target::Route(service.clone()));
            router = router.route_service(&path, service);
        }
        if let Some((url, bytes)) = openapi {
            let (with_docs, added, served) =
                crate::docs::mount(router, &self.docs, &self.title, &url);
            router = with_docs;
            for path in added {
                let _ = known.insert(path, ());
            }
            for path in served {
                templates.insert(&path, &path);
                table_add(&path, crate::dispatch::Target::Router);
            }
            templates.insert(&url, &url);
            let _ = known.insert(url.clone(), ());
            table_add(&url, crate::dispatch::Target::Router);
            router = router.route(
                &url,
                axum::routing::get(move || {
                    let bytes = bytes.clone();
                    async move {
                        (
                            [(
                                header::CONTENT_TYPE,
                                HeaderValue::from_static("application/json"),
                            )],
                            bytes,
                        )
                    }
                }),
            );
        }
        let known = Arc::new(known);
        let redirect = self.redirect_slashes;
        let fallback_handlers = handlers.clone();
        // ferroapi's own routes catch panics in their service; merged axum
        // routes get tower-http's layer for the same answer.
        #[cfg(feature = "grpc")]
        let extra = self.grpc.mount(self.extra);
        #[cfg(not(feature = "grpc"))]
        let extra = self.extra;
        let extra = extra.layer(tower_http::catch_panic::CatchPanicLayer::custom(
            |_: Box<dyn std::any::Any + Send>| internal_server_error(),
        ));
        for (prefix, sub) in self.apps.iter().cloned() {
            router = router.nest_service(&prefix, sub);
        }
        // A mount serves its prefix and everything below it.
        for prefix in self
            .apps
            .iter()
            .map(|(p, _)| p)
            .chain(self.statics.iter().map(|(p, _)| p))
        {
            let base = prefix.trim_end_matches('/');
            let below = format!("{base}/{{*mounted}}");
            templates.insert(prefix, base);
            templates.insert(&below, base);
            table_add(prefix, crate::dispatch::Target::Router);
            table_add(&below, crate::dispatch::Target::Router);
        }
        for (prefix, files) in &self.statics {
            let files = files.clone().into_service();
            let handlers = fallback_handlers.clone();
            router =
                router.nest_service(
                    prefix,
                    tower::service_fn(move |req: Request| {
                        let files = files.clone();
                        let handlers = handlers.clone();
                        async move {
                            Ok::<_, std::convert::Infallible>(files.serve(req, &handlers).await)
                        }
                    }),
                );
        }
        let spa = self.spa.as_deref().map(crate::middleware::StaticDir::new);
        let mut router = router.merge(extra).fallback(move |req: Request| {
            let known = known.clone();
            let handlers = fallback_handlers.clone();
            let spa = spa.clone();
            async move {
                if let Some(res) = crate::middleware::grpc_unimplemented(&req) {
                    return res;
                }
                match spa {
                    Some(files) => spa_fallback(req, files, &known, redirect, &handlers).await,
                    None => fallback(req, &known, redirect, &handlers),
                }
            }
        });
        // The user's middleware makes the router dispatch: every layer
        // wraps it, in the order declared. Otherwise the built-in ones wrap
        // the dispatcher (below).
        let layers = std::mem::take(&mut self.layers);
        let builtins = Builtins {
            gzip_min: self.gzip_min,
            cors: self.cors.clone().map(|c| Arc::new(c.compile())),
            trusted: self.trusted.clone(),
        };
        let mut later = Vec::new();
        let gzip_at = layers.iter().position(|l| matches!(l, Layered::Gzip));
        for (i, layer) in layers.into_iter().enumerate() {
            match layer {
                Layered::User(wrap) => {
                    // What the user's layer gets from below is a stream to
                    // Starlette's GZip, if GZip is outside it.
                    if gzip_at.is_some_and(|g| g > i) {
                        router = router.layer(axum::middleware::map_response(
                            crate::middleware::mark_streamed,
                        ));
                    }
                    router = wrap(router);
                }
                builtin if user_layers => router = builtins.wrap(&builtin, router),
                builtin => later.push(builtin),
            }
        }
        // The built-in middleware wraps the dispatcher, or the router when
        // the router dispatches.
        #[cfg(feature = "metrics")]
        let template_count = templates.len();
        #[cfg(feature = "otel")]
        let otel = self
            .otel
            .then(|| crate::telemetry::otel::Otel::from_env(&templates))
            .flatten();
        #[cfg(any(feature = "metrics", feature = "otel"))]
        let observer = crate::telemetry::Observer::new(
            templates,
            #[cfg(feature = "metrics")]
            self.metrics.as_deref().map(|path| {
                crate::telemetry::metrics::Metrics::new(
                    path,
                    &self.title,
                    &self.version,
                    template_count,
                )
            }),
            #[cfg(feature = "otel")]
            otel,
        );
        #[cfg(not(any(feature = "metrics", feature = "otel")))]
        let _ = templates;
        // What is left of the traces is exported once the server has drained.
        #[cfg(feature = "otel")]
        if let Some(o) = observer.clone().filter(|_| self.otel) {
            lifespan.on_shutdown(Box::new(move || {
                Box::pin(async move {
                    let _ = tokio::task::spawn_blocking(move || o.shutdown()).await;
                })
            }));
        }
        let mut router = match fast {
            Some(table) => {
                let dispatch = crate::dispatch::Dispatch::new(table, router);
                let wrapped = self.gzip_min.is_some()
                    || self.cors.is_some()
                    || self.timeout.is_some()
                    || self.tracing
                    || self.https_redirect
                    || self.trusted.is_some()
                    || crate::extract::url_wanted()
                    || lifespan.pending();
                if !wrapped {
                    #[cfg(any(feature = "metrics", feature = "otel"))]
                    if let Some(o) = observer {
                        return Built::Observed(crate::telemetry::Observed::new(dispatch, o));
                    }
                    return Built::Dispatch(dispatch);
                }
                axum::Router::new().fallback_service(dispatch)
            }
            None => router,
        };
        for builtin in &later {
            router = builtins.wrap(builtin, router);
        }
        if let Some(limit) = self.timeout {
            router = router.layer(tower_http::timeout::TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                limit,
            ));
        }
        // `RequestUrl`'s base URL: the outermost app's root path (a mounted
        // app's layer finds its parent's already there).
        if crate::extract::url_wanted() {
            let root = crate::extract::AppRootPath::new(
                self.info.root_path.as_deref().unwrap_or_default(),
            );
            router = router.layer(axum::middleware::map_request(move |mut req: Request| {
                if req
                    .extensions()
                    .get::<crate::extract::AppRootPath>()
                    .is_none()
                {
                    req.extensions_mut().insert(root.clone());
                }
                std::future::ready(req)
            }));
        }
        if self.tracing {
            use tower_http::request_id::{
                MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer,
            };
            router = router
                .layer(PropagateRequestIdLayer::x_request_id())
                .layer(
                    tower_http::trace::TraceLayer::new_for_http()
                        .make_span_with(crate::telemetry::request_span::<axum::body::Body>)
                        // uvicorn's access log: a line a request, at INFO.
                        .on_response(
                            tower_http::trace::DefaultOnResponse::new().level(tracing::Level::INFO),
                        ),
                )
                .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid));
        }
        // A lifespan nobody started (`into_router` by hand, `TestClient::new`)
        // starts before the first request; its shut-down runs when the last
        // clone of the router is dropped (see `ferroapi::lifespan`).
        if lifespan.pending() {
            router = router.layer(axum::middleware::from_fn(
                move |req: Request, next: axum::middleware::Next| {
                    let lifespan = lifespan.clone();
                    async move {
                        lifespan.start().await;
                        next.run(req).await
                    }
                },
            ));
        }
        #[cfg(any(feature = "metrics", feature = "otel"))]
        if let Some(o) = observer {
            router = router.layer(crate::telemetry::ObserveLayer(o));
        }
        Built::Router(router)
    }

    /// Serves the app on `addr` (`127.0.0.1:8000`) until SIGTERM or SIGINT
    /// (Ctrl-C), then stops accepting, lets in-flight requests finish (within
    /// [`ServerConfig::shutdown_timeout`](crate::ServerConfig)), runs the
    /// shut-down hooks and returns.
    pub async fn serve(self, addr: &str) -> Result<(), crate::Error> {
        if let Some(to) = std::env::var_os(OPENAPI_ENV) {
            // The document only (see `serve_until`): no port is bound.
            let to = to.to_string_lossy();
            return self.write_openapi(Some(&*to).filter(|t| *t != "-"));
        }
        let listener = tokio::net::TcpListener::bind(addr).await?;
        self.serve_until(listener, crate::server::termination())
            .await
    }

    /// Serves on `listener` until `shutdown` completes: start-up hooks first,
    /// then requests; on shutdown the listener closes, in-flight requests
    /// finish, then the shut-down hooks run.
    ///
    /// With [`OPENAPI_ENV`] (`FERROAPI_OPENAPI`) set in the environment, it
    /// writes the document there instead (`-`: standard output) and returns
    /// at once: no start-up hook runs, no request is accepted. That is how
    /// `ferroapi openapi` prints any app's document without serving it.
    pub async fn serve_until(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), crate::Error> {
        if let Some(to) = std::env::var_os(OPENAPI_ENV) {
            let to = to.to_string_lossy();
            return self.write_openapi(Some(&*to).filter(|t| *t != "-"));
        }
        self.run_startup().await;
        let lifespan = self.handlers.lifespan.clone();
        let config = self.server.clone();
        match self.build() {
            Built::Dispatch(dispatch) => {
                crate::server::run(listener, dispatch, &config, shutdown).await?;
            }
            #[cfg(any(feature = "metrics", feature = "otel"))]
            Built::Observed(observed) => {
                crate::server::run(listener, observed, &config, shutdown).await?;
            }
            Built::Router(router) => {
                crate::server::run(listener, router, &config, shutdown).await?
            }
        }
        lifespan.stop().await;
        Ok(())
    }
}

/// gRPC on the app's port (feature `grpc`, see `ferroapi::grpc`).
#[cfg(feature = "grpc")]
impl<S: Clone + Send + Sync + 'static> App<S> {
    /// Serves a tonic service (a generated `...Server::new(impl)`) on the
    /// app's port, at `/{package.Service}/{Method}`.
    pub fn grpc_service<G: crate::grpc::GrpcService>(mut self, service: G) -> Self {
        self.grpc.names.push(G::NAME);
        self.grpc.routes.push(crate::grpc::route(service));
        self
    }

    /// Adds `grpc.health.v1.Health`: the server (`""`) and every service
    /// mounted with [`App::grpc_service`] report `SERVING`.
    pub fn grpc_health(mut self) -> Self {
        self.grpc.health = true;
        self
    }

    /// Adds server reflection (`grpc.reflection.v1` and `v1alpha`) for the
    /// services in an encoded `FileDescriptorSet` (what
    /// `tonic_prost_build`'s `file_descriptor_set_path` writes; include it with
    /// `include_bytes!`). Call once per set.
    pub fn grpc_reflection(mut self, encoded_file_descriptor_set: &'static [u8]) -> Self {
        self.grpc.reflection.push(encoded_file_descriptor_set);
        self
    }
}

/// A sub-application, FastAPI's `app.mount("/subapi", subapi)`: its prefix
/// becomes its `root_path`.
impl<S: Clone + Send + Sync + 'static> From<App<S>> for crate::staticfiles::Mounted {
    fn from(app: App<S>) -> Self {
        crate::staticfiles::Mounted(crate::staticfiles::MountedKind::App(Box::new(
            move |prefix: &str| app.root_path(prefix).into_router(),
        )))
    }
}

/// pydantic's `AnyUrl` writes a URL without a path with a trailing `/`.
fn normalize_url(u: &str) -> String {
    match u.split_once("://") {
        Some((_, rest)) if !rest.contains('/') => format!("{u}/"),
        _ => u.to_string(),
    }
}

/// Serves a file of the SPA directory, or its `index.html` for browser
/// navigations; anything else falls through to the ordinary fallback.
async fn spa_fallback(
    req: Request,
    files: crate::middleware::StaticDir,
    known: &matchit::Router<()>,
    redirect: bool,
    handlers: &Handlers,
) -> Response {
    use tower::ServiceExt;
    let navigation = crate::middleware::wants_html(&req);
    let (parts, body) = req.into_parts();
    if !files.escapes(parts.uri.path()).await {
        let probe = Request::from_parts(parts.clone(), body);
        let Ok(res) = tower_http::services::ServeDir::new(files.root())
            .oneshot(probe)
            .await;
        if res.status() == StatusCode::OK {
            return res.map(axum::body::Body::new);
        }
    }
    if navigation && !files.escapes("/index.html").await {
        let index = Request::from_parts(parts.clone(), axum::body::Body::empty());
        let file = tower_http::services::ServeFile::new(files.root().join("index.html"));
        let Ok(res) = file.oneshot(index).await;
        if res.status() == StatusCode::OK {
            return res.map(axum::body::Body::new);
        }
    }
    fallback(
        Request::from_parts(parts, axum::body::Body::empty()),
        known,
        redirect,
        handlers,
    )
}

fn fallback(
    req: Request,
    known: &matchit::Router<()>,
    redirect: bool,
    handlers: &Handlers,
) -> Response {
    let (parts, _) = req.into_parts();
    // A handshake no websocket route takes: Starlette closes it before
    // accept, which uvicorn answers 403.
    if crate::websocket::is_handshake(&parts) {
        return crate::websocket::refused();
    }
    let path = parts.uri.path();
    if redirect && path != "/" {
        let other = match path.strip_suffix('/') {
            Some(p) => p.to_string(),
            None => format!("{path}/"),
        };
        if known.at(&other).is_ok() {
            // A mounted sub-application redirects within its prefix.
            let prefix = parts
                .extensions
                .get::<axum::extract::OriginalUri>()
                .and_then(|o| o.0.path().strip_suffix(path).map(str::to_string))
                .unwrap_or_default();
            return crate::middleware::slash_redirect(&parts, &format!("{prefix}{other}"));
        }
    }
    handlers.render(&parts, HTTPException::not_found())
}
