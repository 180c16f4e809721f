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

use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, Method, StatusCode};
use std::sync::OnceLock;

use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts,
};

use super::{method_index, METHOD_LABELS};

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
    pub(crate) path: String,
    registry: prometheus::Registry,
    requests: IntCounterVec,
    duration: HistogramVec,
    highr: Histogram,
    pub(crate) in_progress: IntGauge,
    /// The label sets' series, found in the registry's maps on their first
    /// request and kept here: a (template, method) pair's slot is an index,
    /// not a hash of three strings under a lock, on every later request.
    slots: Box<[Slot]>,
    /// The slot row of `handler="none"`.
    none: usize,
}

/// The series of one (template, method) pair.
#[derive(Default)]
struct Slot {
    duration: OnceLock<Histogram>,
    requests: [OnceLock<IntCounter>; 6],
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Metrics {
    /// The metrics of an app with `templates` route templates, served at `path`.
    pub(crate) fn new(path: &str, title: &str, version: &str, templates: usize) -> Self {
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
            slots: (0..(templates + 1) * METHOD_LABELS.len())
                .map(|_| Slot::default())
                .collect(),
            none: templates,
        }
    }

    /// The text exposition format.
    pub(crate) fn render(&self) -> Response {
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

    /// Counts and times an answer. `handler`: the template's index and name
    /// (`None`: no route took the request).
    pub(crate) fn record(
        &self,
        handler: Option<(usize, &str)>,
        method: &Method,
        status: StatusCode,
        seconds: f64,
    ) {
        // A 405 is labelled `none`, as the instrumentator (no route matched fully).
        let handler = handler.filter(|_| status != StatusCode::METHOD_NOT_ALLOWED);
        let (row, name) = handler.unwrap_or((self.none, "none"));
        let m = method_index(method);
        let Some(slot) = self.slots.get(row * METHOD_LABELS.len() + m) else {
            return;
        };
        let g = match usize::from(status.as_u16() / 100) {
            g @ 1..=5 => g,
            _ => 0,
        };
        slot.requests[g]
            .get_or_init(|| {
                self.requests
                    .with_label_values(&[name, METHOD_LABELS[m], GROUPS[g]])
            })
            .inc();
        slot.duration
            .get_or_init(|| self.duration.with_label_values(&[name, METHOD_LABELS[m]]))
            .observe(seconds);
        self.highr.observe(seconds);
    }
}
