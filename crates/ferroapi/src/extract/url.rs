//! The URL a request was sent to: FastAPI's `request.url` and
//! `request.base_url`, as Starlette builds them from what uvicorn gives it.

use std::net::Ipv6Addr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock};

use regex::Regex;

use super::{Extract, Outcome, ParamSpec, RequestCtx, Server};

/// Set once a route that takes a [`RequestUrl`] is built: only then does an
/// app record its root path on each request.
static WANTED: AtomicBool = AtomicBool::new(false);

/// Whether an app should record its root path on requests.
pub(crate) fn wanted() -> bool {
    WANTED.load(Ordering::Relaxed)
}

/// The base path of the outermost app a request went through: its root
/// path (Starlette's `app_root_path`; a mounted app's base URL is its
/// parent's) as a URL writes it, ending in `/`. Made once, when the app is
/// built.
#[derive(Debug, Clone)]
pub(crate) struct AppRootPath(Arc<str>);

impl AppRootPath {
    /// The base path of an app with this root path.
    pub(crate) fn new(root_path: &str) -> AppRootPath {
        let mut base = escape(root_path);
        if !base.ends_with('/') {
            base.push('/');
        }
        AppRootPath(base.into())
    }
}

/// The URL of the request, FastAPI's `request.url`, and the app's base URL,
/// `request.base_url`, as Starlette writes them:
///
/// - the scheme: `http`, or what `X-Forwarded-Proto` says (`http`, `https`)
///   when the peer is a trusted proxy (`FORWARDED_ALLOW_IPS`, as uvicorn's
///   proxy headers and [`ClientAddr`](crate::ClientAddr));
/// - the host: the `Host` header when it is a host (with its port, as
///   sent), else the server's own address (its port left out when it is the
///   scheme's default);
/// - the path, percent-decoded (as the ASGI `path`) with `?`, `#` and `\`
///   written `%3F`, `%23`, `%5C`, and the query as sent; inside a mounted
///   app, the path includes the mount's prefix;
/// - the base URL: the same origin and the app's
///   [`root_path`](crate::App::root_path) with a final `/` (a mounted app's
///   is its parent's).
///
/// ```
/// use ferroapi::{get, App, Json, RequestUrl};
///
/// #[get("/items/")]
/// async fn where_am_i(url: RequestUrl) -> Json<(String, String)> {
///     Json((url.to_string(), url.base_url().to_string()))
/// }
/// # let _ = App::new().root_path("/api").route(where_am_i);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestUrl {
    url: String,
    /// Where the path starts in `url`, and where it ends.
    path: (usize, usize),
    base_url: String,
}

impl RequestUrl {
    /// The whole URL (`str(request.url)`).
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The path (`request.url.path`).
    pub fn path(&self) -> &str {
        &self.url[self.path.0..self.path.1]
    }

    /// The query, without its `?` (`request.url.query`; empty when none).
    pub fn query(&self) -> &str {
        self.url.get(self.path.1 + 1..).unwrap_or("")
    }

    /// The app's base URL (`str(request.base_url)`).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Builds both from what the request says (see the type's text).
    pub(crate) fn new(
        scheme: &str,
        host: Option<&[u8]>,
        server: Option<Server>,
        raw_path: &str,
        query: Option<&str>,
        base_path: &str,
    ) -> RequestUrl {
        let origin = origin(scheme, host, server);
        let mut path = escape(&percent_encoding::percent_decode_str(raw_path).decode_utf8_lossy());
        if origin.is_none() && path.starts_with("//") {
            // Without a host, a leading `//` would read as one.
            path = format!("/%2F{}", &path[2..]);
        }
        let mut url = origin.clone().unwrap_or_default();
        let start = url.len();
        url.push_str(&path);
        let end = url.len();
        if let Some(q) = query.filter(|q| !q.is_empty()) {
            url.push('?');
            url.push_str(q);
        }
        let base_url = match &origin {
            Some(o) => format!("{o}{base_path}"),
            None => base_path.to_string(),
        };
        RequestUrl {
            url,
            path: (start, end),
            base_url,
        }
    }
}

impl std::fmt::Display for RequestUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.url)
    }
}

/// `scheme://authority`, or `None` when neither the `Host` header nor the
/// server's address gives one.
fn origin(scheme: &str, host: Option<&[u8]>, server: Option<Server>) -> Option<String> {
    if let Some(authority) = host.and_then(host_authority) {
        return Some(format!("{scheme}://{authority}"));
    }
    let default = if matches!(scheme, "https" | "wss") {
        443
    } else {
        80
    };
    let (host, port) = match server? {
        Server::Addr(a) => match a.ip() {
            std::net::IpAddr::V4(ip) => (ip.to_string(), a.port()),
            std::net::IpAddr::V6(ip) => (format!("[{ip}]"), a.port()),
        },
        Server::Named(name, port) => (name.to_string(), port),
    };
    Some(match port == default {
        true => format!("{scheme}://{host}"),
        false => format!("{scheme}://{host}:{port}"),
    })
}

/// A `Host` header Starlette takes as the URL's authority (its host, or a
/// bracketed IP literal, and a port of at most 65535): as sent.
fn host_authority(raw: &[u8]) -> Option<&str> {
    static HOST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:[a-z0-9._~%!$&'()*+,;=-]+|\[(?:(?P<ipv6>[a-f0-9]*:[a-f0-9.:]+)|(?-i:v)[a-f0-9]+\.[a-z0-9._~!$&'()*+,;=:-]+)\])(?::(?P<port>[0-9]+))?$",
        )
        .expect("the host pattern compiles")
    });
    let text = std::str::from_utf8(raw).ok()?;
    let found = HOST.captures(text)?;
    if let Some(ip) = found.name("ipv6") {
        ip.as_str().parse::<Ipv6Addr>().ok()?;
    }
    if let Some(port) = found.name("port") {
        let digits = port.as_str().trim_start_matches('0');
        if digits.len() > 5 || digits.parse::<u32>().unwrap_or(0) > 65535 {
            return None;
        }
    }
    Some(text)
}

/// The characters Starlette escapes in a path it puts in a URL.
fn escape(path: &str) -> String {
    path.replace('?', "%3F")
        .replace('#', "%23")
        .replace('\\', "%5C")
}

impl<S: Sync> Extract<S> for RequestUrl {
    fn prepare(_spec: &'static ParamSpec) {
        WANTED.store(true, Ordering::Relaxed);
        super::client::want();
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        let parts = cx.parts();
        let peer = parts.extensions.get::<super::Peer>().copied();
        // uvicorn believes a trusted proxy's scheme.
        let forwarded = peer
            .filter(|p| super::client::is_trusted(&p.0.ip()))
            .and_then(|_| parts.headers.get("x-forwarded-proto"))
            .and_then(|v| std::str::from_utf8(v.as_bytes()).ok())
            .map(str::trim)
            .filter(|s| matches!(*s, "http" | "https"));
        let scheme = forwarded.unwrap_or("http");
        // Inside a mounted app the path keeps the mount's prefix.
        let uri = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map_or(&parts.uri, |o| &o.0);
        let base = parts.extensions.get::<AppRootPath>().map_or("/", |r| &r.0);
        let host = parts
            .headers
            .get(http::header::HOST)
            .map(|h| h.as_bytes())
            .or_else(|| uri.authority().map(|a| a.as_str().as_bytes()));
        Outcome::Value(RequestUrl::new(
            scheme,
            host,
            peer.and_then(|p| p.1),
            uri.path(),
            uri.query(),
            base,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(
        host: Option<&str>,
        server: Option<&str>,
        path: &str,
        query: Option<&str>,
    ) -> RequestUrl {
        RequestUrl::new(
            "http",
            host.map(str::as_bytes),
            server.map(|s| Server::Addr(s.parse().unwrap())),
            path,
            query,
            &AppRootPath::new("").0,
        )
    }

    #[test]
    fn the_host_header_when_it_is_one_else_the_servers_address() {
        let u = url(Some("example.com:8080"), None, "/items/", Some("q=1"));
        assert_eq!(u.as_str(), "http://example.com:8080/items/?q=1");
        assert_eq!((u.path(), u.query()), ("/items/", "q=1"));
        assert_eq!(u.base_url(), "http://example.com:8080/");
        for bad in [
            "exa mple.com",
            "example.com:99999",
            "[::zz]",
            "ex\u{e9}.com",
            "",
        ] {
            let u = url(Some(bad), Some("127.0.0.1:8000"), "/", None);
            assert_eq!(u.as_str(), "http://127.0.0.1:8000/", "{bad:?}");
        }
        assert_eq!(
            url(Some("[::1]:00080"), None, "/", None).as_str(),
            "http://[::1]:00080/"
        );
        assert_eq!(
            url(None, Some("[::1]:80"), "/a", None).as_str(),
            "http://[::1]/a"
        );
        assert_eq!(url(None, None, "//a", Some("x")).as_str(), "/%2Fa?x");
    }

    proptest::proptest! {
        /// Any Host header bytes, any path and query text: a URL, never a
        /// panic; its path and query are the parts it says they are.
        #[test]
        fn any_host_and_path_give_a_url(
            host in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            path in "\\PC{0,40}",
            query in proptest::option::of("[ -~]{0,20}"),
        ) {
            let u = RequestUrl::new("http", Some(&host), None, &path, query.as_deref(), "/");
            proptest::prop_assert!(u.as_str().ends_with(u.query()));
            proptest::prop_assert!(u.as_str().contains(u.path()));
            proptest::prop_assert!(!u.path().contains('?') && !u.path().contains('#'));
        }
    }

    #[test]
    fn the_path_is_decoded_and_re_escaped_as_starlette_does() {
        let u = url(Some("h"), None, "/a%20b/%3F%23%5C/%E2%82%AC", Some(""));
        assert_eq!(u.as_str(), "http://h/a b/%3F%23%5C/€");
        assert_eq!(u.query(), "");
        let base = AppRootPath::new("/api");
        let u = RequestUrl::new("https", Some(b"h"), None, "/x", None, &base.0);
        assert_eq!(
            (u.as_str(), u.base_url()),
            ("https://h/x", "https://h/api/")
        );
    }
}
