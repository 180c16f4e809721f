//! The showdown's contract: what every implementation computes, so that the
//! Rust servers share the work and differ only in their framework.
//!
//! The same endpoints, with the same answers, are served by `fastapi/app.py`
//! (FastAPI on uvicorn), `showdown-axum` (axum by hand), `showdown-ferroapi`,
//! `showdown-actix` and `showdown-poem` (poem-openapi). The harness
//! (`showdown`) checks that they agree ([`cases`]) and measures them.
//!
//! ```
//! let products = ferroapi_bench::catalogue();
//! assert_eq!(products.len(), ferroapi_bench::CATALOGUE_LEN);
//! assert_eq!(products[3].name, "product-3");
//! assert_eq!(ferroapi_bench::derive_key("ferris").len(), 64);
//! ```
#![forbid(unsafe_code)]

pub mod cases;
pub mod db;
pub mod plain;

use serde::{Deserialize, Serialize};

/// The secret of the bearer tokens (HS256), known to every server and the harness.
pub const JWT_SECRET: &str = "showdown-secret-not-for-production";
/// How many products `GET /large` answers.
pub const CATALOGUE_LEN: usize = 1000;
/// PBKDF2-HMAC-SHA256 rounds of `GET /cpu/{word}`: about a millisecond of one core.
pub const PBKDF2_ROUNDS: u32 = 5000;
/// The salt of `GET /cpu/{word}`.
pub const PBKDF2_SALT: &[u8] = b"showdown";
/// Rows in the SQLite table; `GET /rows?start=` reads 20 of them.
pub const ROWS: i64 = 10_000;
/// Rows one `GET /rows` answers.
pub const PAGE: i64 = 20;
/// The largest valid `start` of `GET /rows`.
pub const MAX_START: i64 = ROWS - PAGE + 1;

/// One product of `GET /large`.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema, poem_openapi::Object)]
pub struct Product {
    /// Its id.
    pub id: u32,
    /// Its name.
    pub name: String,
    /// Its price.
    pub price: f64,
    /// Its tags.
    pub tags: Vec<String>,
    /// Whether it can be ordered.
    pub in_stock: bool,
}

/// The products of `GET /large`, built once at start-up by every server.
pub fn catalogue() -> Vec<Product> {
    (0..CATALOGUE_LEN as u32)
        .map(|id| Product {
            id,
            name: format!("product-{id}"),
            price: f64::from(id * 37 % 1000) / 4.0,
            tags: vec![format!("tag-{}", id % 7), "sale".to_owned()],
            in_stock: id % 3 != 0,
        })
        .collect()
}

/// The CPU-bound work: PBKDF2-HMAC-SHA256 of `word`, hex.
pub fn derive_key(word: &str) -> String {
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(word.as_bytes(), PBKDF2_SALT, PBKDF2_ROUNDS, &mut out);
    out.iter().map(|b| format!("{b:02x}")).collect()
}

/// The total of `POST /orders`: quantity × unit price, summed in order (as
/// the Python twin sums, so the floats agree).
pub fn order_total(lines: impl IntoIterator<Item = (i64, f64)>) -> f64 {
    lines
        .into_iter()
        .fold(0.0, |t, (quantity, price)| t + quantity as f64 * price)
}

/// The claims of a bearer token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// Who.
    pub sub: String,
    /// Expiry (seconds since the epoch).
    pub exp: u64,
}

/// A token for `sub`, valid until 2100.
pub fn issue_token(sub: &str) -> String {
    let claims = Claims {
        sub: sub.to_owned(),
        exp: 4_102_444_800,
    };
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET.as_bytes()),
    )
    .expect("HS256 signing of a small claim set cannot fail")
}

/// Checks a bearer token once; every server keeps one of these.
#[derive(Clone)]
pub struct Verifier {
    key: jsonwebtoken::DecodingKey,
    validation: jsonwebtoken::Validation,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Verifier(HS256)")
    }
}

impl Default for Verifier {
    fn default() -> Self {
        Self {
            key: jsonwebtoken::DecodingKey::from_secret(JWT_SECRET.as_bytes()),
            validation: jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::HS256),
        }
    }
}

impl Verifier {
    /// The subject of a valid token.
    pub fn subject(&self, token: &str) -> Option<String> {
        jsonwebtoken::decode::<Claims>(token, &self.key, &self.validation)
            .ok()
            .map(|t| t.claims.sub)
    }
}

/// The address a server binds: `127.0.0.1:$PORT` (8000 by default).
pub fn addr() -> std::net::SocketAddr {
    let port = std::env::var("PORT")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(8000);
    std::net::SocketAddr::from(([127, 0, 0, 1], port))
}

/// The environment variable that makes a peer's 422 answers longer:
/// `SHOWDOWN_422_PAD=N` adds `"pad": "xx…"` (N bytes) beside `detail`.
/// FastAPI's contract answers the showdown's invalid order with its whole
/// error list (595 bytes) where a peer prints garde's report as one string
/// (about 180): `showdown --head-to-head` measures the row again with the
/// peer's answer padded to ferroapi's length, to tell the cost of writing
/// and sending the longer answer from the cost of finding it.
pub const PAD_422_ENV: &str = "SHOWDOWN_422_PAD";

/// A peer's error body, `{"detail": detail}`; a 422's padded as
/// [`PAD_422_ENV`] says (read once, at the first 422).
pub fn detail_body(status: u16, detail: serde_json::Value) -> serde_json::Value {
    static PAD: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    let pad = match status {
        422 => PAD.get_or_init(|| {
            let n = std::env::var(PAD_422_ENV).ok()?.parse::<usize>().ok()?;
            Some("x".repeat(n))
        }),
        _ => &None,
    };
    match pad {
        Some(p) => serde_json::json!({ "detail": detail, "pad": p }),
        None => serde_json::json!({ "detail": detail }),
    }
}
