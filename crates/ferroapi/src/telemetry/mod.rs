//! What an app tells about the requests it serves, beyond its answers:
//! Prometheus metrics (feature `metrics`, `App::metrics`), OpenTelemetry
//! traces (feature `otel`, `App::opentelemetry`), and the request span of
//! `App::tracing` that every log line of a request carries.
//!
//! An app that asks for neither metrics nor traces is built without any of
//! this on its request path: the observing service wraps the app's service
//! only when something is observed.

#[cfg(any(feature = "metrics", feature = "otel"))]
mod observe;
#[cfg(any(feature = "metrics", feature = "otel"))]
pub(crate) use observe::{ObserveLayer, Observed, Observer};

#[cfg(feature = "metrics")]
pub(crate) mod metrics;
#[cfg(feature = "otel")]
pub(crate) mod otel;
#[cfg(feature = "otel")]
pub use otel::{current_trace_id, inject};

/// The route templates of an app (FastAPI's `/items/{item_id}`), found from a
/// request's path with one table lookup: the label a request is counted under.
#[derive(Debug, Default)]
pub(crate) struct Templates {
    table: matchit::Router<usize>,
    names: Vec<Box<str>>,
}

#[cfg_attr(not(any(feature = "metrics", feature = "otel")), allow(dead_code))]
impl Templates {
    /// `path` is an axum template (what the dispatcher matches), `name` what
    /// requests on it are labelled with. The first of two equal paths wins.
    pub(crate) fn insert(&mut self, path: &str, name: &str) {
        let index = match self.names.iter().position(|n| &**n == name) {
            Some(i) => i,
            None => {
                self.names.push(name.into());
                self.names.len() - 1
            }
        };
        let _ = self.table.insert(path, index);
    }

    /// The template `path` matches, if any (see [`Templates::name`]).
    pub(crate) fn find(&self, path: &str) -> Option<usize> {
        self.table.at(path).ok().map(|m| *m.value)
    }

    /// How many templates there are ([`Templates::find`]'s indices are below).
    #[cfg(any(feature = "metrics", feature = "otel"))]
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// A template [`Templates::find`] found.
    pub(crate) fn name(&self, index: usize) -> &str {
        self.names.get(index).map_or("none", |n| n)
    }
}

/// The methods requests are labelled with: HTTP's own, then `_OTHER` (as the
/// OpenTelemetry conventions say), so that a client inventing methods cannot
/// grow the metrics' label sets or the span names without bound.
#[cfg_attr(not(any(feature = "metrics", feature = "otel")), allow(dead_code))]
pub(crate) const METHOD_LABELS: [&str; 10] = [
    "GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT", "_OTHER",
];

/// A request's method's place in [`METHOD_LABELS`].
#[cfg_attr(not(any(feature = "metrics", feature = "otel")), allow(dead_code))]
pub(crate) fn method_index(method: &http::Method) -> usize {
    use http::Method as M;
    match *method {
        M::GET => 0,
        M::POST => 1,
        M::PUT => 2,
        M::DELETE => 3,
        M::PATCH => 4,
        M::HEAD => 5,
        M::OPTIONS => 6,
        M::TRACE => 7,
        M::CONNECT => 8,
        _ => 9,
    }
}

/// The span a request is served in, with [`App::tracing`](crate::App::tracing):
/// every line logged while it is served names its `request_id` (the
/// `x-request-id` the request came with or was given) and, when it came with a
/// W3C `traceparent`, its `trace_id`.
pub(crate) fn request_span<B>(req: &http::Request<B>) -> tracing::Span {
    let headers = req.headers();
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let span = tracing::info_span!(
        "request",
        method = %req.method(),
        path = %req.uri().path(),
        request_id = %request_id,
        trace_id = tracing::field::Empty,
    );
    // The request's OpenTelemetry span when there is one (`otel`), else the
    // trace it came with.
    #[cfg(feature = "otel")]
    if let Some(id) = otel::current_trace_id() {
        span.record("trace_id", tracing::field::display(id));
        return span;
    }
    if let Some(id) = headers
        .get("traceparent")
        .and_then(|v| trace_id(v.as_bytes()))
    {
        span.record("trace_id", tracing::field::display(id));
    }
    span
}

/// The trace id of a W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`), when
/// it is one: lowercase hex, neither id all zeros, version not `ff`.
pub(crate) fn trace_id(traceparent: &[u8]) -> Option<&str> {
    let text = std::str::from_utf8(traceparent).ok()?.trim();
    let mut parts = text.split('-');
    let (version, trace, parent, flags) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let hex = |s: &str, n: usize| {
        s.len() == n && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    let zero = |s: &str| s.bytes().all(|b| b == b'0');
    let valid = hex(version, 2)
        && version != "ff"
        && hex(trace, 32)
        && !zero(trace)
        && hex(parent, 16)
        && !zero(parent)
        && hex(flags, 2)
        && (version != "00" || parts.next().is_none());
    valid.then_some(trace)
}

#[cfg(test)]
mod tests {
    use super::trace_id;

    #[test]
    fn trace_ids_only_from_valid_traceparents() {
        let good = b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assert_eq!(trace_id(good), Some("4bf92f3577b34da6a3ce929d0e0e4736"));
        for bad in [
            &b"00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"[..],
            b"00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            b"00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            b"ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            b"00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01",
            b"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
            b"00-4bf92f3577b34da6a3ce929d0e0e4736",
            b"\xff",
            b"",
        ] {
            assert_eq!(trace_id(bad), None, "{}", String::from_utf8_lossy(bad));
        }
        // A later version may add fields.
        assert!(trace_id(b"01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x").is_some());
    }
}
