//! Starlette's `StaticFiles`, answered as FastAPI mounts it: GET and HEAD
//! only (405 `allow: GET, HEAD` otherwise), media types with `charset=utf-8`
//! for text, 404 through the app's exception handlers, `html=True` (a
//! directory's `index.html` after the slash redirect, `404.html` for what is
//! missing), nothing outside the directory (`..`, symlinks).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{OriginalUri, Request};
use axum::response::Response;
use http::{header, request::Parts, HeaderValue, Method, StatusCode};

use crate::handlers::Handlers;
use crate::HTTPException;

/// A directory of files to mount (FastAPI's `StaticFiles(directory=...,
/// html=...)`, mounted with [`App::mount`](crate::App::mount)).
///
/// ```
/// use ferroapi::{App, StaticFiles};
/// let app = App::new()
///     .mount("/static", StaticFiles::new("assets"))
///     .mount("/site", StaticFiles::new("site").html(true));
/// # let _ = app;
/// ```
#[derive(Debug, Clone)]
pub struct StaticFiles {
    dir: PathBuf,
    html: bool,
}

impl StaticFiles {
    /// The files under `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        StaticFiles {
            dir: dir.into(),
            html: false,
        }
    }

    /// Starlette's `html=True`: a directory answers its `index.html` (after
    /// a 307 to the path with a trailing slash), a missing file the
    /// directory's `404.html` (status 404) when there is one.
    pub fn html(mut self, on: bool) -> Self {
        self.html = on;
        self
    }

    /// Resolved once at start-up.
    pub(crate) fn into_service(self) -> StaticService {
        let root = std::fs::canonicalize(&self.dir).unwrap_or(self.dir);
        StaticService {
            root: Arc::new(root),
            html: self.html,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct StaticService {
    root: Arc<PathBuf>,
    html: bool,
}

impl StaticService {
    /// The real path of the file `url_path` names, if it exists inside the
    /// directory (Starlette's `normpath` and `commonpath` checks; symlinks
    /// resolved).
    async fn lookup(&self, segments: &[String]) -> Option<(PathBuf, std::fs::Metadata)> {
        let mut candidate = self.root.to_path_buf();
        candidate.extend(segments);
        let real = tokio::fs::canonicalize(&candidate).await.ok()?;
        if !real.starts_with(&*self.root) {
            return None;
        }
        let meta = tokio::fs::metadata(&real).await.ok()?;
        Some((real, meta))
    }

    /// Answers one request (the mount's prefix already stripped).
    pub(crate) async fn serve(&self, req: Request, handlers: &Handlers) -> Response {
        let (parts, _) = req.into_parts();
        if parts.method != Method::GET && parts.method != Method::HEAD {
            let e = HTTPException::new(405, "Method Not Allowed").header("allow", "GET, HEAD");
            return handlers.render(&parts, e);
        }
        let not_found = |parts: &Parts| handlers.render(parts, HTTPException::not_found());
        let Some(segments) = normalize(parts.uri.path()) else {
            return self.missing(&parts, not_found).await;
        };
        match self.lookup(&segments).await {
            Some((path, meta)) if meta.is_file() => serve_file(&path, &parts, StatusCode::OK).await,
            Some((dir, meta)) if meta.is_dir() && self.html => {
                let index = dir.join("index.html");
                if !tokio::fs::metadata(&index).await.is_ok_and(|m| m.is_file()) {
                    return self.missing(&parts, not_found).await;
                }
                let full = original_path(&parts);
                if !full.ends_with('/') {
                    return crate::middleware::slash_redirect(&parts, &format!("{full}/"));
                }
                serve_file(&index, &parts, StatusCode::OK).await
            }
            _ => self.missing(&parts, not_found).await,
        }
    }

    /// Not found: the directory's `404.html` under `html=True`, else the
    /// app's 404.
    async fn missing(&self, parts: &Parts, not_found: impl Fn(&Parts) -> Response) -> Response {
        if self.html {
            let page = self.root.join("404.html");
            if tokio::fs::metadata(&page).await.is_ok_and(|m| m.is_file()) {
                return serve_file(&page, parts, StatusCode::NOT_FOUND).await;
            }
        }
        not_found(parts)
    }
}

/// The URL path as segments after Starlette's `normpath`: `.` and empty
/// segments dropped, `..` removing the one before; `None` when `..` climbs
/// out of the directory.
fn normalize(url_path: &str) -> Option<Vec<String>> {
    let decoded = percent_encoding::percent_decode_str(url_path).decode_utf8_lossy();
    let mut out: Vec<String> = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            s if s.contains('\0') || s.contains('\\') => return None,
            s => out.push(s.to_string()),
        }
    }
    Some(out)
}

/// The request's full path, the mount prefix included.
fn original_path(parts: &Parts) -> String {
    parts
        .extensions
        .get::<OriginalUri>()
        .map(|u| u.0.path().to_string())
        .unwrap_or_else(|| parts.uri.path().to_string())
}

/// The file, as Starlette's `FileResponse` sends it: conditional requests and
/// ranges answered (tower-http's `ServeFile`), the media type guessed from
/// the extension with `charset=utf-8` for text.
async fn serve_file(path: &Path, parts: &Parts, status: StatusCode) -> Response {
    use tower::ServiceExt;
    let mut probe = Request::new(Body::empty());
    *probe.method_mut() = parts.method.clone();
    *probe.uri_mut() = parts.uri.clone();
    *probe.headers_mut() = parts.headers.clone();
    let Ok(res) = tower_http::services::ServeFile::new(path)
        .oneshot(probe)
        .await;
    let mut res = res.map(Body::new);
    if res.status() == StatusCode::OK {
        *res.status_mut() = status;
    }
    let guessed = mime_guess::from_path(path).first_or_octet_stream();
    let media = if guessed.type_() == mime::TEXT {
        format!("{}; charset=utf-8", guessed.essence_str())
    } else {
        guessed.essence_str().to_string()
    };
    if let Ok(v) = HeaderValue::from_str(&media) {
        res.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    res.headers_mut()
        .insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    res
}

/// What [`App::mount`](crate::App::mount) takes: a [`StaticFiles`]
/// directory or an [`App`](crate::App) (converted with `From`).
pub struct Mounted(pub(crate) MountedKind);

/// The two kinds of mounted things.
pub(crate) enum MountedKind {
    Files(StaticFiles),
    /// Builds the sub-application's router for its prefix.
    App(Box<dyn FnOnce(&str) -> axum::Router>),
}

impl std::fmt::Debug for Mounted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.0 {
            MountedKind::Files(files) => f.debug_tuple("Mounted").field(files).finish(),
            MountedKind::App(_) => f.write_str("Mounted(App)"),
        }
    }
}

impl From<StaticFiles> for Mounted {
    fn from(files: StaticFiles) -> Self {
        Mounted(MountedKind::Files(files))
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn normpath_as_starlette() {
        assert_eq!(normalize("/a/./b/"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(
            normalize("/docs/../hello.txt"),
            Some(vec!["hello.txt".into()])
        );
        assert_eq!(normalize("/../x"), None);
        assert_eq!(normalize("/%2e%2e/x"), None);
        assert_eq!(normalize("/"), Some(vec![]));
    }
}
