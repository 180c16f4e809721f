//! File responses (FastAPI's `FileResponse`).

use axum::body::Body;
use axum::response::Response;
use http::{header, HeaderValue, StatusCode};

use super::{Responder, ResponseCtx};

/// Sends a file from disk, streamed, with `content-type` (from the extension),
/// `content-length`, `last-modified`, `etag`, `accept-ranges: bytes` and, when
/// a download name is set, `content-disposition`. A missing file answers 404.
#[derive(Debug, Clone)]
pub struct FileResponse {
    path: std::path::PathBuf,
    filename: Option<String>,
    media_type: Option<String>,
}

impl FileResponse {
    /// A response for the file at `path`.
    pub fn new(path: impl Into<std::path::PathBuf>) -> Self {
        FileResponse {
            path: path.into(),
            filename: None,
            media_type: None,
        }
    }

    /// Sets `content-disposition: attachment; filename="..."`.
    pub fn filename(mut self, name: impl Into<String>) -> Self {
        self.filename = Some(name.into());
        self
    }

    /// Overrides the media type.
    pub fn media_type(mut self, media_type: impl Into<String>) -> Self {
        self.media_type = Some(media_type.into());
        self
    }
}

fn guess(path: &std::path::Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("txt") => "text/plain; charset=utf-8",
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("svg") => "image/svg+xml",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

impl Responder for FileResponse {
    fn respond(self, cx: &ResponseCtx<'_>) -> Response {
        let meta = match std::fs::metadata(&self.path) {
            Ok(m) if m.is_file() => m,
            _ => return cx.error(crate::HTTPException::new(404, "Not Found")),
        };
        let file = match std::fs::File::open(&self.path) {
            Ok(f) => tokio::fs::File::from_std(f),
            Err(_) => return cx.error(crate::HTTPException::new(404, "Not Found")),
        };
        let stream = tokio_util::io::ReaderStream::new(file);
        let mut res = Response::new(Body::from_stream(stream));
        *res.status_mut() = if cx.status == StatusCode::OK {
            StatusCode::OK
        } else {
            cx.status
        };
        let h = res.headers_mut();
        let ct = self
            .media_type
            .unwrap_or_else(|| guess(&self.path).to_string());
        if let Ok(v) = HeaderValue::from_str(&ct) {
            h.insert(header::CONTENT_TYPE, v);
        }
        h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
        h.insert(header::CONTENT_LENGTH, HeaderValue::from(meta.len()));
        if let Ok(modified) = meta.modified() {
            let dt: chrono::DateTime<chrono::Utc> = modified.into();
            if let Ok(v) =
                HeaderValue::from_str(&dt.format("%a, %d %b %Y %H:%M:%S GMT").to_string())
            {
                h.insert(header::LAST_MODIFIED, v);
            }
            let secs = dt.timestamp();
            if let Ok(v) = HeaderValue::from_str(&format!("\"{secs:x}-{:x}\"", meta.len())) {
                h.insert(header::ETAG, v);
            }
        }
        if let Some(name) = self.filename {
            let quoted =
                percent_encoding::utf8_percent_encode(&name, percent_encoding::NON_ALPHANUMERIC);
            let value = if name.is_ascii() {
                format!("attachment; filename=\"{name}\"")
            } else {
                format!("attachment; filename*=utf-8''{quoted}")
            };
            if let Ok(v) = HeaderValue::from_str(&value) {
                h.insert(header::CONTENT_DISPOSITION, v);
            }
        }
        res
    }
}
