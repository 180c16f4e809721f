//! Dependencies run for their effect (FastAPI's `dependencies=[Depends(...)]`
//! on a route, a router or the app): resolved before the route's own
//! dependencies, cached and overridable like any `Depends<D>`, their
//! parameters documented and validated with the route's.

use futures_util::future::BoxFuture;

use super::{Dependency, Depends, Extract, ParamSpec, RequestCtx};

static GUARD_SPEC: ParamSpec = ParamSpec::DEFAULT;

type RunFn<S> = for<'a, 'b> fn(&'a mut RequestCtx<'b, S>) -> BoxFuture<'a, ()>;

/// A dependency whose value is not used.
pub struct Guard<S> {
    name: &'static str,
    run: RunFn<S>,
    describe: fn(&mut crate::openapi::parts::Describe),
    prepare: fn(),
}

impl<S> Clone for Guard<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S> Copy for Guard<S> {}

impl<S> std::fmt::Debug for Guard<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Guard").field(&self.name).finish()
    }
}

fn run<'a, 'b, S, D>(cx: &'a mut RequestCtx<'b, S>) -> BoxFuture<'a, ()>
where
    S: Send + Sync + 'static,
    D: Dependency<S>,
{
    Box::pin(async move {
        if !cx.is_fatal() {
            let _ = <Depends<D> as Extract<S>>::extract(cx, &GUARD_SPEC).await;
        }
    })
}

fn describe<S: Sync, D: Dependency<S>>(cx: &mut crate::openapi::parts::Describe) {
    D::describe(cx);
}

impl<S: Send + Sync + 'static> Guard<S> {
    /// The guard for dependency `D`.
    pub fn of<D: Dependency<S>>() -> Self {
        Guard {
            name: std::any::type_name::<D>(),
            run: run::<S, D>,
            describe: describe::<S, D>,
            prepare: D::prepare,
        }
    }

    /// Runs it (a raise is recorded in `cx`).
    pub async fn run(&self, cx: &mut RequestCtx<'_, S>) {
        (self.run)(cx).await;
    }

    /// Its parameters and security, for the OpenAPI operation.
    pub fn describe(&self) -> crate::openapi::parts::OperationDoc {
        let mut d = crate::openapi::parts::Describe::new();
        (self.describe)(&mut d);
        d.finish()
    }

    pub(crate) fn prepare(&self) {
        (self.prepare)();
    }
}
