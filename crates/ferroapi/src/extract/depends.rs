//! Dependencies, FastAPI's `Depends`: values a route (or another dependency)
//! declares, resolved from the request before the route's own parameters.
//!
//! `#[dependency]` on a fn makes a type of the same name (in the type
//! namespace only, so the fn stays callable) implementing [`Dependency`]; a
//! route takes `user: Depends<current_user>`. A plain `fn` runs on the
//! blocking pool (FastAPI's `def` dependencies). On `impl Searcher { fn
//! new(..) -> Self }` the struct itself becomes the dependency (FastAPI's
//! class dependencies): `Depends<Searcher>`. Per declaration,
//! `#[param(use_cache = false)]` runs it again in the same request and
//! `#[param(max_concurrency = N)]` lets at most N calls run at once. The function's own parameters
//! are extracted, validated and documented like a route's. A dependency's
//! result is cached for the rest of the request (each dependency runs once per
//! request however many times it is asked for; a value that is not `Clone` is
//! made again for each use), and an app can replace it
//! ([`App::dependency_override`](crate::App::dependency_override)). A
//! dependency that returns `Err(e)` answers with `e` (through the app's
//! handlers) before any 422 of the route's other parameters, as in FastAPI.
//!
//! FastAPI's `yield` dependencies: return [`Yield`]`::new(value, teardown)`.
//! The route gets `value`; `teardown` runs after the response has been sent
//! (and after the background tasks), whatever the outcome — also after a 422
//! of a later parameter, an error the handler returned, or a panic — and
//! learns how the request ended through [`Exit`](crate::Exit).

use std::any::TypeId;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, LazyLock, Mutex};

use super::{Extract, Outcome, ParamSpec, RequestCtx};

/// A dependency's value with the work to do once the request is over
/// (FastAPI's code after `yield`).
///
/// ```
/// use ferroapi::{dependency, extract::Yield, Exit};
///
/// #[derive(Clone, Debug)]
/// struct Session(u32);
///
/// #[dependency]
/// async fn session() -> Yield<Session> {
///     let s = Session(1); // open it
///     Yield::new(s.clone(), move |exit: Exit| async move {
///         // commit, or roll back when the request failed
///         let _rollback = exit.is_error();
///         drop(s);
///     })
/// }
/// ```
pub struct Yield<T> {
    value: T,
    teardown: crate::after::Teardown,
}

impl<T> Yield<T> {
    /// `value` now, `teardown` after the response.
    pub fn new<F, Fut>(value: T, teardown: F) -> Self
    where
        F: FnOnce(crate::Exit) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        Yield {
            value,
            teardown: Box::new(move |exit| Box::pin(teardown(exit))),
        }
    }

    pub(crate) fn into_parts(self) -> (T, crate::after::Teardown) {
        (self.value, self.teardown)
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Yield<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Yield")
            .field(&self.value)
            .finish_non_exhaustive()
    }
}

/// The value a dependency provides.
pub trait DependencyOutput: Send + 'static {
    /// The value.
    type Output: Send + Sync + 'static;

    /// A copy of the value for the request's other users (the per-request
    /// cache): `Some` when the value is `Clone` (what `#[dependency]`
    /// generates), else `None`, and a value that cannot be copied is made
    /// again for each use.
    fn duplicate(_value: &Self::Output) -> Option<Self::Output> {
        None
    }
}

/// `#[dependency]`'s way to copy a value when its type is `Clone` and say
/// `None` otherwise, decided per concrete type (method resolution prefers
/// [`ViaClone`] on `&&Dup`, falling back to [`NoClone`] on `&Dup`).
#[doc(hidden)]
#[allow(missing_debug_implementations)]
pub struct Dup<'a, T>(pub &'a T);

#[doc(hidden)]
pub trait ViaClone<T> {
    fn dup(&self) -> Option<T>;
}

impl<T: Clone> ViaClone<T> for &Dup<'_, T> {
    fn dup(&self) -> Option<T> {
        Some(self.0.clone())
    }
}

#[doc(hidden)]
pub trait NoClone<T> {
    fn dup(&self) -> Option<T>;
}

impl<T> NoClone<T> for Dup<'_, T> {
    fn dup(&self) -> Option<T> {
        None
    }
}

/// A dependency resolvable for app state `S` (what `#[dependency]` implements).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a ferroapi dependency for this app",
    label = "not a dependency",
    note = "annotate an async fn with #[ferroapi::dependency] and use `Depends<that_fn>`; all its parameters must be extractable for the app's state type"
)]
pub trait Dependency<S>: DependencyOutput {
    /// Start-up hook (compile patterns and schemas of its parameters).
    fn prepare() {}

    /// What its parameters add to the OpenAPI operation.
    fn describe(_cx: &mut crate::openapi::parts::Describe) {}

    /// Extracts its parameters and runs it. `None`: its parameters were invalid
    /// (errors recorded) or it raised (response set).
    fn resolve(cx: &mut RequestCtx<'_, S>) -> impl Future<Output = Option<Self::Output>> + Send;
}

/// A dependency's value as a route parameter: `user: Depends<current_user>`.
pub struct Depends<D: DependencyOutput>(pub D::Output);

impl<D: DependencyOutput> Clone for Depends<D>
where
    D::Output: Clone,
{
    fn clone(&self) -> Self {
        Depends(self.0.clone())
    }
}

impl<D: DependencyOutput> std::fmt::Debug for Depends<D>
where
    D::Output: std::fmt::Debug,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Depends").field(&self.0).finish()
    }
}

impl<D: DependencyOutput> std::ops::Deref for Depends<D> {
    type Target = D::Output;
    fn deref(&self) -> &D::Output {
        &self.0
    }
}

impl<S, D> Extract<S> for Depends<D>
where
    S: Send + Sync + 'static,
    D: Dependency<S>,
{
    const DEPENDENCY: bool = true;

    fn prepare(_spec: &'static ParamSpec) {
        D::prepare();
    }

    fn describe(spec: &'static ParamSpec, cx: &mut crate::openapi::parts::Describe) {
        cx.enter_dependency(spec.scopes);
        D::describe(cx);
        cx.exit_dependency();
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Self> {
        let mark = cx.enter_scopes(spec.scopes);
        let out = resolve::<S, D>(cx, spec).await;
        cx.leave_scopes(mark);
        out
    }
}

/// A dependency whose work the route does itself, resolved by ferroapi only
/// when another parameter is invalid.
///
/// FastAPI solves dependencies before it validates the body: for a missing
/// user and an invalid body, `current_user`'s 404 answers, not the 422. A
/// route that would rather look the user up in the same statement as its
/// own work (one database round trip, not two) takes `Deferred<current_user>`
/// instead of `Depends<current_user>`: when every parameter is valid the
/// route gets no value and does the dependency's checks itself; when one is
/// invalid, ferroapi resolves the dependency before answering, so that its
/// error still answers first, exactly as `Depends` would. It is documented
/// as the dependency is (its security scheme, its parameters).
pub struct Deferred<D>(std::marker::PhantomData<fn() -> D>);

impl<D> std::fmt::Debug for Deferred<D> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Deferred")
    }
}

impl<S, D> Extract<S> for Deferred<D>
where
    S: Send + Sync + 'static,
    D: Dependency<S>,
{
    const SETTLES: bool = true;

    fn prepare(spec: &'static ParamSpec) {
        <Depends<D> as Extract<S>>::prepare(spec);
    }

    fn describe(spec: &'static ParamSpec, cx: &mut crate::openapi::parts::Describe) {
        <Depends<D> as Extract<S>>::describe(spec, cx);
    }

    async fn extract(_cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        Outcome::Value(Deferred(std::marker::PhantomData))
    }

    async fn settle(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) {
        let _ = <Depends<D> as Extract<S>>::extract(cx, spec).await;
    }
}

/// The semaphore of one `max_concurrency` declaration (one per parameter
/// declaring it, as FastAPI has one per `Depends()` object), made on first use.
fn limiter(spec: &'static ParamSpec, n: usize) -> Arc<tokio::sync::Semaphore> {
    static LIMITERS: LazyLock<Mutex<HashMap<usize, Arc<tokio::sync::Semaphore>>>> =
        LazyLock::new(Default::default);
    let key = std::ptr::from_ref(spec) as usize;
    LIMITERS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .entry(key)
        .or_insert_with(|| Arc::new(tokio::sync::Semaphore::new(n)))
        .clone()
}

async fn resolve<S, D>(cx: &mut RequestCtx<'_, S>, spec: &'static ParamSpec) -> Outcome<Depends<D>>
where
    S: Send + Sync + 'static,
    D: Dependency<S>,
{
    let key = TypeId::of::<D>();
    if spec.use_cache {
        if let Some(v) = cx
            .cached_dependency::<D::Output>(key)
            .and_then(D::duplicate)
        {
            return Outcome::Value(Depends(v));
        }
    }
    // `max_concurrency`: a value from the cache is not another call; a run is.
    let _permit = match spec.max_concurrency {
        Some(n) => limiter(spec, n).acquire_owned().await.ok(),
        None => None,
    };
    let handlers = cx.handlers();
    let value = match handlers.dependency_override::<D::Output>(key, cx.parts()) {
        Some(Ok(v)) => Some(v),
        Some(Err(res)) => {
            cx.set_fatal(res);
            None
        }
        None => match handlers.resolver::<ResolveFn<S>>(key) {
            // Replaced by another dependency: same output type, checked when
            // the override was registered.
            Some(resolve) => resolve(cx)
                .await
                .and_then(|b| b.downcast::<D::Output>().ok().map(|b| *b)),
            None => D::resolve(cx).await,
        },
    };
    match value {
        Some(v) => {
            // As FastAPI: the first value made stays the cached one. A value
            // that cannot be copied is not cached: each use makes its own.
            if cx.cached_dependency::<D::Output>(key).is_none() {
                if let Some(copy) = D::duplicate(&v) {
                    cx.store_dependency(key, copy);
                }
            }
            Outcome::Value(Depends(v))
        }
        None => Outcome::Invalid,
    }
}

/// Resolves a replacement dependency and boxes its value (what
/// `App::override_dependency` stores in the handlers' table).
pub(crate) type ResolveFn<S> = for<'a, 'b> fn(
    &'a mut RequestCtx<'b, S>,
) -> futures_util::future::BoxFuture<
    'a,
    Option<Box<dyn std::any::Any + Send + Sync>>,
>;

/// The [`ResolveFn`] of dependency `W`.
pub(crate) fn resolve_boxed<'a, 'b, S, W>(
    cx: &'a mut RequestCtx<'b, S>,
) -> futures_util::future::BoxFuture<'a, Option<Box<dyn std::any::Any + Send + Sync>>>
where
    S: Send + Sync + 'static,
    W: Dependency<S>,
{
    Box::pin(async move {
        W::resolve(cx)
            .await
            .map(|v| Box::new(v) as Box<dyn std::any::Any + Send + Sync>)
    })
}
