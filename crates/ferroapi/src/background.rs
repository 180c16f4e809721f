//! Background tasks (FastAPI's `BackgroundTasks`): work a route schedules to
//! run after its response has been sent (see [`crate::after`] for when).

use std::future::Future;
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;

use crate::extract::{Extract, Outcome, ParamSpec, RequestCtx};

type Tasks = Arc<Mutex<Vec<BoxFuture<'static, ()>>>>;

/// Tasks to run after the response: `tasks.add(async move { ... })`.
#[derive(Clone, Default)]
pub struct BackgroundTasks {
    tasks: Tasks,
}

impl std::fmt::Debug for BackgroundTasks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.tasks.lock().map(|t| t.len()).unwrap_or(0);
        f.debug_struct("BackgroundTasks")
            .field("pending", &n)
            .finish()
    }
}

impl BackgroundTasks {
    /// Schedules a task (run in order, one after another, after the response).
    pub fn add(&self, task: impl Future<Output = ()> + Send + 'static) {
        if let Ok(mut t) = self.tasks.lock() {
            t.push(Box::pin(task));
        }
    }

    pub(crate) fn take(&self) -> Vec<BoxFuture<'static, ()>> {
        self.tasks
            .lock()
            .map(|mut t| std::mem::take(&mut *t))
            .unwrap_or_default()
    }
}

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
