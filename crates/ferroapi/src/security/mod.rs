//! Security helpers, as FastAPI ≥ 0.122 answers them: OAuth2 password bearer
//! (and the password request form), the OAuth2 authorization-code bearer,
//! OpenID Connect, HTTP Bearer and Basic, API keys in a header, the query or a
//! cookie. Each is a parameter type resolved with the
//! dependencies (before the other parameters: a missing credential answers
//! 401 before any 422), answers FastAPI's exact 401 body and
//! `WWW-Authenticate` header through the app's handlers, and adds its
//! `securitySchemes` entry and the operation's `security` to the document.
//! `Option<...>` of any of them is FastAPI's `auto_error=False`: `None`
//! instead of 401.
//!
//! Names come from the parameter, as everything else: an API key is read
//! under the parameter's name or alias (`#[param(alias = "X-API-Key")]`,
//! documented as written). The other options of FastAPI's security classes
//! are parameter options too: `#[param(scheme_name = "JWT", description =
//! "...", bearer_format = "JWT")]`, `#[param(realm = "simple")]` on
//! [`HTTPBasic`] (the challenge becomes `Basic realm="simple"`). The OAuth2
//! and OpenID Connect schemes take theirs from their config trait.
//!
//! Scopes as FastAPI's `Security(dep, scopes=[...])`: put
//! `#[param(scopes = ["items"])]` on a `Depends<dep>` parameter. Scopes add up
//! down the dependency tree (outermost first); a dependency reads those in
//! force with a [`SecurityScopes`] parameter, and the OAuth2 schemes list them
//! in the operation's `security`.

use std::borrow::Cow;
use std::marker::PhantomData;

use base64::Engine as _;
use serde_json::json;

use crate::extract::params::{CookieSource, HeaderSource, QuerySource};
use crate::extract::{
    BodyKind, Constraints, Extract, Form, Outcome, ParamSpec, Pattern, RequestCtx, Source,
};
use crate::latin1::header_text;
use crate::openapi::parts::Describe;
use crate::HTTPException;

fn not_authenticated(challenge: &str) -> HTTPException {
    HTTPException::new(401, "Not authenticated").header("www-authenticate", challenge)
}

/// `Authorization: <scheme> <param>`, split at the first space and the
/// parameter stripped, as FastAPI does (`Bearer  a b ` gives `a b`).
/// The value is read as Starlette reads headers (latin-1), borrowed when
/// ASCII.
fn authorization<'r, S>(cx: &'r RequestCtx<'_, S>) -> Option<(Cow<'r, str>, Cow<'r, str>)> {
    let raw = cx.parts().headers.get(http::header::AUTHORIZATION)?;
    match header_text(raw) {
        Cow::Borrowed("") => None,
        Cow::Borrowed(text) => {
            let (scheme, param) = text.split_once(' ').unwrap_or((text, ""));
            Some((Cow::Borrowed(scheme), Cow::Borrowed(param.trim())))
        }
        Cow::Owned(text) => {
            let (scheme, param) = text.split_once(' ').unwrap_or((&text, ""));
            Some((
                Cow::Owned(scheme.to_owned()),
                Cow::Owned(param.trim().to_owned()),
            ))
        }
    }
}

/// A scheme that resolves from the request or says why it cannot.
trait Scheme<S>: Sized {
    /// `Ok(None)`: no usable credentials (401, or `None` when optional);
    /// `Err`: credentials refused even when optional (bad HTTP Basic).
    fn read(
        cx: &RequestCtx<'_, S>,
        spec: &'static ParamSpec,
    ) -> Result<Option<Self>, HTTPException>;
    /// The 401 of a missing credential.
    fn missing(spec: &'static ParamSpec) -> HTTPException;
    fn document(spec: &'static ParamSpec, cx: &mut Describe);
}

/// A `securitySchemes` entry: the parameter's `scheme_name` (else the class
/// name) and its `description`.
fn document_scheme(
    cx: &mut Describe,
    spec: &'static ParamSpec,
    class: &str,
    description: Option<&str>,
    mut scheme: serde_json::Value,
) {
    if let (Some(d), Some(o)) = (description.or(spec.description), scheme.as_object_mut()) {
        o.insert("description".into(), json!(d));
    }
    // `Security(scheme, scopes=[...])` on the scheme itself adds to those in force.
    let mut required = cx.scopes();
    required.extend(spec.scopes.iter().map(|s| s.to_string()));
    cx.security(spec.scheme_name.unwrap_or(class), scheme, required);
}

macro_rules! scheme_extract {
    ($t:ty $(, $g:ident : $b:path)?) => {
        impl<S: Sync $(, $g: $b)?> Extract<S> for $t {
            const DEPENDENCY: bool = true;

            fn describe(spec: &'static ParamSpec, cx: &mut Describe) {
                <Self as Scheme<S>>::document(spec, cx);
            }

            async fn extract(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Self> {
                match <Self as Scheme<S>>::read(cx, spec) {
                    Ok(Some(v)) => Outcome::Value(v),
                    Ok(None) => {
                        cx.raise(<Self as Scheme<S>>::missing(spec));
                        Outcome::Invalid
                    }
                    Err(e) => {
                        cx.raise(e);
                        Outcome::Invalid
                    }
                }
            }
        }

        /// `auto_error=False`: `None` instead of 401.
        impl<S: Sync $(, $g: $b)?> Extract<S> for Option<$t> {
            const DEPENDENCY: bool = true;

            fn describe(spec: &'static ParamSpec, cx: &mut Describe) {
                <$t as Scheme<S>>::document(spec, cx);
            }

            async fn extract(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Self> {
                match <$t as Scheme<S>>::read(cx, spec) {
                    Ok(v) => Outcome::Value(v),
                    Err(e) => {
                        cx.raise(e);
                        Outcome::Invalid
                    }
                }
            }
        }
    };
}

/// Settings of an OAuth2 password flow (FastAPI's `OAuth2PasswordBearer(tokenUrl=...)`).
pub trait OAuth2Config: Send + Sync + 'static {
    /// Where clients get a token (`tokenUrl`), relative as FastAPI writes it.
    const TOKEN_URL: &'static str;
    /// Scopes: (name, description).
    const SCOPES: &'static [(&'static str, &'static str)] = &[];
    /// The `securitySchemes` key.
    const SCHEME_NAME: &'static str = "OAuth2PasswordBearer";
    /// Where tokens are refreshed (`refreshUrl`), if anywhere.
    const REFRESH_URL: Option<&'static str> = None;
    /// The scheme's description.
    const DESCRIPTION: Option<&'static str> = None;
}

/// The bearer token of an OAuth2 password flow: `Authorization: Bearer <token>`
/// (the scheme compared case-insensitively; an empty token is accepted, as
/// FastAPI does). Missing or another scheme: 401 `WWW-Authenticate: Bearer`.
#[derive(Debug, Clone)]
pub struct OAuth2PasswordBearer<C: OAuth2Config>(pub String, PhantomData<C>);

impl<C: OAuth2Config> OAuth2PasswordBearer<C> {
    /// The token.
    pub fn token(&self) -> &str {
        &self.0
    }
}

impl<S, C: OAuth2Config> Scheme<S> for OAuth2PasswordBearer<C> {
    fn read(cx: &RequestCtx<'_, S>, _: &'static ParamSpec) -> Result<Option<Self>, HTTPException> {
        Ok(bearer_token(cx).map(|t| OAuth2PasswordBearer(t, PhantomData)))
    }

    fn missing(_: &'static ParamSpec) -> HTTPException {
        not_authenticated("Bearer")
    }

    fn document(spec: &'static ParamSpec, cx: &mut Describe) {
        let flow = oauth2_flow(C::REFRESH_URL, C::SCOPES, &[("tokenUrl", C::TOKEN_URL)]);
        let scheme = json!({"type": "oauth2", "flows": {"password": flow}});
        document_scheme(cx, spec, C::SCHEME_NAME, C::DESCRIPTION, scheme);
    }
}
scheme_extract!(OAuth2PasswordBearer<C>, C: OAuth2Config);

/// An OAuth2 flow object as FastAPI writes it: `refreshUrl` if any, the
/// scopes, then the flow's URLs.
fn oauth2_flow(
    refresh: Option<&str>,
    scopes: &[(&str, &str)],
    urls: &[(&str, &str)],
) -> serde_json::Value {
    let mut flow = serde_json::Map::new();
    if let Some(url) = refresh {
        flow.insert("refreshUrl".into(), json!(url));
    }
    flow.insert("scopes".into(), scope_map(scopes));
    for (key, url) in urls {
        flow.insert((*key).into(), json!(url));
    }
    flow.into()
}

fn scope_map(scopes: &[(&str, &str)]) -> serde_json::Value {
    scopes
        .iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// A bearer token (`Authorization: Bearer <token>`, scheme compared
/// case-insensitively, empty token accepted).
fn bearer_token<S>(cx: &RequestCtx<'_, S>) -> Option<String> {
    match authorization(cx) {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => Some(token.into_owned()),
        _ => None,
    }
}

/// The OAuth2 scopes required where it is asked for: those of every
/// `#[param(scopes = [...])]` on the way from the route down to the
/// dependency that takes it, outermost first (FastAPI's `SecurityScopes`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityScopes {
    /// The scopes.
    pub scopes: Vec<String>,
}

impl SecurityScopes {
    /// The scopes joined by spaces (for `WWW-Authenticate: Bearer scope="..."`).
    pub fn scope_str(&self) -> String {
        self.scopes.join(" ")
    }
}

impl<S: Sync> Extract<S> for SecurityScopes {
    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        Outcome::Value(SecurityScopes {
            scopes: cx.scopes().iter().map(|s| s.to_string()).collect(),
        })
    }
}

/// Settings of an OAuth2 authorization-code flow (FastAPI's
/// `OAuth2AuthorizationCodeBearer(authorizationUrl=..., tokenUrl=...)`).
pub trait OAuth2CodeConfig: Send + Sync + 'static {
    /// Where users authorize (`authorizationUrl`).
    const AUTHORIZATION_URL: &'static str;
    /// Where the code is exchanged for a token (`tokenUrl`).
    const TOKEN_URL: &'static str;
    /// Where tokens are refreshed (`refreshUrl`), if anywhere.
    const REFRESH_URL: Option<&'static str> = None;
    /// Scopes: (name, description).
    const SCOPES: &'static [(&'static str, &'static str)] = &[];
    /// The `securitySchemes` key.
    const SCHEME_NAME: &'static str = "OAuth2AuthorizationCodeBearer";
    /// The scheme's description.
    const DESCRIPTION: Option<&'static str> = None;
}

/// The bearer token of an OAuth2 authorization-code flow; read and refused
/// exactly as [`OAuth2PasswordBearer`].
#[derive(Debug, Clone)]
pub struct OAuth2AuthorizationCodeBearer<C: OAuth2CodeConfig>(pub String, PhantomData<C>);

impl<C: OAuth2CodeConfig> OAuth2AuthorizationCodeBearer<C> {
    /// The token.
    pub fn token(&self) -> &str {
        &self.0
    }
}

impl<S, C: OAuth2CodeConfig> Scheme<S> for OAuth2AuthorizationCodeBearer<C> {
    fn read(cx: &RequestCtx<'_, S>, _: &'static ParamSpec) -> Result<Option<Self>, HTTPException> {
        Ok(bearer_token(cx).map(|t| OAuth2AuthorizationCodeBearer(t, PhantomData)))
    }

    fn missing(_: &'static ParamSpec) -> HTTPException {
        not_authenticated("Bearer")
    }

    fn document(spec: &'static ParamSpec, cx: &mut Describe) {
        let urls = [
            ("authorizationUrl", C::AUTHORIZATION_URL),
            ("tokenUrl", C::TOKEN_URL),
        ];
        let flow = oauth2_flow(C::REFRESH_URL, C::SCOPES, &urls);
        let scheme = json!({"type": "oauth2", "flows": {"authorizationCode": flow}});
        document_scheme(cx, spec, C::SCHEME_NAME, C::DESCRIPTION, scheme);
    }
}
scheme_extract!(OAuth2AuthorizationCodeBearer<C>, C: OAuth2CodeConfig);

/// Settings of OpenID Connect (FastAPI's `OpenIdConnect(openIdConnectUrl=...)`).
pub trait OpenIdConnectConfig: Send + Sync + 'static {
    /// The discovery document's URL (`openIdConnectUrl`).
    const URL: &'static str;
    /// The `securitySchemes` key.
    const SCHEME_NAME: &'static str = "OpenIdConnect";
    /// The scheme's description.
    const DESCRIPTION: Option<&'static str> = None;
}

/// The whole `Authorization` header, unparsed, as FastAPI's `OpenIdConnect`
/// gives it; missing or empty: 401 `WWW-Authenticate: Bearer`.
#[derive(Debug, Clone)]
pub struct OpenIdConnect<C: OpenIdConnectConfig>(pub String, PhantomData<C>);

impl<C: OpenIdConnectConfig> OpenIdConnect<C> {
    /// The header's value.
    pub fn authorization(&self) -> &str {
        &self.0
    }
}

impl<S, C: OpenIdConnectConfig> Scheme<S> for OpenIdConnect<C> {
    fn read(cx: &RequestCtx<'_, S>, _: &'static ParamSpec) -> Result<Option<Self>, HTTPException> {
        Ok(match cx.parts().headers.get(http::header::AUTHORIZATION) {
            Some(v) if !v.is_empty() => {
                Some(OpenIdConnect(header_text(v).into_owned(), PhantomData))
            }
            _ => None,
        })
    }

    fn missing(_: &'static ParamSpec) -> HTTPException {
        not_authenticated("Bearer")
    }

    fn document(spec: &'static ParamSpec, cx: &mut Describe) {
        let scheme = json!({"type": "openIdConnect", "openIdConnectUrl": C::URL});
        document_scheme(cx, spec, C::SCHEME_NAME, C::DESCRIPTION, scheme);
    }
}
scheme_extract!(OpenIdConnect<C>, C: OpenIdConnectConfig);

/// The scheme and credentials of an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HTTPAuthorizationCredentials {
    /// The scheme as sent (`Bearer`).
    pub scheme: String,
    /// The credentials.
    pub credentials: String,
}

/// `Authorization: Bearer <credentials>` (FastAPI's `HTTPBearer`); missing,
/// empty or another scheme: 401 `WWW-Authenticate: Bearer`.
#[derive(Debug, Clone)]
pub struct HTTPBearer(pub HTTPAuthorizationCredentials);

impl<S> Scheme<S> for HTTPBearer {
    fn read(cx: &RequestCtx<'_, S>, _: &'static ParamSpec) -> Result<Option<Self>, HTTPException> {
        Ok(match authorization(cx) {
            Some((scheme, credentials))
                if !scheme.is_empty()
                    && !credentials.is_empty()
                    && scheme.eq_ignore_ascii_case("bearer") =>
            {
                Some(HTTPBearer(HTTPAuthorizationCredentials {
                    scheme: scheme.into_owned(),
                    credentials: credentials.into_owned(),
                }))
            }
            _ => None,
        })
    }

    fn missing(_: &'static ParamSpec) -> HTTPException {
        not_authenticated("Bearer")
    }

    fn document(spec: &'static ParamSpec, cx: &mut Describe) {
        let mut scheme = json!({"type": "http", "scheme": "bearer"});
        if let Some(f) = spec.bearer_format {
            scheme["bearerFormat"] = json!(f);
        }
        document_scheme(cx, spec, "HTTPBearer", None, scheme);
    }
}
scheme_extract!(HTTPBearer);

/// A username and password from HTTP Basic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HTTPBasicCredentials {
    /// The username.
    pub username: String,
    /// The password.
    pub password: String,
}

/// `Authorization: Basic base64(user:password)` (FastAPI's `HTTPBasic`);
/// missing, another scheme, bad base64 or no colon: 401 `WWW-Authenticate:
/// Basic` (`Basic realm="..."` with `#[param(realm = "...")]`). As FastAPI,
/// `Option<HTTPBasic>` is `None` only when no Basic credentials were sent:
/// malformed ones are refused.
#[derive(Debug, Clone)]
pub struct HTTPBasic(pub HTTPBasicCredentials);

impl<S> Scheme<S> for HTTPBasic {
    fn read(
        cx: &RequestCtx<'_, S>,
        spec: &'static ParamSpec,
    ) -> Result<Option<Self>, HTTPException> {
        let fail = || <Self as Scheme<S>>::missing(spec);
        let Some((scheme, param)) = authorization(cx) else {
            return Ok(None);
        };
        if !scheme.eq_ignore_ascii_case("basic") {
            return Ok(None);
        }
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(param.as_bytes())
            .map_err(|_| fail())?;
        let text = String::from_utf8(bytes).map_err(|_| fail())?;
        if !text.is_ascii() {
            return Err(fail());
        }
        let (username, password) = text.split_once(':').ok_or_else(fail)?;
        Ok(Some(HTTPBasic(HTTPBasicCredentials {
            username: username.to_string(),
            password: password.to_string(),
        })))
    }

    fn missing(spec: &'static ParamSpec) -> HTTPException {
        match spec.realm {
            Some(realm) => not_authenticated(&format!("Basic realm=\"{realm}\"")),
            None => not_authenticated("Basic"),
        }
    }

    fn document(spec: &'static ParamSpec, cx: &mut Describe) {
        let scheme = json!({"type": "http", "scheme": "basic"});
        document_scheme(cx, spec, "HTTPBasic", None, scheme);
    }
}
scheme_extract!(HTTPBasic);

macro_rules! api_key {
    ($(#[$doc:meta])* $name:ident, |$cx:ident| $source:expr, $in:literal, $wire:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub String);

        impl<S> Scheme<S> for $name {
            fn read($cx: &RequestCtx<'_, S>, spec: &'static ParamSpec) -> Result<Option<Self>, HTTPException> {
                let src = $source;
                Ok(match src.last(spec.$wire) {
                    Some(v) if !v.is_empty() => Some($name(v.into_owned())),
                    _ => None,
                })
            }

            fn missing(_: &'static ParamSpec) -> HTTPException {
                not_authenticated("APIKey")
            }

            fn document(spec: &'static ParamSpec, cx: &mut Describe) {
                let scheme = json!({"type": "apiKey", "in": $in, "name": spec.$wire});
                document_scheme(cx, spec, stringify!($name), None, scheme);
            }
        }
        scheme_extract!($name);
    };
}

api_key!(
    /// An API key in a header, named by the parameter (or its alias); missing
    /// or empty: 401 `WWW-Authenticate: APIKey`.
    APIKeyHeader, |cx| HeaderSource(&cx.parts().headers), "header", header_name
);
api_key!(
    /// An API key in the query string.
    APIKeyQuery, |cx| QuerySource(cx.parts().uri.query().unwrap_or("")), "query", name
);
api_key!(
    /// An API key in a cookie.
    APIKeyCookie, |cx| CookieSource(&cx.parts().headers), "cookie", name
);

/// The OAuth2 password request form (FastAPI's `OAuth2PasswordRequestForm`):
/// `grant_type` (must be `password` when given), `username`, `password`,
/// `scope` (space-separated, as `scopes`), `client_id`, `client_secret`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuth2PasswordRequestForm {
    /// `grant_type`.
    pub grant_type: Option<String>,
    /// `username`.
    pub username: String,
    /// `password`.
    pub password: String,
    /// `scope`, split on whitespace.
    pub scopes: Vec<String>,
    /// `client_id`.
    pub client_id: Option<String>,
    /// `client_secret`.
    pub client_secret: Option<String>,
}

const fn field(name: &'static str, has_default: bool) -> ParamSpec {
    ParamSpec {
        name,
        header_name: name,
        has_default,
        ..ParamSpec::DEFAULT
    }
}

static GRANT_TYPE: ParamSpec = ParamSpec {
    name: "grant_type",
    header_name: "grant-type",
    constraints: Constraints {
        pattern: Some(Pattern::new("^password$")),
        ..Constraints::NONE
    },
    ..ParamSpec::DEFAULT
};
static USERNAME: ParamSpec = field("username", false);
static PASSWORD: ParamSpec = field("password", false);
static SCOPE: ParamSpec = field("scope", true);
static CLIENT_ID: ParamSpec = field("client_id", false);
static CLIENT_SECRET: ParamSpec = field("client_secret", false);

impl<S: Sync> Extract<S> for OAuth2PasswordRequestForm {
    const BODY: BodyKind = BodyKind::Form;

    fn prepare(_spec: &'static ParamSpec) {
        <Form<Option<String>> as Extract<S>>::prepare(&GRANT_TYPE);
    }

    fn describe(_spec: &'static ParamSpec, cx: &mut Describe) {
        <Form<Option<String>> as Extract<S>>::describe(&GRANT_TYPE, cx);
        <Form<String> as Extract<S>>::describe(&USERNAME, cx);
        <Form<String> as Extract<S>>::describe(&PASSWORD, cx);
        <Form<String> as Extract<S>>::describe(&SCOPE, cx);
        cx.set_default(&SCOPE, Some(json!("")));
        <Form<Option<String>> as Extract<S>>::describe(&CLIENT_ID, cx);
        <Form<Option<String>> as Extract<S>>::describe(&CLIENT_SECRET, cx);
        cx.mark_password(&PASSWORD);
        cx.mark_password(&CLIENT_SECRET);
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        let grant_type = <Form<Option<String>> as Extract<S>>::extract(cx, &GRANT_TYPE).await;
        let username = <Form<String> as Extract<S>>::extract(cx, &USERNAME).await;
        let password = <Form<String> as Extract<S>>::extract(cx, &PASSWORD).await;
        let scope = <Form<String> as Extract<S>>::extract(cx, &SCOPE).await;
        let client_id = <Form<Option<String>> as Extract<S>>::extract(cx, &CLIENT_ID).await;
        let client_secret = <Form<Option<String>> as Extract<S>>::extract(cx, &CLIENT_SECRET).await;
        match (grant_type, username, password, client_id, client_secret) {
            (
                Outcome::Value(Form(grant_type)),
                Outcome::Value(Form(username)),
                Outcome::Value(Form(password)),
                Outcome::Value(Form(client_id)),
                Outcome::Value(Form(client_secret)),
            ) => {
                let scope = match scope {
                    Outcome::Value(Form(s)) => s,
                    _ => String::new(),
                };
                Outcome::Value(OAuth2PasswordRequestForm {
                    grant_type,
                    username,
                    password,
                    scopes: scope.split_whitespace().map(str::to_string).collect(),
                    client_id,
                    client_secret,
                })
            }
            _ => Outcome::Invalid,
        }
    }
}
