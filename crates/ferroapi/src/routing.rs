//! Routes and routers (FastAPI's `APIRouter`), and the per-path method
//! dispatch that answers 405 the way Starlette does.
//!
//! Path matching itself is axum's (matchit). ferroapi adds, per path, a small
//! method table built at start-up: a method that is not declared answers 405
//! with the `allow` header of the first route registered for that path, and
//! HEAD is not implied by GET (FastAPI's API routes do not answer HEAD).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, RawPathParams, Request};
use axum::response::Response;
use std::convert::Infallible;

use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use http::{HeaderValue, Method, StatusCode};

use crate::extract::RouteInfo;
use crate::handlers::Handlers;
use crate::HTTPException;

/// One call of a route's handler: the request, split, plus what the app provides.
#[derive(Debug)]
pub struct Call<S> {
    /// The request head, the route's facts and the path parameters, where
    /// the parameters' errors will gather: the route's future holds it once.
    pub data: crate::extract::RequestData,
    /// The unread body.
    pub body: Body,
    /// The app state and exception handlers, shared by every request (one
    /// reference count per request, whatever the state holds).
    pub shared: Arc<Shared<S>>,
    /// Dependencies run for their effect before the route's parameters.
    pub guards: Arc<[crate::extract::Guard<S>]>,
}

/// What every request of an app reads: its state and its exception handlers,
/// built once when the app is.
#[derive(Debug)]
pub struct Shared<S> {
    /// The app state.
    pub state: S,
    /// The app's exception handlers.
    pub handlers: Arc<Handlers>,
}

/// A type-erased route handler.
pub type BoxHandler<S> = Arc<dyn Fn(Call<S>) -> BoxFuture<'static, Response> + Send + Sync>;

/// What is known about a route besides its handler: names the macro saw, and
/// the route's declared options (the OpenAPI generator reads these).
#[derive(Debug, Clone)]
pub struct RouteMeta {
    /// The function name (`read_item`).
    pub name: &'static str,
    /// The doc comment's first paragraph, if any.
    pub summary: Option<&'static str>,
    /// The whole doc comment.
    pub description: Option<&'static str>,
    /// Tags.
    pub tags: Vec<String>,
    /// The success status (`status_code=`), 200 by default.
    pub status: StatusCode,
    /// Deprecated.
    pub deprecated: bool,
    /// Listed in the document.
    pub include_in_schema: bool,
    /// An explicit operationId.
    pub operation_id: Option<&'static str>,
    /// What the route's types contribute to the OpenAPI operation.
    pub doc: crate::openapi::parts::OperationDoc,
    /// Extra documented responses, FastAPI's `responses=` (a router's
    /// first, a route's own winning for the same status).
    pub responses: Vec<crate::openapi::additional::AdditionalResponse>,
    /// The success response's description (FastAPI's `response_description`).
    pub response_description: Option<&'static str>,
    /// Merged into the operation as written (FastAPI's `openapi_extra`).
    pub openapi_extra: Option<serde_json::Value>,
    /// The operationId rule of the route or its nearest router (FastAPI's
    /// `generate_unique_id_function`); the app's applies when none.
    pub unique_id: Option<UniqueId>,
    /// A webhook (FastAPI's `app.webhooks`): documented under `webhooks`
    /// with its path as the name, never served.
    pub webhook: bool,
    /// The requests this route makes back to its caller (FastAPI's
    /// `callbacks=`), documented inside its operation.
    pub callbacks: Vec<Callback>,
}

/// A route documented as an OpenAPI callback of another (FastAPI's
/// `callbacks=router.routes`): its path is usually a runtime expression,
/// `{$callback_url}/invoices/{$request.body.id}`. Never served.
#[derive(Debug, Clone)]
pub struct Callback {
    /// The path (expression) the request goes to.
    pub path: String,
    /// Its methods.
    pub methods: Vec<Method>,
    /// Its documentation.
    pub meta: RouteMeta,
}

impl Callback {
    /// A callback from a route function (`#[post("{$callback_url}/x")]`).
    pub fn of(route: impl Route<()>) -> Self {
        let r = route.into_route();
        Callback {
            path: r.path,
            methods: r.methods,
            meta: r.meta,
        }
    }
}

/// A user rule for operationIds (FastAPI's `generate_unique_id_function`):
/// gets the route's metadata, its path and its (first) method.
pub type OperationIdFn = dyn Fn(&RouteMeta, &str, &http::Method) -> String + Send + Sync;

/// An operationId rule attached to a route or a router.
#[derive(Clone)]
pub struct UniqueId(pub std::sync::Arc<OperationIdFn>);

impl UniqueId {
    /// Wraps a rule.
    pub fn new(
        f: impl Fn(&RouteMeta, &str, &http::Method) -> String + Send + Sync + 'static,
    ) -> Self {
        UniqueId(std::sync::Arc::new(f))
    }
}

impl std::fmt::Debug for UniqueId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UniqueId(..)")
    }
}

impl RouteMeta {
    /// Metadata with only a name.
    pub fn new(name: &'static str) -> Self {
        RouteMeta {
            name,
            summary: None,
            description: None,
            tags: Vec::new(),
            status: StatusCode::OK,
            deprecated: false,
            include_in_schema: true,
            operation_id: None,
            doc: crate::openapi::parts::OperationDoc::default(),
            responses: Vec::new(),
            response_description: None,
            openapi_extra: None,
            unique_id: None,
            webhook: false,
            callbacks: Vec::new(),
        }
    }
}

/// A complete route: methods, path, metadata and handler.
pub struct RouteDef<S> {
    pub(crate) methods: Vec<Method>,
    pub(crate) path: String,
    pub(crate) info: RouteInfo,
    pub(crate) meta: RouteMeta,
    pub(crate) handler: BoxHandler<S>,
    pub(crate) guards: Vec<crate::extract::Guard<S>>,
    pub(crate) limits: crate::extract::Limits,
    pub(crate) websocket: Option<crate::websocket::WebSocketConfig>,
    /// A websocket route: it answers handshakes only (Starlette's
    /// `WebSocketRoute`, which matches no HTTP request).
    pub(crate) upgrade: bool,
}

impl<S> Clone for RouteDef<S> {
    fn clone(&self) -> Self {
        RouteDef {
            methods: self.methods.clone(),
            path: self.path.clone(),
            info: self.info,
            meta: self.meta.clone(),
            handler: self.handler.clone(),
            guards: self.guards.clone(),
            limits: self.limits,
            websocket: self.websocket,
            upgrade: self.upgrade,
        }
    }
}

impl<S> std::fmt::Debug for RouteDef<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RouteDef")
            .field("methods", &self.methods)
            .field("path", &self.path)
            .field("meta", &self.meta)
            .finish_non_exhaustive()
    }
}

impl<S> RouteDef<S> {
    /// A route from its parts (what the route macro generates).
    pub fn new(
        methods: Vec<Method>,
        path: impl Into<String>,
        info: RouteInfo,
        meta: RouteMeta,
        handler: BoxHandler<S>,
    ) -> Self {
        RouteDef {
            methods,
            path: path.into(),
            info,
            meta,
            handler,
            guards: Vec::new(),
            limits: crate::extract::Limits::default(),
            websocket: None,
            upgrade: false,
        }
    }

    /// Marks a websocket route (what `#[websocket]` generates): handshakes
    /// reach it, HTTP requests do not.
    #[doc(hidden)]
    pub fn websocket_route(mut self) -> Self {
        self.upgrade = true;
        self
    }

    /// A websocket route's own bounds, instead of the app's
    /// (`#[websocket("/path", config = CONFIG)]`).
    pub fn with_websocket_config(mut self, config: crate::websocket::WebSocketConfig) -> Self {
        self.websocket = Some(config);
        self
    }

    /// This route's own body limits (FastAPI's route `max_body_size`,
    /// `strict_content_type`, `form_limits`), before any router's or the app's.
    pub fn with_limits(mut self, limits: crate::extract::Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The path template (`/items/{item_id}`).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The methods.
    pub fn methods(&self) -> &[Method] {
        &self.methods
    }

    /// The metadata.
    pub fn meta(&self) -> &RouteMeta {
        &self.meta
    }

    /// Runs dependency `D` before this route (FastAPI's route `dependencies=`).
    pub fn dependency<D: crate::extract::Dependency<S>>(mut self) -> Self
    where
        S: Send + Sync + 'static,
    {
        self.add_guard(crate::extract::Guard::of::<D>(), false);
        self
    }

    /// Adds a guard, documenting its parameters; `first` puts it before the
    /// existing ones (an enclosing router's run first).
    pub(crate) fn add_guard(&mut self, g: crate::extract::Guard<S>, first: bool)
    where
        S: Send + Sync + 'static,
    {
        g.prepare();
        self.meta.doc.absorb(g.describe());
        if first {
            self.guards.insert(0, g);
        } else {
            self.guards.push(g);
        }
    }
}

/// Something that becomes a route: a function annotated with `#[get]`,
/// `#[post]`, ... or a hand-built [`RouteDef`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a ferroapi route",
    label = "expected a function annotated with #[get], #[post], #[put], #[patch], #[delete], #[head] or #[options]",
    note = "the route's parameters must all be extractable for this app's state type `{S}`"
)]
pub trait Route<S> {
    /// Builds the route.
    fn into_route(self) -> RouteDef<S>;
}

impl<S> Route<S> for RouteDef<S> {
    fn into_route(self) -> RouteDef<S> {
        self
    }
}

/// A route function (what `#[get]` and friends produce) is called once, at
/// start-up, to build its route.
impl<S, F> Route<S> for F
where
    F: FnOnce() -> RouteDef<S>,
{
    fn into_route(self) -> RouteDef<S> {
        self()
    }
}

/// A group of routes with a common prefix and tags, FastAPI's `APIRouter`;
/// routers nest with [`APIRouter::include_router`].
///
/// ```
/// use ferroapi::{get, APIRouter, App};
///
/// #[get("/")]
/// async fn list_items() -> ferroapi::Json<Vec<String>> {
///     ferroapi::Json(vec![])
/// }
///
/// let items = APIRouter::new().prefix("/items").tag("items").route(list_items);
/// let app = App::new().include_router(items);
/// # let _ = app.into_router();
/// ```
///
/// FastAPI's `include_router(router, prefix=..., tags=..., dependencies=...,
/// responses=..., deprecated=..., include_in_schema=...,
/// generate_unique_id_function=...)` is an enclosing router with those
/// options, which is what FastAPI's arguments mean:
///
/// ```
/// # use ferroapi::{get, APIRouter, App, Json};
/// # #[get("/")] async fn list_items() -> Json<Vec<String>> { Json(vec![]) }
/// let items = APIRouter::new().route(list_items);
/// let app = App::new()
///     .include_router(APIRouter::new().prefix("/items").tag("items").response(418, "I'm a teapot").include_router(items.clone()))
///     .include_router(APIRouter::new().prefix("/v1/items").deprecated(true).include_router(items));
/// # let _ = app.into_router();
/// ```
#[derive(Debug)]
pub struct APIRouter<S = ()> {
    prefix: String,
    tags: Vec<String>,
    responses: Vec<crate::openapi::additional::AdditionalResponse>,
    guards: Vec<crate::extract::Guard<S>>,
    routes: Vec<RouteDef<S>>,
    deprecated: bool,
    include_in_schema: bool,
    unique_id: Option<UniqueId>,
    limits: crate::extract::Limits,
}

impl<S> Default for APIRouter<S> {
    fn default() -> Self {
        APIRouter {
            prefix: String::new(),
            tags: Vec::new(),
            responses: Vec::new(),
            guards: Vec::new(),
            routes: Vec::new(),
            deprecated: false,
            include_in_schema: true,
            unique_id: None,
            limits: crate::extract::Limits::default(),
        }
    }
}

/// A router can be included twice (FastAPI's versioned prefixes over one router).
impl<S> Clone for APIRouter<S> {
    fn clone(&self) -> Self {
        APIRouter {
            prefix: self.prefix.clone(),
            tags: self.tags.clone(),
            responses: self.responses.clone(),
            guards: self.guards.clone(),
            routes: self.routes.clone(),
            deprecated: self.deprecated,
            include_in_schema: self.include_in_schema,
            unique_id: self.unique_id.clone(),
            limits: self.limits,
        }
    }
}

impl<S: Send + Sync + 'static> APIRouter<S> {
    /// An empty router.
    pub fn new() -> Self {
        Self::default()
    }

    /// A path prefix for every route (`/items`).
    ///
    /// # Panics
    /// If the prefix does not start with `/` or ends with `/` (as FastAPI).
    pub fn prefix(mut self, prefix: &str) -> Self {
        assert!(
            prefix.is_empty() || (prefix.starts_with('/') && !prefix.ends_with('/')),
            "a path prefix must start with '/' and not end with '/'"
        );
        self.prefix = prefix.to_string();
        self
    }

    /// A tag for every route.
    pub fn tag(mut self, tag: &str) -> Self {
        self.tags.push(tag.to_string());
        self
    }

    /// Documents a response every route of this router may give
    /// (FastAPI's router-level `responses=`), e.g. `404, "Not found"`.
    pub fn response(self, status: u16, description: &str) -> Self {
        self.additional_response(
            crate::openapi::additional::AdditionalResponse::new(status).description(description),
        )
    }

    /// Documents a response with a model, media types or examples on every
    /// route of this router (FastAPI's `responses={404: {"model": Message}}`).
    pub fn additional_response(
        mut self,
        response: crate::openapi::additional::AdditionalResponse,
    ) -> Self {
        self.responses =
            crate::openapi::additional::merge_responses(&self.responses, vec![response]);
        self
    }

    /// Marks every route deprecated (FastAPI's router `deprecated=True`).
    pub fn deprecated(mut self, on: bool) -> Self {
        self.deprecated = on;
        self
    }

    /// Leaves every route out of the document (still served), FastAPI's
    /// `include_in_schema=False`.
    pub fn include_in_schema(mut self, on: bool) -> Self {
        self.include_in_schema = on;
        self
    }

    /// The largest body this router's routes accept, unless a route says
    /// otherwise (FastAPI's router `max_body_size`): 413 beyond.
    pub fn max_body_size(mut self, bytes: usize) -> Self {
        self.limits.max_body_size = Some(bytes);
        self
    }

    /// FastAPI's router `strict_content_type`: false reads a body sent
    /// without a `Content-Type` as JSON.
    pub fn strict_content_type(mut self, on: bool) -> Self {
        self.limits.strict_content_type = Some(on);
        self
    }

    /// FastAPI's router `form_limits` (a route's own win, key by key).
    pub fn form_limits(mut self, limits: crate::extract::FormLimits) -> Self {
        self.limits.form = limits;
        self
    }

    /// The operationId rule of this router's routes, unless a route or an
    /// inner router has its own (FastAPI's `generate_unique_id_function`).
    pub fn generate_unique_id_function(
        mut self,
        f: impl Fn(&RouteMeta, &str, &http::Method) -> String + Send + Sync + 'static,
    ) -> Self {
        self.unique_id = Some(UniqueId::new(f));
        self
    }

    /// Runs dependency `D` before every route of this router (FastAPI's
    /// `APIRouter(dependencies=[Depends(...)])`).
    pub fn dependency<D: crate::extract::Dependency<S>>(mut self) -> Self {
        self.guards.push(crate::extract::Guard::of::<D>());
        self
    }

    /// Adds a route.
    pub fn route(mut self, route: impl Route<S>) -> Self {
        self.routes.push(route.into_route());
        self
    }

    /// Nests another router (its prefix after this one's, its tags after this one's).
    pub fn include_router(mut self, router: APIRouter<S>) -> Self {
        self.routes.extend(router.into_routes());
        self
    }

    /// The routes with this router's prefix and tags applied.
    pub(crate) fn into_routes(self) -> Vec<RouteDef<S>> {
        let APIRouter {
            prefix,
            tags,
            responses,
            guards,
            routes,
            deprecated,
            include_in_schema,
            unique_id,
            limits,
        } = self;
        routes
            .into_iter()
            .map(|mut r| {
                r.path = format!("{prefix}{}", r.path);
                let mut t = tags.clone();
                t.extend(std::mem::take(&mut r.meta.tags));
                r.meta.tags = t;
                r.meta.responses = crate::openapi::additional::merge_responses(
                    &responses,
                    std::mem::take(&mut r.meta.responses),
                );
                r.meta.deprecated |= deprecated;
                r.meta.include_in_schema &= include_in_schema;
                if r.meta.unique_id.is_none() {
                    r.meta.unique_id = unique_id.clone();
                }
                r.limits = r.limits.or(limits);
                for g in guards.iter().rev() {
                    r.add_guard(*g, true);
                }
                r
            })
            .collect()
    }
}

/// For an axum path ending in a catch-all (`/files/{*p}`): the path it
/// matches with an empty remainder (`/files/`) and the parameter's name.
pub(crate) fn empty_tail(axum_path: &str) -> Option<(&str, &str)> {
    let start = axum_path.rfind("/{*")?;
    let name = axum_path[start + 3..].strip_suffix('}')?;
    Some((&axum_path[..=start], name))
}

/// Converts a FastAPI path template to axum's: `{p:path}` → `{*p}`, other
/// converters (`{id:int}`) dropped.
pub(crate) fn axum_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('}') else {
            break;
        };
        let inner = &rest[start + 1..start + end];
        match inner.split_once(':') {
            Some((name, "path")) => {
                out.push_str("{*");
                out.push_str(name);
                out.push('}');
            }
            Some((name, _)) => {
                out.push('{');
                out.push_str(name);
                out.push('}');
            }
            None => {
                out.push('{');
                out.push_str(inner);
                out.push('}');
            }
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out
}

/// One method of a path: its handler, body facts and guard dependencies.
pub(crate) type MethodEntry<S> = (
    Method,
    BoxHandler<S>,
    RouteInfo,
    Arc<[crate::extract::Guard<S>]>,
);

/// The method table of one path, and its websocket route if it has one.
pub(crate) struct PathTable<S> {
    pub(crate) entries: Vec<MethodEntry<S>>,
    pub(crate) allow: HeaderValue,
    pub(crate) websocket: Option<MethodEntry<S>>,
}

impl<S: Clone + Send + Sync + 'static> PathTable<S> {
    /// Picks the handler for the method and starts it (no await here: the
    /// only allocation is the handler's own future). `path`: the decoded
    /// parameters, `None` when one is not UTF-8.
    fn dispatch(
        &self,
        req: Request,
        shared: &Arc<Shared<S>>,
        path: Option<crate::extract::PathParams>,
    ) -> BoxFuture<'static, Response> {
        let handlers = &shared.handlers;
        let (parts, body) = req.into_parts();
        // As Starlette: a handshake matches websocket routes only, and an
        // HTTP request HTTP routes only; a handshake nothing takes is
        // closed before accept, which uvicorn answers 403.
        let entry = if crate::websocket::is_handshake(&parts) {
            match &self.websocket {
                Some(entry) => Some(entry),
                None => return Box::pin(std::future::ready(crate::websocket::refused())),
            }
        } else {
            self.entries.iter().find(|(m, _, _, _)| *m == parts.method)
        };
        let Some((_, handler, info, guards)) = entry else {
            if self.entries.is_empty() {
                // A path with a websocket route only.
                return Box::pin(std::future::ready(
                    handlers.render(&parts, HTTPException::not_found()),
                ));
            }
            // As Starlette: the `allow` header travels on the exception, so an
            // app handler for HTTPException decides whether to send it.
            let e = HTTPException::new(405, "Method Not Allowed")
                .header("allow", self.allow.to_str().unwrap_or(""));
            return Box::pin(std::future::ready(handlers.render(&parts, e)));
        };
        let Some(path) = path else {
            return Box::pin(std::future::ready(
                handlers.render(&parts, HTTPException::not_found()),
            ));
        };
        handler(Call {
            data: crate::extract::RequestData::new(parts, *info, path),
            body,
            shared: shared.clone(),
            guards: guards.clone(),
        })
    }
}

pub(crate) type Guarded = futures_util::future::Map<
    futures_util::future::CatchUnwind<std::panic::AssertUnwindSafe<BoxFuture<'static, Response>>>,
    fn(std::thread::Result<Response>) -> Result<Response, Infallible>,
>;

fn guard(r: std::thread::Result<Response>) -> Result<Response, Infallible> {
    Ok(r.unwrap_or_else(|_| crate::error::internal_server_error()))
}

/// The tower service of one path: method dispatch, then the route's handler,
/// with a panic answered 500 (Starlette's `ServerErrorMiddleware`). Cloned
/// by the router for every request: one reference count.
pub(crate) struct PathService<S> {
    inner: Arc<PathInner<S>>,
}

struct PathInner<S> {
    table: Arc<PathTable<S>>,
    shared: Arc<Shared<S>>,
    /// Run each request as its own task, so a client that goes away does
    /// not cancel it ([`App::finish_on_disconnect`](crate::App::finish_on_disconnect)).
    detach: bool,
    /// Registered for `/files/` beside `/files/{p:path}`: the `path`
    /// parameter matched an empty remainder (Starlette's `.*`).
    empty_tail: Option<Arc<str>>,
    /// The names of the parameters of the path it is registered at, in order.
    names: Arc<[Box<str>]>,
    /// Whether the last of them takes the rest of the path (`{*p}`, FastAPI's
    /// `{p:path}`), where an escaped `/` may stand.
    catch_all: bool,
}

impl<S> PathService<S> {
    /// The service of `table`, registered at `axum_path` (an axum template).
    pub(crate) fn new(
        axum_path: &str,
        table: Arc<PathTable<S>>,
        shared: Arc<Shared<S>>,
        detach: bool,
        empty_tail: Option<Arc<str>>,
    ) -> Self {
        PathService {
            inner: Arc::new(PathInner {
                table,
                shared,
                detach,
                empty_tail,
                names: param_names(axum_path),
                catch_all: axum_path.contains("{*"),
            }),
        }
    }

    /// The parameters of a request whose path `matchit` matched to this
    /// service: `values` as they stand in the path, in the template's order.
    pub(crate) fn params<'v>(
        &self,
        values: impl Iterator<Item = &'v str>,
    ) -> Option<crate::extract::PathParams> {
        let inner = &*self.inner;
        crate::extract::PathParams::new(
            &inner.names,
            values,
            true,
            inner.catch_all,
            inner.empty_tail.as_ref(),
        )
    }
}

impl<S: Clone + Send + Sync + 'static> PathService<S> {
    /// Serves a request whose path matched this service.
    pub(crate) fn serve(&self, req: Request, path: Option<crate::extract::PathParams>) -> Guarded {
        let inner = &*self.inner;
        // A connection of `App::serve`'s own that is not read while the
        // request is handled never drops the route's future: no task of its
        // own is needed for it to run to its end.
        let detach = inner.detach && !crate::served::is_unread_while_handled(req.version());
        let fut = inner.table.dispatch(req, &inner.shared, path);
        let fut: BoxFuture<'static, Response> = if detach {
            Box::pin(async move {
                // A panic in the task comes back as an error: the same 500.
                tokio::spawn(fut)
                    .await
                    .unwrap_or_else(|_| crate::error::internal_server_error())
            })
        } else {
            fut
        };
        std::panic::AssertUnwindSafe(fut)
            .catch_unwind()
            .map(guard as fn(std::thread::Result<Response>) -> Result<Response, Infallible>)
    }
}

/// The parameter names of an axum template, in order (`/a/{b}/{*c}` → b, c).
fn param_names(axum_path: &str) -> Arc<[Box<str>]> {
    let mut names = Vec::new();
    let mut rest = axum_path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        let name = &rest[start + 1..start + len];
        names.push(name.trim_start_matches('*').into());
        rest = &rest[start + len + 1..];
    }
    names.into()
}

impl<S> Clone for PathService<S> {
    fn clone(&self) -> Self {
        PathService {
            inner: self.inner.clone(),
        }
    }
}

impl<S: Clone + Send + Sync + 'static> tower::Service<Request> for PathService<S> {
    type Response = Response;
    type Error = Infallible;
    type Future = Guarded;

    fn poll_ready(
        &mut self,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Infallible>> {
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Guarded {
        // Reached through axum's router (an app with merged axum routes or
        // middleware of its own): its matched parameters, already decoded,
        // are read from the request's extensions at once.
        let (mut parts, body) = req.into_parts();
        let path = match RawPathParams::from_request_parts(&mut parts, &()).now_or_never() {
            Some(Ok(p)) => {
                let inner = &*self.inner;
                crate::extract::PathParams::new(
                    &inner.names,
                    p.iter().map(|(_, v)| v),
                    false,
                    inner.catch_all,
                    inner.empty_tail.as_ref(),
                )
            }
            _ => None,
        };
        self.serve(Request::from_parts(parts, body), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_fastapi_templates() {
        assert_eq!(axum_path("/files/{p:path}"), "/files/{*p}");
        assert_eq!(axum_path("/items/{id:int}/x"), "/items/{id}/x");
        assert_eq!(axum_path("/a/{b}"), "/a/{b}");
        assert_eq!(empty_tail("/files/{*p}"), Some(("/files/", "p")));
        assert_eq!(empty_tail("/{*rest}"), Some(("/", "rest")));
        assert_eq!(empty_tail("/files/{p}"), None);
        let names = param_names("/a/{b}/c/{*d}");
        assert_eq!(names.iter().map(|n| &**n).collect::<Vec<_>>(), ["b", "d"]);
        assert!(param_names("/plain").is_empty());
    }
}
