//! Response headers and cookies (FastAPI's injected `Response` parameter).

use http::{HeaderMap, HeaderName, HeaderValue};

/// Headers (and cookies) to add to a response: return `(ResponseHeaders, T)`.
///
/// ```
/// use ferroapi::response::{ResponseHeaders, SetCookie};
/// let h = ResponseHeaders::new()
///     .header("x-cache", "miss")
///     .cookie(SetCookie::new("session", "abc123").max_age(60).http_only());
/// # let _ = h;
/// ```
#[derive(Debug, Clone, Default)]
pub struct ResponseHeaders {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl ResponseHeaders {
    /// No headers yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a header. The value is written as Starlette writes it, in
    /// latin-1 (`é` is the one byte 0xE9).
    ///
    /// # Panics
    /// If the name is not valid in a header, or the value holds a character
    /// past U+00FF (FastAPI fails such a response too) or a control character.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((
            HeaderName::from_bytes(name.as_bytes()).expect("invalid header name"),
            crate::latin1::header_value(value).expect("invalid header value"),
        ));
        self
    }

    /// Adds a `set-cookie` header.
    pub fn cookie(mut self, cookie: SetCookie) -> Self {
        if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
            self.headers.push((http::header::SET_COOKIE, v));
        }
        self
    }

    pub(crate) fn apply(self, map: &mut HeaderMap) {
        for (k, v) in self.headers {
            map.append(k, v);
        }
    }
}

/// The `SameSite` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SameSite {
    /// `lax` (Starlette's default).
    Lax,
    /// `strict`.
    Strict,
    /// `none`.
    None,
}

/// A cookie to set, rendered as Starlette's `set_cookie` renders it
/// (`session=abc123; HttpOnly; Max-Age=60; Path=/; SameSite=lax`).
#[derive(Debug, Clone)]
pub struct SetCookie {
    name: String,
    value: String,
    max_age: Option<i64>,
    path: String,
    domain: Option<String>,
    secure: bool,
    http_only: bool,
    same_site: SameSite,
}

impl SetCookie {
    /// A cookie with Starlette's defaults (`Path=/`, `SameSite=lax`).
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        SetCookie {
            name: name.into(),
            value: value.into(),
            max_age: None,
            path: "/".into(),
            domain: None,
            secure: false,
            http_only: false,
            same_site: SameSite::Lax,
        }
    }
    /// `Max-Age`.
    pub fn max_age(mut self, seconds: i64) -> Self {
        self.max_age = Some(seconds);
        self
    }
    /// `Path`.
    pub fn path(mut self, path: impl Into<String>) -> Self {
        self.path = path.into();
        self
    }
    /// `Domain`.
    pub fn domain(mut self, domain: impl Into<String>) -> Self {
        self.domain = Some(domain.into());
        self
    }
    /// `Secure`.
    pub fn secure(mut self) -> Self {
        self.secure = true;
        self
    }
    /// `HttpOnly`.
    pub fn http_only(mut self) -> Self {
        self.http_only = true;
        self
    }
    /// `SameSite`.
    pub fn same_site(mut self, s: SameSite) -> Self {
        self.same_site = s;
        self
    }
}

impl std::fmt::Display for SetCookie {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}=", self.name)?;
        write_cookie_value(f, &self.value)?;
        if let Some(d) = &self.domain {
            write!(f, "; Domain={d}")?;
        }
        if self.http_only {
            f.write_str("; HttpOnly")?;
        }
        if let Some(m) = self.max_age {
            write!(f, "; Max-Age={m}")?;
        }
        write!(f, "; Path={}", self.path)?;
        f.write_str(match self.same_site {
            SameSite::Lax => "; SameSite=lax",
            SameSite::Strict => "; SameSite=strict",
            SameSite::None => "; SameSite=none",
        })?;
        if self.secure {
            f.write_str("; Secure")?;
        }
        Ok(())
    }
}

/// A cookie's value as Python's `http.cookies` writes it (Starlette's
/// `set_cookie`): bare when every character is legal in a token, else in
/// double quotes with `"` and `\` escaped and `;`, `,`, control and latin-1
/// characters as three octal digits (`é` is `\351`).
fn write_cookie_value(f: &mut std::fmt::Formatter<'_>, value: &str) -> std::fmt::Result {
    use std::fmt::Write as _;
    let legal = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~:".contains(c);
    if !value.is_empty() && value.chars().all(legal) {
        return f.write_str(value);
    }
    f.write_char('"')?;
    for c in value.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            c if legal(c) || " ()/<=>?@[]{}".contains(c) => f.write_char(c)?,
            // Past U+00FF Python leaves the character as it is, and the
            // header then cannot be written (the cookie is left out).
            c if u32::from(c) < 256 => write!(f, "\\{:03o}", u32::from(c))?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_renders_like_starlette() {
        let c = SetCookie::new("session", "abc123").max_age(60).http_only();
        assert_eq!(
            c.to_string(),
            "session=abc123; HttpOnly; Max-Age=60; Path=/; SameSite=lax"
        );
    }
}
