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
/// answers 400 `text/plain` `Invalid host header` — or, when `www.` + host is
/// an allowed name, 307 to the same URL on that host (`www_redirect`).
pub(crate) async fn trusted_host(hosts: TrustedHosts, req: Request, next: Next) -> Response {
    let netloc = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("");
    let host = netloc.split(':').next().unwrap_or("");
    if hosts.allows(host) {
        next.run(req).await
    } else if !host.is_empty() && hosts.0.iter().any(|p| p.strip_prefix("www.") == Some(host)) {
        redirect_to(&req, "http", &format!("www.{netloc}"))
    } else {
        let mut res = (StatusCode::BAD_REQUEST, "Invalid host header").into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        res
    }
}

/// tower-http appends its own `vary: accept-encoding`; Starlette's GZip adds
/// `Accept-Encoding` to the one `vary` header there is (`Cookie,
/// Accept-Encoding`): the values are joined into one, in order.
pub(crate) async fn vary_as_starlette(mut res: Response) -> Response {
    let headers = res.headers_mut();
    if headers
        .get_all(header::VARY)
        .iter()
        .any(|v| v.as_bytes() == b"accept-encoding")
    {
        let values: Vec<String> = headers
            .get_all(header::VARY)
            .iter()
            .map(|v| match v.as_bytes() {
                b"accept-encoding" => "Accept-Encoding".to_string(),
                other => String::from_utf8_lossy(other).into_owned(),
            })
            .collect();
        headers.remove(header::VARY);
        if let Ok(v) = HeaderValue::from_str(&values.join(", ")) {
            headers.insert(header::VARY, v);
        }
    }
    res
}

/// Starlette's `add_vary_header`: `value` joined to the existing `vary`
/// header (one header, comma-separated), or the header itself.
pub(crate) fn add_vary(headers: &mut http::HeaderMap, value: &'static str) {
    let joined = match headers.get(header::VARY).and_then(|v| v.to_str().ok()) {
        Some(existing) => HeaderValue::from_str(&format!("{existing}, {value}")).ok(),
        None => Some(HeaderValue::from_static(value)),
    };
    if let Some(v) = joined {
        headers.insert(header::VARY, v);
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

/// CORS, answered as Starlette's `CORSMiddleware` answers: preflights get
/// 200 `OK` or 400 `Disallowed CORS origin, method, headers` with the full
/// header set; other responses get `vary: Origin` and, for a request with an
/// `Origin`, the credentials/expose headers and the allowed origin.
#[derive(Debug, Clone)]
pub struct Cors {
    origins: Vec<String>,
    methods: Vec<String>,
    headers: Vec<String>,
    credentials: bool,
    expose: Vec<String>,
    max_age: u32,
    origin_regex: Option<regex::Regex>,
}

impl Default for Cors {
    fn default() -> Self {
        Cors {
            origins: Vec::new(),
            methods: vec!["GET".into()],
            headers: Vec::new(),
            credentials: false,
            expose: Vec::new(),
            max_age: 600,
            origin_regex: None,
        }
    }
}

/// Headers a browser may always send (Starlette's safelist).
const SAFELISTED: [&str; 4] = [
    "Accept",
    "Accept-Language",
    "Content-Language",
    "Content-Type",
];

impl Cors {
    /// Starlette's defaults: no origin, `GET`, no extra header, max-age 600.
    pub fn new() -> Self {
        Self::default()
    }
    /// Allowed origins (`"*"` for any).
    pub fn allow_origins(mut self, o: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.origins = o.into_iter().map(Into::into).collect();
        self
    }
    /// Origins allowed by a regular expression matched against the whole
    /// origin (Starlette's `allow_origin_regex`, read with Python's
    /// `fullmatch`), beside [`allow_origins`](Self::allow_origins).
    ///
    /// # Panics
    /// When `pattern` is not a valid regular expression: a configuration
    /// error, found when the app is built, never at request time.
    pub fn allow_origin_regex(mut self, pattern: &str) -> Self {
        let anchored = format!("^(?:{pattern})$");
        match regex::Regex::new(&anchored) {
            Ok(re) => self.origin_regex = Some(re),
            Err(e) => panic!("Cors::allow_origin_regex: invalid pattern {pattern:?}: {e}"),
        }
        self
    }
    /// Allowed methods (`"*"` for any).
    pub fn allow_methods(mut self, m: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.methods = m.into_iter().map(Into::into).collect();
        self
    }
    /// Allowed request headers besides the safelisted ones (`"*"` for any).
    pub fn allow_headers(mut self, h: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.headers = h.into_iter().map(Into::into).collect();
        self
    }
    /// `Access-Control-Allow-Credentials: true`.
    pub fn allow_credentials(mut self, on: bool) -> Self {
        self.credentials = on;
        self
    }
    /// `Access-Control-Expose-Headers`.
    pub fn expose_headers(mut self, h: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.expose = h.into_iter().map(Into::into).collect();
        self
    }
    /// `Access-Control-Max-Age` of preflights.
    pub fn max_age(mut self, seconds: u32) -> Self {
        self.max_age = seconds;
        self
    }

    fn any_origin(&self) -> bool {
        self.origins.iter().any(|o| o == "*")
    }

    fn origin_allowed(&self, origin: &str) -> bool {
        self.any_origin()
            || self
                .origin_regex
                .as_ref()
                .is_some_and(|re| re.is_match(origin))
            || self.origins.iter().any(|o| o == origin)
    }

    fn allowed_headers(&self) -> Vec<String> {
        let mut all: Vec<String> = SAFELISTED.iter().map(|s| s.to_string()).collect();
        all.extend(self.headers.iter().cloned());
        all.sort();
        all.dedup();
        all
    }

    /// Builds the header values once, when the router is built.
    pub(crate) fn compile(self) -> CompiledCors {
        let allowed = self.allowed_headers();
        CompiledCors {
            expose: (!self.expose.is_empty())
                .then(|| HeaderValue::from_str(&self.expose.join(", ")).ok())
                .flatten(),
            // Starlette: `*` is every method, spelled out.
            methods: if self.methods.iter().any(|m| m == "*") {
                Some(HeaderValue::from_static(
                    "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, QUERY",
                ))
            } else {
                HeaderValue::from_str(&self.methods.join(", ")).ok()
            },
            allow_headers: HeaderValue::from_str(&allowed.join(", ")).ok(),
            allowed_lower: allowed.iter().map(|h| h.to_ascii_lowercase()).collect(),
            config: self,
        }
    }
}

/// A CORS configuration with its header values computed once.
#[derive(Debug)]
pub(crate) struct CompiledCors {
    config: Cors,
    expose: Option<HeaderValue>,
    methods: Option<HeaderValue>,
    allow_headers: Option<HeaderValue>,
    allowed_lower: Vec<String>,
}

impl CompiledCors {
    fn preflight(&self, origin: &str, req: &Request) -> Response {
        let c = &self.config;
        let mut failures = Vec::new();
        if !c.origin_allowed(origin) {
            failures.push("origin");
        }
        let method = req
            .headers()
            .get("access-control-request-method")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if !c
            .methods
            .iter()
            .any(|m| m == "*" || m.eq_ignore_ascii_case(method))
        {
            failures.push("method");
        }
        if let Some(requested) = req
            .headers()
            .get("access-control-request-headers")
            .and_then(|v| v.to_str().ok())
        {
            let any = c.headers.iter().any(|h| h == "*");
            let bad = requested
                .split(',')
                .map(|h| h.trim().to_ascii_lowercase())
                .filter(|h| !h.is_empty())
                .any(|h| !any && !self.allowed_lower.contains(&h));
            if bad {
                failures.push("headers");
            }
        }
        let (status, body) = if failures.is_empty() {
            (StatusCode::OK, "OK".to_string())
        } else {
            (
                StatusCode::BAD_REQUEST,
                format!("Disallowed CORS {}", failures.join(", ")),
            )
        };
        let mut res = (status, body).into_response();
        let h = res.headers_mut();
        h.insert(
            header::VARY,
            HeaderValue::from_static(
                "Origin, Access-Control-Request-Method, Access-Control-Request-Headers, Access-Control-Request-Private-Network",
            ),
        );
        if let Some(v) = &self.methods {
            h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, v.clone());
        }
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from(c.max_age));
        // Any header allowed: the requested ones are echoed, if any
        // (Starlette); otherwise the list.
        let allow_headers = if c.headers.iter().any(|x| x == "*") {
            req.headers().get("access-control-request-headers").cloned()
        } else {
            self.allow_headers.clone()
        };
        if let Some(v) = allow_headers {
            h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, v);
        }
        if c.credentials {
            h.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
        }
        if !failures.contains(&"origin") {
            let value = if c.any_origin() && !c.credentials {
                "*"
            } else {
                origin
            };
            if let Ok(v) = HeaderValue::from_str(value) {
                h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
            }
        }
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        res
    }
}

/// A directory served as Starlette's `StaticFiles` serves one: a path whose
/// real location (symlinks resolved) leaves the directory is not found
/// (Starlette's `follow_symlink=False`, its default).
#[derive(Debug, Clone)]
pub(crate) struct StaticDir {
    /// The directory, symlinks resolved once at start-up.
    root: std::sync::Arc<std::path::PathBuf>,
}

impl StaticDir {
    pub(crate) fn new(dir: &std::path::Path) -> Self {
        let root = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        StaticDir {
            root: std::sync::Arc::new(root),
        }
    }

    pub(crate) fn root(&self) -> &std::path::Path {
        &self.root
    }

    /// Whether the file `url_path` names resolves outside the directory.
    pub(crate) async fn escapes(&self, url_path: &str) -> bool {
        let decoded = percent_encoding::percent_decode_str(url_path).decode_utf8_lossy();
        let mut candidate = self.root.to_path_buf();
        for segment in decoded.split('/') {
            match segment {
                "" | "." => {}
                ".." => return true,
                s => candidate.push(s),
            }
        }
        if tokio::fs::metadata(&candidate)
            .await
            .is_ok_and(|m| m.is_dir())
        {
            candidate.push("index.html");
        }
        match tokio::fs::canonicalize(&candidate).await {
            Ok(real) => !real.starts_with(&*self.root),
            // Missing: the file server answers its own 404.
            Err(_) => false,
        }
    }
}

pub(crate) async fn cors(
    compiled: std::sync::Arc<CompiledCors>,
    req: Request,
    next: Next,
) -> Response {
    let config = &compiled.config;
    let origin = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    if let Some(origin) = &origin {
        if req.method() == http::Method::OPTIONS
            && req.headers().contains_key("access-control-request-method")
        {
            return compiled.preflight(origin, &req);
        }
    }
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if let Some(origin) = origin {
        if config.credentials {
            h.insert(
                header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
        }
        if let Some(v) = &compiled.expose {
            h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, v.clone());
        }
        if config.origin_allowed(&origin) {
            let value = if config.any_origin() && !config.credentials {
                "*".to_string()
            } else {
                origin
            };
            if let Ok(v) = HeaderValue::from_str(&value) {
                h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, v);
            }
        }
    }
    if !config.any_origin() || config.credentials {
        add_vary(h, "Origin");
    }
    res
}

/// Starlette's `HTTPSRedirectMiddleware`: a request that did not arrive over
/// HTTPS (per the URI scheme or a proxy's `x-forwarded-proto`) answers 307 to
/// the same URL on `https` (port 80 dropped).
pub(crate) async fn https_redirect(req: Request, next: Next) -> Response {
    let proto = req
        .headers()
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .map(str::to_ascii_lowercase)
        .or_else(|| req.uri().scheme_str().map(str::to_ascii_lowercase))
        .unwrap_or_else(|| "http".into());
    if proto == "https" || proto == "wss" {
        return next.run(req).await;
    }
    let host = req
        .headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let host = host.strip_suffix(":80").unwrap_or(host);
    redirect_to(&req, "https", host)
}

/// A redirect's target as Starlette writes it: the URL built from the
/// request's decoded path, then quoted by `RedirectResponse` with its safe
/// characters, so `%3A` comes back as `:` and a decoded space as `%20`.
fn starlette_url(scheme: &str, host: &str, raw_path: &str, query: Option<&str>) -> String {
    let path = percent_encoding::percent_decode_str(raw_path).decode_utf8_lossy();
    let mut url = format!("{scheme}://{host}{path}");
    if let Some(q) = query {
        url.push('?');
        url.push_str(q);
    }
    let mut out = String::with_capacity(url.len());
    for b in url.bytes() {
        // Python's `quote(url, safe=":/%#?=@[]!$&'()*+,;")`.
        if b.is_ascii_alphanumeric() || b"_.-~:/%#?=@[]!$&'()*+,;".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Starlette's slash redirect: 307 to `http://{host}{path}` with the
/// request's query kept.
pub(crate) fn slash_redirect(parts: &http::request::Parts, path: &str) -> Response {
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let mut res = StatusCode::TEMPORARY_REDIRECT.into_response();
    if let Ok(v) = HeaderValue::from_str(&starlette_url("http", host, path, parts.uri.query())) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

/// Starlette's `RedirectResponse` (307, empty body) to the same path and
/// query on another scheme or host.
fn redirect_to(req: &Request, scheme: &str, netloc: &str) -> Response {
    // In a mounted sub-application: the URL as the client sent it.
    let uri = req
        .extensions()
        .get::<axum::extract::OriginalUri>()
        .map_or(req.uri(), |o| &o.0);
    let mut res = StatusCode::TEMPORARY_REDIRECT.into_response();
    if let Ok(v) = HeaderValue::from_str(&starlette_url(scheme, netloc, uri.path(), uri.query())) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res
}

#[cfg(test)]
mod redirect_tests {
    #[test]
    fn redirect_urls_are_quoted_as_starlette_quotes_them() {
        let url = |p, q| super::starlette_url("http", "testserver", p, q);
        assert_eq!(url("/a%3Ab/", None), "http://testserver/a:b/");
        assert_eq!(
            url("/a%20b", Some("q=1%202")),
            "http://testserver/a%20b?q=1%202"
        );
        assert_eq!(url("/caf%C3%A9", None), "http://testserver/caf%C3%A9");
        assert_eq!(url("/%7Bx%7D%25", None), "http://testserver/%7Bx%7D%");
        assert_eq!(url("/a%2Fb", None), "http://testserver/a/b");
    }
}

/// A gRPC call to a service the app does not serve: gRPC's `UNIMPLEMENTED`
/// (status 12 in the trailers-only form), not an HTTP 404 page.
pub(crate) fn grpc_unimplemented(req: &axum::extract::Request) -> Option<axum::response::Response> {
    let grpc = req
        .headers()
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/grpc"));
    if !grpc {
        return None;
    }
    let mut res = axum::response::Response::new(axum::body::Body::empty());
    let headers = res.headers_mut();
    headers.insert(
        http::header::CONTENT_TYPE,
        http::HeaderValue::from_static("application/grpc"),
    );
    headers.insert("grpc-status", http::HeaderValue::from_static("12"));
    headers.insert(
        "grpc-message",
        http::HeaderValue::from_static("unknown%20service"),
    );
    Some(res)
}

/// Marks a response that passed through a user's middleware from below:
/// Starlette's `@app.middleware("http")` hands it on as a stream.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Streamed;

/// See [`Streamed`].
pub(crate) async fn mark_streamed(mut res: axum::response::Response) -> axum::response::Response {
    res.extensions_mut().insert(Streamed);
    res
}

/// GZip's minimum size as Starlette applies it: a streamed body is
/// compressed whatever its size, unless it is empty (Starlette's GZip sees
/// its first and last chunk at once, and an empty one is under any minimum).
#[derive(Debug, Clone, Copy)]
pub(crate) struct GzipSize(tower_http::compression::predicate::SizeAbove);

impl GzipSize {
    pub(crate) fn new(minimum: u16) -> Self {
        GzipSize(tower_http::compression::predicate::SizeAbove::new(
            u64::from(minimum),
        ))
    }
}

impl tower_http::compression::predicate::Predicate for GzipSize {
    fn should_compress<B>(&self, response: &http::Response<B>) -> bool
    where
        B: http_body::Body,
    {
        let streamed = response.extensions().get::<Streamed>().is_some()
            && response.body().size_hint().exact() != Some(0);
        streamed || self.0.should_compress(response)
    }
}
