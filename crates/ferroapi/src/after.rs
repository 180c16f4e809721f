//! Work that runs after the response has been sent: the request's background
//! tasks, then the teardown of its `yield` dependencies (last set up, first
//! torn down), as FastAPI runs its request-scoped exit stack after the
//! response and its background tasks (see [`Yield`](crate::extract::Yield)).
//!
//! The work starts when the response body has been handed to the connection
//! in full (the body is dropped), so it never delays the client. When no
//! response is ever produced (the handler panicked, the client went away),
//! the teardowns still run, with [`Exit::status`] `None`.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use axum::body::Body;
use axum::response::Response;
use bytes::Bytes;
use futures_util::future::BoxFuture;
use http::StatusCode;
use http_body::Frame;

use crate::BackgroundTasks;

/// How the request ended, as a `yield` dependency's teardown sees it
/// (FastAPI re-raises the handler's exception into the dependency; here the
/// teardown learns the status of the response that was sent).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit {
    status: Option<StatusCode>,
}

impl Exit {
    /// The status of the response sent, or `None` when none was (the handler
    /// panicked or the request was cancelled). For a websocket: 101 once the
    /// connection has ended normally, `None` when its handler failed.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// A websocket connection that ended: 101 (the handshake's status), or
    /// no status when the handler failed.
    pub(crate) fn ended(failed: bool) -> Exit {
        Exit {
            status: (!failed).then_some(StatusCode::SWITCHING_PROTOCOLS),
        }
    }

    /// The request failed: an error response (4xx, 5xx) or none at all.
    /// A database session would roll back here instead of committing.
    pub fn is_error(&self) -> bool {
        self.status
            .is_none_or(|s| s.is_client_error() || s.is_server_error())
    }
}

/// One teardown: called once with the request's [`Exit`].
pub(crate) type Teardown = Box<dyn FnOnce(Exit) -> BoxFuture<'static, ()> + Send>;

/// The request's after-response work, carried from extraction to the
/// response. Dropped without a response (panic, cancellation), it still
/// runs the teardowns.
#[derive(Default)]
pub struct After {
    pub(crate) background: Option<BackgroundTasks>,
    pub(crate) teardowns: Vec<Teardown>,
}

impl std::fmt::Debug for After {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("After")
            .field("background", &self.background)
            .field("teardowns", &self.teardowns.len())
            .finish()
    }
}

impl After {
    fn is_empty(&self) -> bool {
        self.background.is_none() && self.teardowns.is_empty()
    }

    /// The work as one future: background tasks in order, then teardowns in
    /// reverse order of set-up.
    pub(crate) fn run(mut self, exit: Exit) -> BoxFuture<'static, ()> {
        let tasks = self.background.take().map(|b| b.take()).unwrap_or_default();
        let teardowns = std::mem::take(&mut self.teardowns);
        Box::pin(async move {
            for t in tasks {
                t.await;
            }
            for t in teardowns.into_iter().rev() {
                t(exit).await;
            }
        })
    }

    /// Attaches the work to `res`: it runs once the body has been sent.
    pub(crate) fn attach(self, res: Response) -> Response {
        if self.is_empty() {
            return res;
        }
        let exit = Exit {
            status: Some(res.status()),
        };
        let (tx, rx) = tokio::sync::oneshot::channel();
        let mut res = res.map(|inner| {
            Body::new(ThenRun {
                inner,
                work: Some((self, exit)),
                done: Some(tx),
            })
        });
        res.extensions_mut()
            .insert(BackgroundDone(Arc::new(Mutex::new(Some(rx)))));
        res
    }
}

impl Drop for After {
    fn drop(&mut self) {
        if self.teardowns.is_empty() {
            return;
        }
        // No response was produced: tear down anyway.
        let work = After {
            background: None,
            teardowns: std::mem::take(&mut self.teardowns),
        };
        spawn(work.run(Exit { status: None }), None);
    }
}

/// Every piece of after-response work still running: a server's drain waits
/// for it (SIGTERM must not cut a background task or a teardown short).
pub(crate) fn pending() -> &'static tokio_util::task::TaskTracker {
    static PENDING: std::sync::OnceLock<tokio_util::task::TaskTracker> = std::sync::OnceLock::new();
    PENDING.get_or_init(tokio_util::task::TaskTracker::new)
}

fn spawn(work: BoxFuture<'static, ()>, done: Option<tokio::sync::oneshot::Sender<()>>) {
    if let Ok(handle) = tokio::runtime::Handle::try_current() {
        pending().spawn_on(
            async move {
                work.await;
                if let Some(d) = done {
                    let _ = d.send(());
                }
            },
            &handle,
        );
    }
}

/// In a response's extensions: resolves when its after-response work has run
/// (the in-process test client waits for it, as FastAPI's `TestClient` does).
#[derive(Debug, Clone)]
pub struct BackgroundDone(Arc<Mutex<Option<tokio::sync::oneshot::Receiver<()>>>>);

impl BackgroundDone {
    /// Waits until the work has run (at once when there was none).
    pub async fn wait(&self) {
        let rx = self.0.lock().ok().and_then(|mut r| r.take());
        if let Some(rx) = rx {
            let _ = rx.await;
        }
    }
}

/// A body that starts the work once it has been sent (dropped).
struct ThenRun {
    inner: Body,
    work: Option<(After, Exit)>,
    done: Option<tokio::sync::oneshot::Sender<()>>,
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
        if let Some((work, exit)) = self.work.take() {
            spawn(work.run(exit), self.done.take());
        }
    }
}
