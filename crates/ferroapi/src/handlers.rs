//! The app's exception handlers and dependency overrides (FastAPI's
//! `app.exception_handlers` and `app.dependency_overrides`): the table every
//! layer above renders errors through. It knows no request type: a
//! dependency replaced by another is kept type-erased here and read back by
//! `extract`.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::Arc;

use axum::response::{IntoResponse, Response};
use http::request::Parts;

/// An error on its way to its handler, its type erased.
pub(crate) type ErasedError = Box<dyn Any + Send>;

/// A registered exception handler.
pub(crate) type ErasedHandler = Arc<dyn Fn(&Parts, ErasedError) -> Response + Send + Sync>;

/// A registered dependency override: the dependency's value, boxed, or the
/// answer that ends the request.
pub(crate) type ErasedOverride =
    Arc<dyn Fn(&Parts) -> Result<Box<dyn Any + Send + Sync>, Response> + Send + Sync>;

/// The app's exception handlers, by error type (FastAPI's
/// `@app.exception_handler(X)`).
#[derive(Clone, Default)]
pub struct Handlers {
    pub(crate) map: HashMap<TypeId, ErasedHandler>,
    pub(crate) overrides: HashMap<TypeId, ErasedOverride>,
    /// Dependencies overridden by other dependencies: how to resolve the
    /// replacement, per overridden dependency, erased (the handlers are not
    /// generic over the state; `extract::ResolveFn` is what is stored).
    pub(crate) resolvers: HashMap<TypeId, Arc<dyn Any + Send + Sync>>,
    /// The lifespan's hooks and, once started, its state.
    pub(crate) lifespan: Arc<crate::lifespan::Lifespan>,
}

impl std::fmt::Debug for Handlers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handlers")
            .field("count", &self.map.len())
            .finish()
    }
}

impl Handlers {
    /// Renders `e` with the handler registered for its type, else with its own
    /// `IntoResponse`.
    pub fn render<E: IntoResponse + Send + 'static>(&self, parts: &Parts, e: E) -> Response {
        match self.map.get(&TypeId::of::<E>()) {
            Some(h) => h(parts, Box::new(e)),
            None => e.into_response(),
        }
    }

    /// What replaces `dependency`, as stored (`F` is the type it was stored
    /// as), if anything does.
    pub(crate) fn resolver<F: Copy + 'static>(&self, dependency: TypeId) -> Option<F> {
        self.resolvers
            .get(&dependency)
            .and_then(|r| r.downcast_ref::<F>())
            .copied()
    }

    /// The override registered for dependency `D`, if any.
    pub(crate) fn dependency_override<T: 'static>(
        &self,
        dependency: TypeId,
        parts: &Parts,
    ) -> Option<Result<T, Response>> {
        let f = self.overrides.get(&dependency)?;
        Some(f(parts).map(|b| {
            *b.downcast::<T>()
                .expect("a dependency override produces the dependency's output type")
        }))
    }
}
