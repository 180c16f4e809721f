//! A small HTTP/1.1 client for the checks (hyper's), one connection per request.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

use ferroapi_bench::cases::{Auth, Case};

/// What came back.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    /// The media type, without parameters (`application/json`).
    pub media_type: String,
    pub body: Bytes,
}

impl Answer {
    /// The body as JSON when it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        (self.media_type == "application/json")
            .then(|| serde_json::from_slice(&self.body).ok())
            .flatten()
    }

    /// The body, for a message.
    pub fn text(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        match text.char_indices().nth(300) {
            Some((i, _)) => format!("{}…", &text[..i]),
            None => text.into_owned(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Client {
    inner: hyper_util::client::legacy::Client<HttpConnector, Full<Bytes>>,
    token: String,
}

impl Client {
    pub fn new() -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let inner = hyper_util::client::legacy::Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(0)
            .build(connector);
        Self {
            inner,
            token: ferroapi_bench::issue_token("alice"),
        }
    }

    /// The bearer token the measured requests carry.
    pub fn token(&self) -> &str {
        &self.token
    }

    pub async fn get(&self, port: u16, path: &str) -> Result<Answer, String> {
        self.send(port, "GET", path, None, None).await
    }

    /// Sends a case's request.
    pub async fn case(&self, port: u16, case: &Case) -> Result<Answer, String> {
        let auth = match case.auth {
            Auth::None => None,
            Auth::Valid => Some(format!("Bearer {}", self.token)),
            Auth::Raw(raw) => Some(raw.to_owned()),
        };
        self.send(port, case.method, case.path, case.body, auth.as_deref())
            .await
    }

    async fn send(
        &self,
        port: u16,
        method: &str,
        path: &str,
        body: Option<&str>,
        auth: Option<&str>,
    ) -> Result<Answer, String> {
        let mut req = http::Request::builder()
            .method(method)
            .uri(format!("http://127.0.0.1:{port}{path}"));
        if body.is_some() {
            req = req.header("content-type", "application/json");
        }
        if let Some(auth) = auth {
            req = req.header("authorization", auth);
        }
        let req = req
            .body(Full::new(Bytes::from(body.unwrap_or_default().to_owned())))
            .map_err(|e| e.to_string())?;
        let res = self.inner.request(req).await.map_err(|e| e.to_string())?;
        let status = res.status().as_u16();
        let media_type = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let body = res
            .into_body()
            .collect()
            .await
            .map_err(|e| e.to_string())?
            .to_bytes();
        Ok(Answer {
            status,
            media_type,
            body,
        })
    }
}
