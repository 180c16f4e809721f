//! Middleware with FastAPI's (Starlette's) defaults, on tower-http where it
//! fits: GZip above a minimum size, TrustedHost, static files and an SPA
//! fallback. Each is a switch on [`App`](crate::App), applied once when the
//! router is built.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderValue, StatusCode};

/// Hosts a TrustedHost check accepts: exact names, `*.domain` wildcards, `*`.
#[derive(Debug, Clone)]
pub struct TrustedHosts(Vec<String>);

impl TrustedHosts {
    /// The allowed host patterns.
    pub fn new(hosts: impl IntoIterator<Item = impl Into<String>>) -> Self {
        TrustedHosts(hosts.into_iter().map(Into::into).collect())
    }

    /// Whether `host` (without port) is allowed.
    pub fn allows(&self, host: &str) -> bool {
        self.0.iter().any(|p| {
            p == "*"
                || p.eq_ignore_ascii_case(host)
                || p.strip_prefix("*.").is_some_and(|d| {
                    host.len() > d.len()
                        && host
                            .to_ascii_lowercase()
                            .ends_with(&format!(".{}", d.to_ascii_lowercase()))
                })
        })
    }
}

/// Starlette's `TrustedHostMiddleware`: a request whose `Host` is not allowed
/// answers 400 `text/plain` `Invalid host header`.
pub(crate) async fn trusted_host(hosts: TrustedHosts, req: Request, next: Next) -> Response {
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("")
        .split(':')
        .next()
        .unwrap_or("")
        .to_string();
    if hosts.allows(&host) {
        next.run(req).await
    } else {
        let mut res = (StatusCode::BAD_REQUEST, "Invalid host header").into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        res
    }
}

/// Whether a request is a browser navigation (it accepts HTML): the SPA
/// fallback answers those with `index.html` and leaves API clients their 404.
pub(crate) fn wants_html(req: &Request) -> bool {
    req.method() == http::Method::GET
        && req
            .headers()
            .get(header::ACCEPT)
            .and_then(|a| a.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_patterns() {
        let h = TrustedHosts::new(["example.com", "*.example.org"]);
        assert!(h.allows("example.com"));
        assert!(h.allows("EXAMPLE.com"));
        assert!(h.allows("api.example.org"));
        assert!(!h.allows("example.org"));
        assert!(!h.allows("evil.com"));
        assert!(TrustedHosts::new(["*"]).allows("anything"));
    }
}
