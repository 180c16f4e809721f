//! Handler parameters: how each one is read from the request, and how all their
//! errors are gathered into one 422.
//!
//! A route function's parameters are all types implementing [`Extract`]. The
//! route macro only contributes what Rust cannot see at run time — each
//! parameter's *name* and its attribute arguments, as a static [`ParamSpec`].
//! Everything else (where the value comes from, how it parses, what it adds to
//! the OpenAPI document) comes from the type's trait impls, so a route can be
//! assembled without the macro too.
//!
//! Every parameter is extracted even after one has failed; errors accumulate in
//! the [`RequestCtx`] and are answered together, in FastAPI's order.

mod body;
#[doc(hidden)]
pub mod carries;
mod client;
mod depends;
mod guard;
mod pairs_de;
pub(crate) mod params;
mod scalar;
mod source;
mod url;

use std::future::Future;

use axum::response::Response;
use http::request::Parts;

use crate::background::BackgroundTasks;
use crate::validation::{ErrorItem, Loc, PyValue};

pub use crate::spec::{BodyKind, Constraints, Location, ParamSpec, Pattern};
pub use body::{validate_json, BodyModel, FileBytes, Form, Json, Plain, Unplain, UploadFile};
pub use carries::{CarriesBounds, CarriesLength, CarriesPattern, Constrained};
pub use client::ClientAddr;
pub(crate) use client::{wanted as client_wanted, Peer, Server};
pub(crate) use depends::{resolve_boxed, ResolveFn};
pub use depends::{Deferred, Dependency, DependencyOutput, Depends, Yield};
pub use guard::Guard;
pub use params::{Cookie, FromParam, Header, Path, Query};
pub use scalar::ParamValue;
pub use source::Source;
pub use url::RequestUrl;
pub(crate) use url::{wanted as url_wanted, AppRootPath};

#[doc(hidden)]
pub mod params_private {
    pub use super::depends::{Dup, NoClone, ViaClone};
    pub use super::params::{describe_model, model_from_source, ModelInfo};
    pub use super::scalar::{parse_enum, prepare_enum};
}

/// The outcome of extracting one parameter.
#[derive(Debug)]
pub enum Outcome<T> {
    /// The value.
    Value(T),
    /// Absent, and the parameter has a default: the caller supplies it.
    Missing,
    /// Invalid: the errors are already recorded in the context.
    Invalid,
}

/// The matched path parameters, percent-decoded: the route's names (shared,
/// made once at start-up) and the request's values, back to back in one
/// string.
#[derive(Debug, Default)]
pub struct PathParams {
    names: std::sync::Arc<[Box<str>]>,
    text: String,
    /// Where each value ends in `text`, in the order of `names` (a path's
    /// length fits in 32 bits: hyper refuses longer heads).
    ends: smallvec::SmallVec<[u32; 4]>,
    /// A `{name:path}` matched with an empty remainder (`/files/`).
    empty_tail: Option<std::sync::Arc<str>>,
}

impl PathParams {
    /// The values matched for `names` (in the route's order), percent-decoded
    /// when `decode` (through axum's router they come decoded). `None` (a
    /// 404) when a decoded value is not UTF-8, as axum's router answers, and
    /// when a value of one segment holds an escaped `/` (`a%2Fb`): Starlette
    /// matches routes on the decoded path, where it is two segments. Only
    /// the last parameter, when `catch_all` (`{p:path}`), may hold one.
    pub(crate) fn new<'v>(
        names: &std::sync::Arc<[Box<str>]>,
        values: impl Iterator<Item = &'v str>,
        decode: bool,
        catch_all: bool,
        empty_tail: Option<&std::sync::Arc<str>>,
    ) -> Option<Self> {
        let mut text = String::new();
        let mut ends = smallvec::SmallVec::new();
        for (i, v) in values.enumerate() {
            let start = text.len();
            if decode && v.contains('%') {
                let decoded = percent_encoding::percent_decode_str(v).decode_utf8().ok()?;
                text.push_str(&decoded);
            } else {
                text.push_str(v);
            }
            // A raw segment holds no `/`: only a decoded value may.
            let decoded = !decode || v.contains('%');
            if decoded && text[start..].contains('/') && !(catch_all && i + 1 == names.len()) {
                return None;
            }
            ends.push(u32::try_from(text.len()).ok()?);
        }
        Some(PathParams {
            names: names.clone(),
            text,
            ends,
            empty_tail: empty_tail.cloned(),
        })
    }

    /// The value of one parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.iter().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// Every (name, value) pair.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        let ends = self.ends.iter().map(|&e| e as usize);
        let starts = std::iter::once(0).chain(ends.clone());
        self.names
            .iter()
            .zip(starts.zip(ends))
            .map(|(n, (a, b))| (&**n, &self.text[a..b]))
            .chain(self.empty_tail.as_deref().map(|n| (n, "")))
    }
}

/// Per-route facts the extractors need, computed once when the route is built.
#[derive(Debug, Clone, Copy)]
pub struct RouteInfo {
    /// The strongest body kind among the parameters.
    pub body: BodyKind,
    /// Several body parameters (or an embedded one): the JSON body is an object
    /// keyed by parameter name.
    pub embed: bool,
    /// Maximum body size in bytes.
    pub max_body: usize,
    /// FastAPI's `strict_content_type` (true by default): false reads a body
    /// sent without a `Content-Type` as JSON.
    pub strict_content_type: bool,
    /// Form parsing limits (Starlette's defaults unless declared; out of
    /// line, as `websocket`).
    pub form: &'static FormLimits,
    /// A websocket route's bounds (the app's, unless the route sets its own;
    /// out of line: every request's context carries this struct).
    pub websocket: &'static crate::websocket::config::WebSocketConfig,
}

/// No body, Starlette's form limits, strict content types, the default size limit.
impl Default for RouteInfo {
    fn default() -> Self {
        RouteInfo {
            body: BodyKind::None,
            embed: false,
            max_body: DEFAULT_MAX_BODY,
            strict_content_type: true,
            form: &FormLimits::DEFAULT,
            websocket: &crate::websocket::config::WebSocketConfig::DEFAULT,
        }
    }
}

/// Default maximum request body: 16 MiB (FastAPI has no default; see DEVIATIONS.md).
pub const DEFAULT_MAX_BODY: usize = 16 * 1024 * 1024;

/// Body limits declared on a route, a router or the app (FastAPI's
/// `max_body_size`, `strict_content_type` and `form_limits` at each level):
/// the innermost declaration wins, key by key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted body in bytes; a larger one answers 413.
    pub max_body_size: Option<usize>,
    /// Whether a body without a `Content-Type` is refused as JSON.
    pub strict_content_type: Option<bool>,
    /// Form parsing limits.
    pub form: FormLimits,
}

impl Limits {
    /// These limits, completed by an enclosing level's.
    pub fn or(self, outer: Limits) -> Limits {
        Limits {
            max_body_size: self.max_body_size.or(outer.max_body_size),
            strict_content_type: self.strict_content_type.or(outer.strict_content_type),
            form: self.form.or(outer.form),
        }
    }
}

/// FastAPI's `form_limits` (Starlette's `request.form(max_fields=...,
/// max_files=..., max_part_size=...)`): beyond them a form answers 400 with
/// Starlette's message. Unset values are Starlette's defaults: 1000 fields,
/// 1000 files, 1 MiB per non-file part.
///
/// ```
/// let limits = ferroapi::FormLimits::new().max_fields(20).max_part_size(64 * 1024);
/// # let _ = limits;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FormLimits {
    max_fields: Option<usize>,
    max_files: Option<usize>,
    max_part_size: Option<usize>,
}

impl FormLimits {
    /// [`FormLimits::new`] as a constant, which routes without declared
    /// limits point to.
    pub const DEFAULT: FormLimits = FormLimits::new();

    /// No limit declared (Starlette's defaults apply).
    pub const fn new() -> Self {
        FormLimits {
            max_fields: None,
            max_files: None,
            max_part_size: None,
        }
    }

    /// The limits as the routes keep them, once, when the app is built: the
    /// default is a constant, any other is allocated for good (one per route
    /// under declared limits, per built app).
    pub(crate) fn fixed(limits: FormLimits) -> &'static FormLimits {
        if limits == FormLimits::DEFAULT {
            &FormLimits::DEFAULT
        } else {
            Box::leak(Box::new(limits))
        }
    }

    /// The most non-file fields.
    pub const fn max_fields(mut self, n: usize) -> Self {
        self.max_fields = Some(n);
        self
    }

    /// The most files in a multipart form.
    pub const fn max_files(mut self, n: usize) -> Self {
        self.max_files = Some(n);
        self
    }

    /// The largest non-file field, in bytes.
    pub const fn max_part_size(mut self, bytes: usize) -> Self {
        self.max_part_size = Some(bytes);
        self
    }

    /// These limits, completed by an enclosing level's.
    pub fn or(self, outer: FormLimits) -> FormLimits {
        FormLimits {
            max_fields: self.max_fields.or(outer.max_fields),
            max_files: self.max_files.or(outer.max_files),
            max_part_size: self.max_part_size.or(outer.max_part_size),
        }
    }

    pub(crate) fn fields(&self) -> usize {
        self.max_fields.unwrap_or(1000)
    }

    pub(crate) fn files(&self) -> usize {
        self.max_files.unwrap_or(1000)
    }

    pub(crate) fn part_size(&self) -> usize {
        self.max_part_size.unwrap_or(1024 * 1024)
    }
}

/// What one request brings and gathers while its parameters are read: the
/// head, the route's facts, the path parameters, the body once read, the
/// errors so far. Built by the dispatch and moved into the route's future
/// once, where [`RequestCtx`] borrows it: the future holds it a single time
/// (a future keeps what it captured for its whole life, so a context built
/// inside it from the captured parts would be held twice).
#[derive(Debug)]
pub struct RequestData {
    parts: Parts,
    route: RouteInfo,
    path: PathParams,
    pub(crate) body: body::BodyData,
    errors: Vec<ErrorItem>,
    /// Boxed: rare, and the data lives in every route's future.
    fatal: Option<Box<Response>>,
    /// Dependency results of this request, by dependency type (FastAPI's
    /// per-request `use_cache`).
    /// (Keyed also by the scopes it was resolved under, sorted, as FastAPI.)
    cache: Vec<CacheEntry>,
    /// The OAuth2 scopes accumulated down the dependency being resolved.
    scopes: Vec<&'static str>,
    /// Background tasks and teardowns, run after the response.
    after: crate::after::After,
    /// Errors before this index belong to dependencies, already in order.
    sealed: usize,
    /// The JSON body was checked to decode, before the first dependency.
    body_decoded: bool,
}

impl RequestData {
    pub(crate) fn new(parts: Parts, route: RouteInfo, path: PathParams) -> Self {
        RequestData {
            parts,
            route,
            path,
            body: body::BodyData::None,
            errors: Vec::new(),
            fatal: None,
            cache: Vec::new(),
            scopes: Vec::new(),
            after: crate::after::After::default(),
            sealed: 0,
            body_decoded: false,
        }
    }

    /// Ends extraction: the body's bytes and the dependency cache are let go
    /// (every parameter owns its value now; a refused body must not be held
    /// while its 422 is written, nor a cached copy of a dependency while the
    /// handler runs), and the answer already decided is returned, if any:
    /// the fatal response a parameter set, or the errors in FastAPI's order.
    pub(crate) fn end_extraction(&mut self) -> Option<Finish> {
        self.body = body::BodyData::None;
        self.cache.clear();
        if let Some(res) = self.fatal.take() {
            return Some(Finish::Response(*res));
        }
        if self.errors.is_empty() {
            return None;
        }
        let mut errors = std::mem::take(&mut self.errors);
        let sealed = self.sealed.min(errors.len());
        errors[sealed..].sort_by_key(ErrorItem::source_rank);
        Some(Finish::Invalid(errors))
    }

    /// The request head.
    pub(crate) fn head(&self) -> &Parts {
        &self.parts
    }

    /// `res` ends the request: the teardowns of the dependencies that did
    /// run are attached to it, and the head's header map is recycled.
    pub(crate) fn end_with(&mut self, res: Response) -> Response {
        crate::recycle::give(std::mem::take(&mut self.parts.headers));
        std::mem::take(&mut self.after).attach(res)
    }

    /// The head and what runs after the response.
    pub(crate) fn into_head(self) -> (Parts, crate::after::After) {
        (self.parts, self.after)
    }
}

/// Everything a parameter may read during one request, and the errors so
/// far: the request's [`RequestData`], the app's state and its exception
/// handlers.
#[derive(Debug)]
pub struct RequestCtx<'a, S> {
    pub(crate) data: &'a mut RequestData,
    state: &'a S,
    handlers: &'a crate::handlers::Handlers,
}

impl<'a, S> RequestCtx<'a, S> {
    pub(crate) fn new(
        data: &'a mut RequestData,
        state: &'a S,
        handlers: &'a crate::handlers::Handlers,
    ) -> Self {
        RequestCtx {
            data,
            state,
            handlers,
        }
    }

    /// FastAPI decodes a JSON body before it solves any dependency: a body
    /// that is not JSON is answered (422 `json_invalid`, or 400 when it
    /// cannot be read as text) and no dependency runs. Called before the
    /// first dependency or guard; costs one syntax pass over the body, once,
    /// and only on routes with a JSON body and a dependency.
    pub fn decode_body_first(&mut self) {
        if !self.data.body_decoded {
            self.data.body_decoded = true;
            body::decode_first(self);
        }
    }

    /// Puts the errors recorded since `start` in FastAPI's order (path, query,
    /// header, cookie, body) and fixes them: later errors go after them. A
    /// dependency's errors come before the route's own, as FastAPI reports.
    pub fn seal_errors(&mut self, start: usize) {
        let start = start.max(self.data.sealed).min(self.data.errors.len());
        self.data.errors[start..].sort_by_key(ErrorItem::source_rank);
        self.data.sealed = self.data.errors.len();
    }

    pub(crate) fn set_background(&mut self, tasks: crate::BackgroundTasks) {
        self.data.after.background = Some(tasks);
    }

    /// Keeps a `yield` dependency's teardown for after the response and
    /// gives its value.
    pub fn enter<T>(&mut self, y: Yield<T>) -> T {
        let (value, teardown) = y.into_parts();
        self.data.after.teardowns.push(teardown);
        value
    }

    /// The app's exception handlers and dependency overrides.
    pub fn handlers(&self) -> &'a crate::handlers::Handlers {
        self.handlers
    }

    /// A response has been decided already (a dependency raised, or the body
    /// could not be decoded): nothing further needs extracting.
    pub fn is_fatal(&self) -> bool {
        self.data.fatal.is_some()
    }

    /// How many errors have been recorded so far.
    pub fn error_count(&self) -> usize {
        self.data.errors.len()
    }

    /// Whether any parameter so far failed.
    pub fn has_errors(&self) -> bool {
        !self.data.errors.is_empty() || self.data.fatal.is_some()
    }

    /// Renders `e` with the app's handler for its type and answers with it.
    pub fn raise<E: axum::response::IntoResponse + Send + 'static>(&mut self, e: E) {
        let res = self.handlers.render(&self.data.parts, e);
        self.set_fatal(res);
    }

    pub(crate) fn cached<T: Clone + 'static>(&self, key: std::any::TypeId) -> Option<T> {
        self.data
            .cache
            .iter()
            .find(|e| e.key == key && e.scopes.is_empty())
            .and_then(|e| e.value.downcast_ref::<T>())
            .cloned()
    }

    pub(crate) fn store<T: Send + Sync + 'static>(&mut self, key: std::any::TypeId, value: T) {
        self.data.cache.push(CacheEntry {
            key,
            scopes: Box::default(),
            value: Box::new(value),
        });
    }

    /// The sorted, deduplicated scopes in force (a dependency's cache key).
    fn scope_key(&self) -> Box<[&'static str]> {
        let mut s = self.data.scopes.clone();
        s.sort_unstable();
        s.dedup();
        s.into_boxed_slice()
    }

    /// A dependency's cached value under the scopes in force.
    pub(crate) fn cached_dependency<T: 'static>(&self, key: std::any::TypeId) -> Option<&T> {
        let entry = if self.data.scopes.is_empty() {
            // No scopes in force (the usual case): no key to build.
            self.data
                .cache
                .iter()
                .find(|e| e.key == key && e.scopes.is_empty())
        } else {
            let scopes = self.scope_key();
            self.data
                .cache
                .iter()
                .find(|e| e.key == key && e.scopes == scopes)
        };
        entry.and_then(|e| e.value.downcast_ref::<T>())
    }

    /// Caches a dependency's value under the scopes in force.
    pub(crate) fn store_dependency<T: Send + Sync + 'static>(
        &mut self,
        key: std::any::TypeId,
        value: T,
    ) {
        let scopes = self.scope_key();
        self.data.cache.push(CacheEntry {
            key,
            scopes,
            value: Box::new(value),
        });
    }

    /// Adds `scopes` to those in force; returns the mark to restore with
    /// [`leave_scopes`](Self::leave_scopes).
    pub(crate) fn enter_scopes(&mut self, scopes: &'static [&'static str]) -> usize {
        let mark = self.data.scopes.len();
        self.data.scopes.extend_from_slice(scopes);
        mark
    }

    pub(crate) fn leave_scopes(&mut self, mark: usize) {
        self.data.scopes.truncate(mark);
    }

    /// The OAuth2 scopes required of the dependency being resolved, outermost
    /// first.
    pub fn scopes(&self) -> &[&'static str] {
        &self.data.scopes
    }

    /// The request head.
    pub fn parts(&self) -> &Parts {
        &self.data.parts
    }

    pub(crate) fn parts_mut(&mut self) -> &mut Parts {
        &mut self.data.parts
    }

    /// The app state.
    pub fn state(&self) -> &S {
        self.state
    }

    /// The route's facts.
    pub fn route(&self) -> RouteInfo {
        self.data.route
    }

    /// Path parameters, percent-decoded.
    pub fn path_params(&self) -> &PathParams {
        &self.data.path
    }

    /// Records an error.
    pub fn push_error(&mut self, item: ErrorItem) {
        self.data.errors.push(item);
    }

    /// Records a `missing` error for a parameter.
    pub fn push_missing(&mut self, loc: Loc) {
        self.data
            .errors
            .push(ErrorItem::missing(loc, PyValue::Null));
    }

    /// Answers with this response instead of any validation errors (FastAPI
    /// answers a body that cannot be decoded before looking at parameters).
    pub fn set_fatal(&mut self, res: Response) {
        if self.data.fatal.is_none() {
            self.data.fatal = Some(Box::new(res));
        }
    }

    /// Errors gathered so far.
    pub fn errors(&self) -> &[ErrorItem] {
        &self.data.errors
    }
}

#[derive(Debug)]
struct CacheEntry {
    key: std::any::TypeId,
    scopes: Box<[&'static str]>,
    value: Box<dyn std::any::Any + Send + Sync>,
}

pub(crate) enum Finish {
    Response(Response),
    Invalid(Vec<ErrorItem>),
}

/// A type that can be a route-function parameter.
///
/// Implemented for [`Path`], [`Query`], [`Header`], [`Cookie`], [`Json`],
/// [`Form`], [`UploadFile`] (and `Option`/`Vec` of it), [`State`], the
/// request head types (`http::HeaderMap`, `http::Method`, `http::Uri`),
/// [`ClientAddr`], [`RequestUrl`] and `axum::Extension<T>` (what a
/// middleware put on the request).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a ferroapi route parameter",
    label = "this parameter's type is not extractable",
    note = "use Path<T>, Query<T>, Header<T>, Cookie<T>, Json<T>, Form<T>, UploadFile or State<T>; see https://docs.rs/ferroapi/latest/ferroapi/extract/"
)]
pub trait Extract<S>: Sized + Send {
    /// What body, if any, this parameter reads.
    const BODY: BodyKind = BodyKind::None;

    /// Dependencies are resolved before the other parameters, as FastAPI
    /// solves them first: one that raises answers before any 422.
    const DEPENDENCY: bool = false;

    /// Start-up hook: compile what the parameter needs (patterns, schemas).
    fn prepare(spec: &'static ParamSpec) {
        spec.constraints.warm();
    }

    /// What the parameter adds to the OpenAPI operation (called once, when
    /// the route is built).
    fn describe(_spec: &'static ParamSpec, _cx: &mut crate::openapi::parts::Describe) {}

    /// Reads the parameter, recording errors in `cx`.
    fn extract(
        cx: &mut RequestCtx<'_, S>,
        spec: &'static ParamSpec,
    ) -> impl Future<Output = Outcome<Self>> + Send;

    /// Whether [`Extract::settle`] has work: a [`Deferred`] dependency.
    const SETTLES: bool = false;

    /// Runs once every parameter has been read, when one of them was
    /// invalid and no answer is decided yet.
    fn settle(
        _cx: &mut RequestCtx<'_, S>,
        _spec: &'static ParamSpec,
    ) -> impl Future<Output = ()> + Send {
        async {}
    }
}

/// Builds a parameter from its declared default (`#[param(default = ...)]`).
pub trait WithDefault {
    /// The wrapped type.
    type Inner;
    /// Wraps the default value.
    fn with_default(inner: Self::Inner) -> Self;
}

/// Application state, like axum's `State` (any `T: FromRef<S>`).
#[derive(Debug, Clone, Copy, Default)]
pub struct State<T>(pub T);

impl<S, T> Extract<S> for State<T>
where
    S: Sync,
    T: axum::extract::FromRef<S> + Send,
{
    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        Outcome::Value(State(T::from_ref(cx.state)))
    }
}

impl<S: Sync> Extract<S> for http::HeaderMap {
    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        Outcome::Value(cx.data.parts.headers.clone())
    }
}

impl<S: Sync> Extract<S> for http::Method {
    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        Outcome::Value(cx.data.parts.method.clone())
    }
}

impl<S: Sync> Extract<S> for http::Uri {
    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        Outcome::Value(cx.data.parts.uri.clone())
    }
}

/// What a middleware put on the request (FastAPI's `request.state.x`, set
/// by an `@app.middleware("http")`): a layer inserts it with
/// `req.extensions_mut().insert(value)`, a route takes `Extension<T>`.
/// Missing, it is the app's bug, as an unset attribute of `request.state`
/// is in FastAPI: 500, logged.
/// The request's background tasks, run after its answer is sent.
impl<S: Sync> Extract<S> for BackgroundTasks {
    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        // One list per request, shared by every parameter that asks for it.
        let key = std::any::TypeId::of::<BackgroundTasks>();
        if let Some(t) = cx.cached::<BackgroundTasks>(key) {
            return Outcome::Value(t);
        }
        let t = BackgroundTasks::default();
        cx.store(key, t.clone());
        cx.set_background(t.clone());
        Outcome::Value(t)
    }
}

/// The value `App::lifespan_state` made at start-up.
impl<S: Sync, T: Clone + Send + Sync + 'static> Extract<S> for crate::LifespanState<T> {
    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        match cx.handlers().lifespan.value::<T>() {
            Some(v) => Outcome::Value(crate::LifespanState(v.clone())),
            None => {
                tracing::error!(
                    "no lifespan state of type {}: register it with App::lifespan_state",
                    std::any::type_name::<T>()
                );
                cx.set_fatal(crate::error::internal_server_error());
                Outcome::Invalid
            }
        }
    }
}

impl<S: Sync, T: Clone + Send + Sync + 'static> Extract<S> for axum::Extension<T> {
    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        match cx.data.parts.extensions.get::<T>() {
            Some(v) => Outcome::Value(axum::Extension(v.clone())),
            None => {
                tracing::error!(
                    extension = std::any::type_name::<T>(),
                    "a route takes Extension<T>, and no middleware put one on this request"
                );
                cx.raise(crate::internal_server_error());
                Outcome::Invalid
            }
        }
    }
}

#[cfg(test)]
mod data_tests {
    /// The request's data stays in the route's future until the answer is
    /// made, but its body does not: a refused 15 MB body must not be held
    /// while its 422 (which may echo it) is written, and an accepted one
    /// is the parameters' now (the hostile suite's peak-memory check found
    /// the body held to the end).
    #[test]
    fn ending_extraction_lets_the_body_go() {
        let (parts, _) = http::Request::new(()).into_parts();
        let mut data = super::RequestData::new(parts, Default::default(), Default::default());
        let bytes = bytes::Bytes::from(vec![b'0'; 1024]);
        data.body = super::body::BodyData::Json {
            bytes: bytes.clone(),
            json_ct: true,
            embedded: None,
        };
        assert!(!bytes.is_unique());
        assert!(data.end_extraction().is_none());
        assert!(bytes.is_unique(), "the body is still held");
    }
}
