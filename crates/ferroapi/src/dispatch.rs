//! The request dispatcher: a request's path is matched once, against a table
//! of every path the app serves. ferroapi's own routes are called straight
//! from it; the rest (the docs, mounted apps and files, the 404 fallback)
//! goes on to the axum router that holds them.
//!
//! The table holds the axum router's paths too, so that matching picks what
//! the axum router would pick (a static segment before a parameter). When the
//! router holds paths the table cannot know — merged axum routes, gRPC
//! services — or the app has middleware of its own (which may read axum's
//! `MatchedPath`), every request goes through the axum router, as before.

use std::convert::Infallible;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::extract::Request;
use axum::response::Response;
use futures_util::future::Either;

use crate::routing::{Guarded, PathService};

/// What a path of the table leads to.
pub(crate) enum Target<S> {
    /// One of ferroapi's routes.
    Route(PathService<S>),
    /// Something the axum router serves.
    Router,
}

/// The table of paths, built at start-up (see the module's text).
pub(crate) struct Table<S> {
    paths: matchit::Router<Target<S>>,
}

impl<S> Table<S> {
    pub(crate) fn new() -> Self {
        Table {
            paths: matchit::Router::new(),
        }
    }

    /// Adds a path (an axum template). `Err` when it conflicts with one
    /// already there: the table is then not used.
    pub(crate) fn insert(&mut self, path: &str, target: Target<S>) -> Result<(), ()> {
        self.paths.insert(path, target).map_err(|_| ())
    }
}

/// The app's service: the table first, the axum router for the rest.
pub(crate) struct Dispatch<S> {
    inner: Arc<Inner<S>>,
}

struct Inner<S> {
    table: Table<S>,
    router: axum::Router,
}

impl<S> Dispatch<S> {
    pub(crate) fn new(table: Table<S>, router: axum::Router) -> Self {
        Dispatch {
            inner: Arc::new(Inner { table, router }),
        }
    }
}

impl<S> Clone for Dispatch<S> {
    fn clone(&self) -> Self {
        Dispatch {
            inner: self.inner.clone(),
        }
    }
}

impl<S: Clone + Send + Sync + 'static> tower::Service<Request> for Dispatch<S> {
    type Response = Response;
    type Error = Infallible;
    type Future = Either<Guarded, axum::routing::future::RouteFuture<Infallible>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: Request) -> Self::Future {
        let inner = &*self.inner;
        if let Ok(matched) = inner.table.paths.at(req.uri().path()) {
            if let Target::Route(service) = matched.value {
                let params = service.params(matched.params.iter().map(|(_, v)| v));
                return Either::Left(service.serve(req, params));
            }
        }
        Either::Right(tower::Service::call(&mut inner.router.clone(), req))
    }
}
