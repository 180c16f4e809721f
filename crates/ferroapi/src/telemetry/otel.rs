//! OpenTelemetry traces (feature `otel`, [`App::opentelemetry`](crate::App::opentelemetry)):
//! a server span a request, as FastAPI's instrumentation
//! (`opentelemetry-instrumentation-fastapi`) makes it, exported over OTLP.
//!
//! - Name: `GET /items/{item_id}` (the method alone when no route took it).
//! - Kind: server. Parent: the request's W3C `traceparent` (and `tracestate`).
//! - Attributes: `http.request.method`, `url.path`, `url.scheme`, `url.query`
//!   (when there is one), `http.route` (when a route took it),
//!   `user_agent.original` (when sent), `http.response.status_code`; an answer
//!   of 500 or more also sets `error.type` and the span's status to error.
//! - While the request is served its span is the current OpenTelemetry
//!   context: [`inject`](crate::telemetry::inject) puts it on an outgoing
//!   call, and `App::tracing`'s log span takes its trace id.
//! - Exported by `opentelemetry-otlp` over gRPC, in batches, configured by
//!   the standard variables: `OTEL_EXPORTER_OTLP_ENDPOINT` (or
//!   `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`; `http://localhost:4317`),
//!   `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`, `OTEL_BSP_*`;
//!   `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none` turn it off.

use opentelemetry::propagation::{Extractor, Injector, TextMapPropagator};
use opentelemetry::trace::{SpanKind, Status, TraceContextExt, Tracer as _, TracerProvider as _};
use std::borrow::Cow;
use std::sync::Arc;

use opentelemetry::{Context, KeyValue, Value};

use super::{method_index, METHOD_LABELS};
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{SdkTracer, SdkTracerProvider};

/// The exporter and tracer of an app, made when it starts serving.
pub(crate) struct Otel {
    /// The route templates, by [`Templates`](super::Templates) index.
    routes: Box<[Arc<str>]>,
    /// The span names, made at start-up: a row of `METHOD_LABELS` names a
    /// template (`GET /items/{item_id}`), and a last row for no route (`GET`).
    names: Box<[Cow<'static, str>]>,
    provider: SdkTracerProvider,
    tracer: SdkTracer,
    propagator: TraceContextPropagator,
}

impl std::fmt::Debug for Otel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Otel").finish_non_exhaustive()
    }
}

fn env_is(name: &str, value: &str) -> bool {
    std::env::var(name).is_ok_and(|v| v.trim().eq_ignore_ascii_case(value))
}

impl Otel {
    /// From the `OTEL_*` environment; `None` (and a warning) when it is
    /// turned off or the exporter cannot be made. Needs a Tokio runtime.
    pub(crate) fn from_env(templates: &super::Templates) -> Option<Self> {
        if env_is("OTEL_SDK_DISABLED", "true") || env_is("OTEL_TRACES_EXPORTER", "none") {
            return None;
        }
        if tokio::runtime::Handle::try_current().is_err() {
            tracing::warn!("OpenTelemetry: no Tokio runtime, so no exporter; traces are off");
            return None;
        }
        let exporter = match opentelemetry_otlp::SpanExporter::builder()
            .with_tonic()
            .build()
        {
            Ok(e) => e,
            Err(e) => {
                tracing::warn!(error = %e, "OpenTelemetry: no OTLP exporter; traces are off");
                return None;
            }
        };
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(opentelemetry_sdk::Resource::builder().build())
            .build();
        let tracer = provider.tracer_with_scope(
            opentelemetry::InstrumentationScope::builder("ferroapi")
                .with_version(env!("CARGO_PKG_VERSION"))
                .build(),
        );
        let routes: Box<[Arc<str>]> = (0..templates.len())
            .map(|i| Arc::from(templates.name(i)))
            .collect();
        let names = routes
            .iter()
            .map(Some)
            .chain([None])
            .flat_map(|route| {
                METHOD_LABELS.iter().map(move |m| match (route, *m) {
                    (_, "_OTHER") => Cow::Borrowed("HTTP"),
                    (Some(r), m) => Cow::Owned(format!("{m} {r}")),
                    (None, m) => Cow::Borrowed(m),
                })
            })
            .collect();
        Some(Otel {
            routes,
            names,
            provider,
            tracer,
            propagator: TraceContextPropagator::new(),
        })
    }

    /// Starts a request's span; the context holding it.
    /// `route`: the template's index, when a route took the request.
    pub(crate) fn start<B>(&self, req: &http::Request<B>, route: Option<usize>) -> Context {
        let headers = req.headers();
        let parent = self.propagator.extract(&Headers(headers));
        // A method of HTTP's own, or `_OTHER` (the span then named `HTTP`)
        // with the one sent in `http.request.method_original`.
        let m = method_index(req.method());
        let method = METHOD_LABELS[m];
        let row = route.unwrap_or(self.routes.len());
        let name = self.names[row * METHOD_LABELS.len() + m].clone();
        let uri = req.uri();
        let mut attributes = Vec::with_capacity(7);
        attributes.push(KeyValue::new("http.request.method", method));
        if method == "_OTHER" {
            attributes.push(KeyValue::new(
                "http.request.method_original",
                req.method().as_str().to_string(),
            ));
        }
        attributes.push(KeyValue::new("url.path", uri.path().to_string()));
        let scheme: Value = match uri.scheme_str() {
            None | Some("http") => "http".into(),
            Some("https") => "https".into(),
            Some(other) => other.to_string().into(),
        };
        attributes.push(KeyValue::new("url.scheme", scheme));
        if let Some(q) = uri.query() {
            attributes.push(KeyValue::new("url.query", q.to_string()));
        }
        if let Some(r) = route.and_then(|i| self.routes.get(i)) {
            attributes.push(KeyValue::new("http.route", r.clone()));
        }
        if let Some(ua) = headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
        {
            attributes.push(KeyValue::new("user_agent.original", ua.to_string()));
        }
        let span = self
            .tracer
            .span_builder(name)
            .with_kind(SpanKind::Server)
            .with_attributes(attributes)
            .start_with_context(&self.tracer, &parent);
        parent.with_span(span)
    }

    /// Ends a request's span with its answer's status.
    pub(crate) fn finish(cx: &Context, status: http::StatusCode) {
        let span = cx.span();
        span.set_attribute(KeyValue::new(
            "http.response.status_code",
            i64::from(status.as_u16()),
        ));
        if status.is_server_error() {
            span.set_attribute(KeyValue::new("error.type", status.as_u16().to_string()));
            span.set_status(Status::error(""));
        }
        span.end();
    }

    /// Exports what is left (at the end of `serve`).
    pub(crate) fn shutdown(&self) {
        let _ = self.provider.shutdown();
    }
}

struct Headers<'a>(&'a http::HeaderMap);

impl Extractor for Headers<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).and_then(|v| v.to_str().ok())
    }
    fn keys(&self) -> Vec<&str> {
        self.0.keys().map(http::HeaderName::as_str).collect()
    }
}

struct HeadersMut<'a>(&'a mut http::HeaderMap);

impl Injector for HeadersMut<'_> {
    fn set(&mut self, key: &str, value: String) {
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(key.as_bytes()),
            http::HeaderValue::from_str(&value),
        ) {
            self.0.insert(name, value);
        }
    }
}

/// Puts the current request's trace context on an outgoing call's headers
/// (`traceparent`, and `tracestate` when there is one), so that the service
/// called continues the same trace: `opentelemetry.propagate.inject(headers)`
/// in Python. Outside a request with a span it adds nothing.
///
/// ```
/// # async fn call_inventory() {
/// let mut headers = ferroapi::http::HeaderMap::new();
/// ferroapi::telemetry::inject(&mut headers);
/// // reqwest::Client::new().get(url).headers(headers).send().await
/// # }
/// ```
pub fn inject(headers: &mut http::HeaderMap) {
    let cx = Context::current();
    if cx.span().span_context().is_valid() {
        TraceContextPropagator::new().inject_context(&cx, &mut HeadersMut(headers));
    }
}

/// The current request's trace id (32 hex digits), when it has a span.
pub fn current_trace_id() -> Option<String> {
    let cx = Context::current();
    let sc = cx.span().span_context().clone();
    sc.is_valid().then(|| sc.trace_id().to_string())
}
