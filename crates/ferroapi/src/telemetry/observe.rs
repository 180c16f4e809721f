//! The service that observes an app's requests: counts and times them
//! (metrics), and serves each inside its OpenTelemetry span (traces).

use std::convert::Infallible;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Instant;

use axum::extract::Request;
use axum::response::Response;
use futures_util::future::{Either, Ready};
use http::Method;

use super::Templates;

/// What an app observes, made when it is built.
#[derive(Debug)]
pub(crate) struct Observer {
    templates: Templates,
    #[cfg(feature = "metrics")]
    metrics: Option<super::metrics::Metrics>,
    #[cfg(feature = "otel")]
    otel: Option<super::otel::Otel>,
}

impl Observer {
    /// `None` when nothing is observed.
    pub(crate) fn new(
        templates: Templates,
        #[cfg(feature = "metrics")] metrics: Option<super::metrics::Metrics>,
        #[cfg(feature = "otel")] otel: Option<super::otel::Otel>,
    ) -> Option<Arc<Self>> {
        let mut any = false;
        #[cfg(feature = "metrics")]
        {
            any |= metrics.is_some();
        }
        #[cfg(feature = "otel")]
        {
            any |= otel.is_some();
        }
        any.then(|| {
            Arc::new(Observer {
                templates,
                #[cfg(feature = "metrics")]
                metrics,
                #[cfg(feature = "otel")]
                otel,
            })
        })
    }

    /// At the end of serving: what is left is exported.
    #[cfg(feature = "otel")]
    pub(crate) fn shutdown(&self) {
        if let Some(o) = &self.otel {
            o.shutdown();
        }
    }
}

/// The app's service, observed.
pub(crate) struct Observed<T> {
    inner: T,
    observer: Arc<Observer>,
}

impl<T: Clone> Clone for Observed<T> {
    fn clone(&self) -> Self {
        Observed {
            inner: self.inner.clone(),
            observer: self.observer.clone(),
        }
    }
}

impl<T> Observed<T> {
    pub(crate) fn new(inner: T, observer: Arc<Observer>) -> Self {
        Observed { inner, observer }
    }
}

/// The layer that observes an axum router (see [`Observed`]).
#[derive(Clone)]
pub(crate) struct ObserveLayer(pub(crate) Arc<Observer>);

impl<T> tower::Layer<T> for ObserveLayer {
    type Service = Observed<T>;
    fn layer(&self, inner: T) -> Observed<T> {
        Observed::new(inner, self.0.clone())
    }
}

#[cfg(feature = "otel")]
type SpanContext = Option<opentelemetry::Context>;
#[cfg(not(feature = "otel"))]
type SpanContext = ();

impl<T> tower::Service<Request> for Observed<T>
where
    T: tower::Service<Request, Response = Response, Error = Infallible>,
{
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Ready<Result<Response, Infallible>>, Observing<T::Future>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let o = &self.observer;
        let path = req.uri().path();
        #[cfg(feature = "metrics")]
        if let Some(m) = &o.metrics {
            if path == m.path && matches!(*req.method(), Method::GET | Method::HEAD) {
                return Either::Left(futures_util::future::ready(Ok(m.render())));
            }
            m.in_progress.inc();
        }
        let handler = o.templates.find(path);
        let method = req.method().clone();
        #[cfg(feature = "otel")]
        let span: SpanContext = o.otel.as_ref().map(|t| t.start(&req, handler));
        #[cfg(not(feature = "otel"))]
        let span: SpanContext = ();
        let inner = {
            #[cfg(feature = "otel")]
            let _attached = span.as_ref().map(|cx| cx.clone().attach());
            self.inner.call(req)
        };
        Either::Right(Observing {
            inner,
            started: Instant::now(),
            method,
            handler,
            span,
            guard: InProgress(self.observer.clone()),
        })
    }
}

/// Takes a request off the in-progress gauge however its future ends.
struct InProgress(Arc<Observer>);

impl Drop for InProgress {
    fn drop(&mut self) {
        #[cfg(feature = "metrics")]
        if let Some(m) = &self.0.metrics {
            m.in_progress.dec();
        }
    }
}

pin_project_lite::pin_project! {
    /// A request's answer on its way, observed.
    pub(crate) struct Observing<F> {
        #[pin]
        inner: F,
        started: Instant,
        method: Method,
        handler: Option<usize>,
        span: SpanContext,
        guard: InProgress,
    }
}

impl<F> Future for Observing<F>
where
    F: Future<Output = Result<Response, Infallible>>,
{
    type Output = Result<Response, Infallible>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        #[cfg(feature = "otel")]
        let _attached = this.span.as_ref().map(|c| c.clone().attach());
        let Ok(res) = std::task::ready!(this.inner.poll(cx));
        let o = &this.guard.0;
        #[cfg(feature = "otel")]
        if let Some(span) = this.span.take() {
            super::otel::Otel::finish(&span, res.status());
        }
        #[cfg(feature = "metrics")]
        if let Some(m) = &o.metrics {
            let handler = this.handler.map(|i| (i, o.templates.name(i)));
            m.record(
                handler,
                this.method,
                res.status(),
                this.started.elapsed().as_secs_f64(),
            );
        }
        let _ = (o, &this.method, &this.handler, &this.started);
        Poll::Ready(Ok(res))
    }
}
