//! Dependencies, FastAPI's `Depends`: values a route (or another dependency)
//! declares, resolved from the request before the route's own parameters.
//!
//! `#[dependency]` on an async fn makes a type of the same name (in the type
//! namespace only, so the fn stays callable) implementing [`Dependency`]; a
//! route takes `user: Depends<current_user>`. The function's own parameters
//! are extracted, validated and documented like a route's. A dependency's
//! result is cached for the rest of the request (each dependency runs once per
//! request however many times it is asked for), and an app can replace it
//! ([`App::dependency_override`](crate::App::dependency_override)). A
//! dependency that returns `Err(e)` answers with `e` (through the app's
//! handlers) before any 422 of the route's other parameters, as in FastAPI.

use std::any::TypeId;
use std::future::Future;

use super::{Extract, Outcome, ParamSpec, RequestCtx};

/// The value a dependency provides.
pub trait DependencyOutput: Send + 'static {
    /// The value.
    type Output: Clone + Send + Sync + 'static;
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
    fn describe(_cx: &mut crate::openapi::Describe) {}

    /// Extracts its parameters and runs it. `None`: its parameters were invalid
    /// (errors recorded) or it raised (response set).
    fn resolve(cx: &mut RequestCtx<'_, S>) -> impl Future<Output = Option<Self::Output>> + Send;
}

/// A dependency's value as a route parameter: `user: Depends<current_user>`.
#[derive(Debug, Clone)]
pub struct Depends<D: DependencyOutput>(pub D::Output);

impl<D: DependencyOutput> std::ops::Deref for Depends<D> {
    type Target = D::Output;
    fn deref(&self) -> &D::Output {
        &self.0
    }
}

impl<S, D> Extract<S> for Depends<D>
where
    S: Sync,
    D: Dependency<S>,
{
    const DEPENDENCY: bool = true;

    fn prepare(_spec: &'static ParamSpec) {
        D::prepare();
    }

    fn describe(_spec: &'static ParamSpec, cx: &mut crate::openapi::Describe) {
        cx.enter_dependency();
        D::describe(cx);
        cx.exit_dependency();
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        let key = TypeId::of::<D>();
        if let Some(v) = cx.cached::<D::Output>(key) {
            return Outcome::Value(Depends(v));
        }
        let handlers = cx.handlers();
        let value = match handlers.dependency_override::<D::Output>(key, cx.parts()) {
            Some(Ok(v)) => Some(v),
            Some(Err(res)) => {
                cx.set_fatal(res);
                None
            }
            None => D::resolve(cx).await,
        };
        match value {
            Some(v) => {
                cx.store(key, v.clone());
                Outcome::Value(Depends(v))
            }
            None => Outcome::Invalid,
        }
    }
}
