//! Background tasks (FastAPI's `BackgroundTasks`): work a route schedules to
//! run after its response has been sent (see [`crate::after`] for when).

use std::future::Future;
use std::sync::{Arc, Mutex};

use futures_util::future::BoxFuture;

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
