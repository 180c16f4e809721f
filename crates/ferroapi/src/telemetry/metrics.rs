//! Prometheus metrics (feature `metrics`): the metrics and labels of
//! `prometheus-fastapi-instrumentator`'s defaults, so that a FastAPI team's
//! dashboards and alerts keep working on the port, plus an in-progress gauge
//! and build information.
//!
//! | metric | labels |
//! |---|---|
//! | `http_requests_total` (counter) | `handler`, `method`, `status` (`2xx`, `4xx`, ...) |
//! | `http_request_duration_seconds` (histogram: 0.1, 0.5, 1 s) | `handler`, `method` |
//! | `http_request_duration_highr_seconds` (histogram, 21 buckets) | none |
//! | `http_requests_inprogress` (gauge) | none |
//! | `ferroapi_build_info` (gauge, 1) | `version`, `app_title`, `app_version` |
//!
//! `handler` is the route's template (`/items/{item_id}`), the mount's prefix,
//! or `none` for a request no route took (a 404, a 405), as the
//! instrumentator labels it. A request is timed until its answer's head is
//! ready; one whose client went away before that is not counted.

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use futures_util::future::{Either, Ready};
use http::{header, HeaderValue, Method, StatusCode};
use prometheus::{Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, Opts};

use super::Templates;

/// The instrumentator's `latency_lowr_buckets`.
const LOWR: [f64; 3] = [0.1, 0.5, 1.0];
/// The instrumentator's `latency_highr_buckets`.
const HIGHR: [f64; 21] = [
    0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0,
    7.5, 10.0, 30.0, 60.0,
];
/// `status` as the instrumentator groups it.
const GROUPS: [&str; 6] = ["xxx", "1xx", "2xx", "3xx", "4xx", "5xx"];

/// An app's metrics: one registry, made at start-up.
pub(crate) struct Metrics {
    path: String,
    registry: prometheus::Registry,
    requests: IntCounterVec,
    duration: HistogramVec,
    highr: Histogram,
    in_progress: IntGauge,
    templates: Templates,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Metrics {
    /// The metrics of an app served at `path`; its routes' templates.
    pub(crate) fn new(path: &str, templates: Templates, title: &str, version: &str) -> Self {
        let registry = prometheus::Registry::new();
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "Total number of requests by method, status and handler.",
            ),
            &["handler", "method", "status"],
        )
        .expect("valid metric");
        let duration = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Latency with only few buckets by handler. Made to be only used if aggregation by handler is important.",
            )
            .buckets(LOWR.to_vec()),
            &["handler", "method"],
        )
        .expect("valid metric");
        let highr = Histogram::with_opts(
            HistogramOpts::new(
                "http_request_duration_highr_seconds",
                "Latency with many buckets but no API specific labels. Made for more accurate percentile calculations.",
            )
            .buckets(HIGHR.to_vec()),
        )
        .expect("valid metric");
        let in_progress = IntGauge::new(
            "http_requests_inprogress",
            "Number of HTTP requests in progress.",
        )
        .expect("valid metric");
        let build = IntGauge::with_opts(
            Opts::new(
                "ferroapi_build_info",
                "ferroapi's version, and the app's title and version.",
            )
            .const_label("version", env!("CARGO_PKG_VERSION"))
            .const_label("app_title", title)
            .const_label("app_version", version),
        )
        .expect("valid metric");
        build.set(1);
        for m in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(duration.clone()),
            Box::new(highr.clone()),
            Box::new(in_progress.clone()),
            Box::new(build),
        ] {
            registry.register(m).expect("distinct metric names");
        }
        Metrics {
            path: path.to_string(),
            registry,
            requests,
            duration,
            highr,
            in_progress,
            templates,
        }
    }

    /// The text exposition format.
    fn render(&self) -> Response {
        let encoder = prometheus::TextEncoder::new();
        let mut body = Vec::with_capacity(4096);
        if encoder.encode(&self.registry.gather(), &mut body).is_err() {
            return crate::error::internal_server_error();
        }
        (
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
            )],
            body,
        )
            .into_response()
    }

    fn record(&self, handler: &str, method: &Method, status: StatusCode, seconds: f64) {
        let handler = if status == StatusCode::METHOD_NOT_ALLOWED {
            "none"
        } else {
            handler
        };
        let group = GROUPS
            .get(usize::from(status.as_u16() / 100))
            .copied()
            .unwrap_or("xxx");
        self.requests
            .with_label_values(&[handler, method.as_str(), group])
            .inc();
        self.duration
            .with_label_values(&[handler, method.as_str()])
            .observe(seconds);
        self.highr.observe(seconds);
    }
}

/// The app's service, observed.
pub(crate) struct Observed<T> {
    inner: T,
    metrics: Arc<Metrics>,
}

impl<T: Clone> Clone for Observed<T> {
    fn clone(&self) -> Self {
        Observed {
            inner: self.inner.clone(),
            metrics: self.metrics.clone(),
        }
    }
}

impl<T> Observed<T> {
    pub(crate) fn new(inner: T, metrics: Arc<Metrics>) -> Self {
        Observed { inner, metrics }
    }
}

/// The layer that observes an axum router (see [`Observed`]).
#[derive(Clone)]
pub(crate) struct ObserveLayer(pub(crate) Arc<Metrics>);

impl<T> tower::Layer<T> for ObserveLayer {
    type Service = Observed<T>;
    fn layer(&self, inner: T) -> Observed<T> {
        Observed::new(inner, self.0.clone())
    }
}

impl<T> tower::Service<Request> for Observed<T>
where
    T: tower::Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Ready<Result<Response, Infallible>>, Observing<T::Future>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let m = &self.metrics;
        let path = req.uri().path();
        if path == m.path && matches!(*req.method(), Method::GET | Method::HEAD) {
            return Either::Left(futures_util::future::ready(Ok(m.render())));
        }
        let handler = m.templates.find(path);
        let method = req.method().clone();
        m.in_progress.inc();
        Either::Right(Observing {
            started: Instant::now(),
            method,
            handler,
            guard: InProgress(self.metrics.clone()),
            inner: self.inner.call(req),
        })
    }
}

/// Takes a request off the in-progress gauge however its future ends.
struct InProgress(Arc<Metrics>);

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.in_progress.dec();
    }
}

pin_project_lite::pin_project! {
    /// A request's answer on its way, timed.
    pub(crate) struct Observing<F> {
        #[pin]
        inner: F,
        started: Instant,
        method: Method,
        handler: Option<usize>,
        guard: InProgress,
    }
}

impl<F> Future for Observing<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let Ok(res) = std::task::ready!(this.inner.poll(cx));
        let m = &this.guard.0;
        let handler = this.handler.map_or("none", |i| m.templates.name(i));
        m.record(
            handler,
            this.method,
            res.status(),
            this.started.elapsed().as_secs_f64(),
        );
        Poll::Ready(Ok(res))
    }
}
