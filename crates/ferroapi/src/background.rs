//! Background tasks (FastAPI's `BackgroundTasks`): work a route schedules to
//! run after its response has been sent. The tasks start when the response
//! body has been handed to the connection in full (the body is dropped), so a
//! slow task never delays the client.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use futures_util::future::BoxFuture;
use http_body::Frame;

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

    fn take(&self) -> Vec<BoxFuture<'static, ()>> {
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

/// A body that runs the tasks once it has been sent (dropped).
struct ThenRun {
    inner: Body,
    tasks: Option<BackgroundTasks>,
    done: Option<tokio::sync::oneshot::Sender<()>>,
}

/// In a response's extensions: resolves when its background tasks have run
/// (the in-process test client waits for it, as FastAPI's `TestClient` does).
#[derive(Debug, Clone)]
pub struct BackgroundDone(pub(crate) Arc<Mutex<Option<tokio::sync::oneshot::Receiver<()>>>>);

impl BackgroundDone {
    /// Waits until the tasks have run (at once when there were none).
    pub async fn wait(&self) {
        let rx = self.0.lock().ok().and_then(|mut r| r.take());
        if let Some(rx) = rx {
            let _ = rx.await;
        }
    }
}

impl http_body::Body for ThenRun {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for ThenRun {
    fn drop(&mut self) {
        if let Some(tasks) = self.tasks.take() {
            let pending = tasks.take();
            let done = self.done.take();
            if !pending.is_empty() {
                if let Ok(handle) = tokio::runtime::Handle::try_current() {
                    handle.spawn(async move {
                        for t in pending {
                            t.await;
                        }
                        if let Some(d) = done {
                            let _ = d.send(());
                        }
                    });
                }
            }
        }
    }
}

/// Attaches the request's background tasks to its response.
pub(crate) fn attach(res: Response, tasks: Option<BackgroundTasks>) -> Response {
    match tasks {
        None => res,
        Some(tasks) => {
            let (tx, rx) = tokio::sync::oneshot::channel();
            let mut res = res.map(|inner| {
                Body::new(ThenRun {
                    inner,
                    tasks: Some(tasks),
                    done: Some(tx),
                })
            });
            res.extensions_mut()
                .insert(BackgroundDone(Arc::new(Mutex::new(Some(rx)))));
            res
        }
    }
}
