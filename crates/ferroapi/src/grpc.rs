//! gRPC beside REST on one port (feature `grpc`): tonic services are mounted
//! in the app's router at `/{package.Service}/{Method}`, served by the same
//! hyper server as the REST routes (HTTP/1.1 and HTTP/2 with prior knowledge,
//! h2c). The REST side stays in the OpenAPI document; gRPC services are not in
//! it (their contract is the `.proto`). With [`App::grpc_health`](crate::App::grpc_health) the standard
//! `grpc.health.v1.Health` service reports every mounted service as serving;
//! with [`App::grpc_reflection`](crate::App::grpc_reflection) `grpc.reflection.v1` (and `v1alpha`, for
//! older clients) describe them. A call to a service the app lacks answers
//! gRPC's `UNIMPLEMENTED`, not an HTTP 404 page.
//!
//! ```ignore
//! App::new()
//!     .route(analyze)                          // REST, in /openapi.json
//!     .grpc_service(TextStatsServer::new(svc)) // gRPC, same port
//!     .grpc_health()
//!     .grpc_reflection(pb::FILE_DESCRIPTOR_SET)
//!     .serve("127.0.0.1:8000")
//! ```

use std::convert::Infallible;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};

use axum::body::Body;
use http::{Request, Response};
use tonic::server::NamedService;
use tower::Service;

pub use tonic;

/// What the app mounts for gRPC.
#[derive(Default)]
pub(crate) struct GrpcConfig {
    pub(crate) names: Vec<&'static str>,
    pub(crate) routes: Vec<axum::Router>,
    pub(crate) health: bool,
    pub(crate) reflection: Vec<&'static [u8]>,
}

impl std::fmt::Debug for GrpcConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GrpcConfig")
            .field("services", &self.names)
            .field("health", &self.health)
            .finish_non_exhaustive()
    }
}

/// What a mountable gRPC service is: a generated `...Server` (or any tower
/// service answering gRPC) with its package-qualified name.
pub trait GrpcService:
    Service<
        Request<Body>,
        Response = Response<tonic::body::Body>,
        Error = Infallible,
        Future: Send + 'static,
    > + NamedService
    + Clone
    + Send
    + Sync
    + 'static
{
}

impl<G> GrpcService for G where
    G: Service<
            Request<Body>,
            Response = Response<tonic::body::Body>,
            Error = Infallible,
            Future: Send + 'static,
        > + NamedService
        + Clone
        + Send
        + Sync
        + 'static
{
}

pub(crate) fn route<G: GrpcService>(service: G) -> axum::Router {
    axum::Router::new().route_service(&format!("/{}/{{*method}}", G::NAME), service)
}

impl GrpcConfig {
    /// No service, no health, no reflection: nothing to mount.
    pub(crate) fn is_empty(&self) -> bool {
        self.routes.is_empty() && !self.health && self.reflection.is_empty()
    }

    /// The gRPC routes, merged into `router`.
    pub(crate) fn mount(self, mut router: axum::Router) -> axum::Router {
        for r in self.routes {
            router = router.merge(r);
        }
        if self.health {
            let (reporter, server) = tonic_health::server::health_reporter();
            for name in &self.names {
                set_serving(&reporter, name);
            }
            router = router.merge(route(server));
        }
        if !self.reflection.is_empty() {
            let mut v1 = tonic_reflection::server::Builder::configure();
            let mut v1alpha = tonic_reflection::server::Builder::configure();
            for set in &self.reflection {
                v1 = v1.register_encoded_file_descriptor_set(set);
                v1alpha = v1alpha.register_encoded_file_descriptor_set(set);
            }
            if self.health {
                v1 = v1.register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET);
                v1alpha = v1alpha
                    .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET);
            }
            match (v1.build_v1(), v1alpha.build_v1alpha()) {
                (Ok(v1), Ok(v1alpha)) => {
                    router = router.merge(route(v1)).merge(route(v1alpha));
                }
                (Err(e), _) | (_, Err(e)) => {
                    tracing::error!("gRPC reflection left out: {e}");
                }
            }
        }
        router
    }
}

/// Marks `name` as serving. The reporter's lock is free while the router is
/// built, so the update completes on its first poll; no runtime is needed.
fn set_serving(reporter: &tonic_health::server::HealthReporter, name: &str) {
    let update = pin!(reporter.set_service_status(name, tonic_health::ServingStatus::Serving));
    let mut cx = Context::from_waker(Waker::noop());
    if update.poll(&mut cx).is_pending() {
        tracing::warn!("gRPC health: could not mark {name} as serving");
    }
}
