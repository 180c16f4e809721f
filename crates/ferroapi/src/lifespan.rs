//! FastAPI's lifespan: start-up work before the first request, shut-down
//! work after the last one, and the state the start-up yields (FastAPI's
//! `yield {"client": client}`, read as `request.state.client`), read by
//! routes as [`LifespanState<T>`].
//!
//! Hooks never go silently unrun, whichever way the app is served:
//! * [`App::serve`](crate::App::serve) runs the start-up before accepting
//!   connections and the shut-down after the drain;
//! * [`TestClient::start`](crate::TestClient::start) runs the start-up at
//!   once; [`TestClient::new`](crate::TestClient::new) and a router from
//!   [`App::into_router`](crate::App::into_router) run it before their first
//!   request (concurrent first requests wait for it);
//! * in those last three cases the shut-down hooks run when the last clone
//!   of the router is dropped (FastAPI's `with TestClient(app)` exit),
//!   waited for by the drop: on the same runtime when it is multi-threaded,
//!   else on a thread with a runtime of its own (a hook that needs I/O
//!   resources of a single-threaded runtime should be run by `App::serve`).

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use futures_util::future::BoxFuture;

type Value = Arc<dyn Any + Send + Sync>;

/// A start-up hook; a state hook returns the value it made.
pub(crate) type StartHook = Box<dyn FnOnce() -> BoxFuture<'static, Option<(TypeId, Value)>> + Send>;
/// A shut-down hook.
pub(crate) type StopHook = Box<dyn FnOnce() -> BoxFuture<'static, ()> + Send>;

/// The app's lifespan: its hooks and, once started, its state.
#[derive(Default)]
pub(crate) struct Lifespan {
    startup: Mutex<Vec<StartHook>>,
    shutdown: Mutex<Vec<StopHook>>,
    started: tokio::sync::OnceCell<()>,
    values: OnceLock<HashMap<TypeId, Value>>,
}

impl std::fmt::Debug for Lifespan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lifespan")
            .field("started", &self.started.initialized())
            .finish_non_exhaustive()
    }
}

fn take<T>(m: &Mutex<Vec<T>>) -> Vec<T> {
    std::mem::take(&mut *m.lock().unwrap_or_else(|p| p.into_inner()))
}

impl Lifespan {
    pub(crate) fn on_startup(&self, hook: StartHook) {
        self.startup
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(hook);
    }

    pub(crate) fn on_shutdown(&self, hook: StopHook) {
        self.shutdown
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(hook);
    }

    /// Whether anything is left to run (a router must start it lazily).
    pub(crate) fn pending(&self) -> bool {
        fn any<T>(m: &Mutex<Vec<T>>) -> bool {
            !m.lock().unwrap_or_else(|p| p.into_inner()).is_empty()
        }
        !self.started.initialized() && (any(&self.startup) || any(&self.shutdown))
    }

    /// Runs the start-up hooks in registration order, once; later and
    /// concurrent callers wait for the first.
    pub(crate) async fn start(&self) {
        self.started
            .get_or_init(|| async {
                let mut values = HashMap::new();
                for hook in take(&self.startup) {
                    if let Some((id, v)) = hook().await {
                        values.insert(id, v);
                    }
                }
                let _ = self.values.set(values);
            })
            .await;
    }

    /// Runs the shut-down hooks in registration order (once: they are consumed).
    pub(crate) async fn stop(&self) {
        for hook in take(&self.shutdown) {
            hook().await;
        }
    }

    pub(crate) fn value<T: 'static>(&self) -> Option<&T> {
        self.values.get()?.get(&TypeId::of::<T>())?.downcast_ref()
    }
}

/// A lifespan that started and was not stopped runs its shut-down hooks
/// when dropped: on a thread with its own runtime (the drop may happen
/// inside or outside one), waited for.
impl Drop for Lifespan {
    fn drop(&mut self) {
        if !self.started.initialized() {
            return;
        }
        let hooks = take(&self.shutdown);
        if hooks.is_empty() {
            return;
        }
        let run = async move {
            for hook in hooks {
                hook().await;
            }
        };
        // On a multi-threaded runtime the hooks run on it (the resources
        // they close belong to it); elsewhere on a runtime of their own.
        if let Ok(handle) = tokio::runtime::Handle::try_current() {
            if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread {
                tokio::task::block_in_place(|| handle.block_on(run));
                return;
            }
        }
        let joined = std::thread::spawn(move || {
            if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                rt.block_on(run);
            }
        })
        .join();
        if joined.is_err() {
            tracing::error!("a shut-down hook panicked");
        }
    }
}

/// A value made by the app's start-up (`App::lifespan_state`), FastAPI's
/// lifespan state (`request.state.client`). Cheap to take: the value is
/// cloned (hold an `Arc` or a pool handle).
///
/// ```
/// use ferroapi::{get, App, Json, LifespanState};
///
/// #[derive(Clone)]
/// struct Models { answer: i64 }
///
/// #[get("/predict")]
/// async fn predict(models: LifespanState<Models>) -> Json<i64> {
///     Json(models.answer)
/// }
///
/// let app = App::new()
///     .lifespan_state(|| async { Models { answer: 42 } })
///     .route(predict);
/// # let _ = app;
/// ```
///
/// Asking for a state no start-up made answers 500 (and logs why), as a
/// missing `request.state` attribute does in FastAPI.
#[derive(Debug, Clone)]
pub struct LifespanState<T>(pub T);

impl<T> std::ops::Deref for LifespanState<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// The state hook of `App::lifespan_state`.
pub(crate) fn state_hook<T, F, Fut>(f: F) -> StartHook
where
    T: Send + Sync + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = T> + Send + 'static,
{
    Box::new(move || {
        Box::pin(async move {
            let v: Value = Arc::new(f().await);
            Some((TypeId::of::<T>(), v))
        })
    })
}
