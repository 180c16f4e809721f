//! The glue the route macro generates calls into: one request through one
//! route, from the split request to the response. Kept here, not in the
//! generated code, so the macro stays thin and this logic is tested once.

use axum::response::Response;
use http::request::Parts;

use crate::after::After;
use crate::extract::{BodyKind, Finish, ParamSpec, RequestCtx, RequestData, RouteInfo};
use crate::handlers::Handlers;
use crate::RequestValidationError;

/// Starts a request: its extraction context over the request's data, the
/// body not yet read (see [`read_body`]).
pub fn begin<'a, S>(
    data: &'a mut RequestData,
    state: &'a S,
    handlers: &'a Handlers,
) -> RequestCtx<'a, S> {
    RequestCtx::new(data, state, handlers)
}

/// Reads the request body into the request's data, or the response to send
/// instead (413, 400). The data lives in the route's future and is only
/// borrowed here: it is never moved out of a future's result.
pub async fn read_body<S>(
    cx: &mut RequestCtx<'_, S>,
    body: axum::body::Body,
) -> Result<(), Response> {
    cx.data.read_body(body).await
}

/// The route's body facts from its parameters' kinds, computed once when the
/// route is built: the strongest kind wins, and several JSON parameters (or an
/// embedded one) make an embedded body.
pub fn route_info(params: &[(BodyKind, &'static ParamSpec)]) -> RouteInfo {
    let body = params
        .iter()
        .map(|(k, _)| *k)
        .max()
        .unwrap_or(BodyKind::None);
    let json: Vec<_> = params
        .iter()
        .filter(|(k, _)| *k == BodyKind::Json)
        .collect();
    RouteInfo {
        body,
        embed: json.len() > 1 || json.iter().any(|(_, s)| s.embed),
        ..RouteInfo::default()
    }
}

/// Builds the response and attaches the after-response work (background
/// tasks, dependency teardowns).
pub fn respond<R: crate::response::Responder>(
    out: R,
    status: http::StatusCode,
    parts: Parts,
    handlers: &Handlers,
    after: After,
) -> Response {
    let res = out.respond(&crate::response::ResponseCtx::new(status, &parts, handlers));
    // The request's header map becomes the next answer's.
    crate::recycle::give(parts.headers);
    after.attach(res)
}

/// How a route reshapes its JSON answer (FastAPI's `response_model_include`,
/// `response_model_exclude`, `response_model_exclude_none`).
#[derive(Debug)]
pub struct Shape {
    /// Drop every `null` field, at any depth.
    pub exclude_none: bool,
    /// Keep only these top-level fields (of each item, for a list).
    pub include: Option<&'static [&'static str]>,
    /// Drop these top-level fields (of each item, for a list).
    pub exclude: &'static [&'static str],
}

impl Shape {
    fn apply(&self, v: &mut serde_json::Value, top: bool) {
        match v {
            serde_json::Value::Object(map) => {
                if top {
                    if let Some(keep) = self.include {
                        map.retain(|k, _| keep.contains(&k.as_str()));
                    }
                    map.retain(|k, _| !self.exclude.contains(&k.as_str()));
                }
                if self.exclude_none {
                    map.retain(|_, x| !x.is_null());
                    map.values_mut().for_each(|x| self.apply(x, false));
                }
            }
            serde_json::Value::Array(items) => {
                items.iter_mut().for_each(|x| self.apply(x, top));
            }
            _ => {}
        }
    }
}

/// [`respond`] for a route with a [`Shape`]: a successful JSON answer is
/// read back, reshaped and written again (errors are left as they are, as
/// FastAPI applies these options to the response model only).
pub async fn respond_shaped<R: crate::response::Responder>(
    out: R,
    status: http::StatusCode,
    parts: &Parts,
    handlers: &Handlers,
    after: After,
    shape: &Shape,
) -> Response {
    use http_body_util::BodyExt;
    let res = out.respond(&crate::response::ResponseCtx::new(status, parts, handlers));
    let json = res
        .headers()
        .get(http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if !json || !res.status().is_success() {
        return after.attach(res);
    }
    let (mut head, body) = res.into_parts();
    let Ok(bytes) = body.collect().await.map(|c| c.to_bytes()) else {
        return after.attach(crate::error::internal_server_error());
    };
    let body = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(mut v) => {
            shape.apply(&mut v, true);
            head.headers.remove(http::header::CONTENT_LENGTH);
            serde_json::to_vec(&v)
                .map(bytes::Bytes::from)
                .unwrap_or(bytes)
        }
        Err(_) => bytes,
    };
    after.attach(Response::from_parts(head, axum::body::Body::from(body)))
}

/// Runs the route's guard dependencies (app, routers, route) in order.
pub async fn run_guards<S: Send + Sync + 'static>(
    guards: &[crate::extract::Guard<S>],
    cx: &mut RequestCtx<'_, S>,
) {
    if !guards.is_empty() {
        cx.decode_body_first();
    }
    for g in guards {
        if cx.is_fatal() {
            break;
        }
        g.run(cx).await;
    }
}

/// Ends extraction: `Ok` when every parameter was valid, else the 422
/// (through the app's handler for [`RequestValidationError`]) or the fatal
/// response a parameter set — with the teardowns of the dependencies that
/// did run attached, so they run after it. The head stays in `data` for
/// [`head`], taken once the handler has run.
pub fn finish(data: &mut RequestData, handlers: &Handlers) -> Result<(), Response> {
    let res = match data.end_extraction() {
        None => return Ok(()),
        Some(Finish::Response(res)) => res,
        Some(Finish::Invalid(errors)) => {
            handlers.render(data.head(), RequestValidationError::new(errors))
        }
    };
    Err(data.end_with(res))
}

/// The request head and what runs after the response, once the handler has
/// run (see [`finish`]).
pub fn head(data: RequestData) -> (Parts, After) {
    data.into_head()
}

/// Runs a plain (`fn`, not `async fn`) route function on tokio's blocking pool,
/// as FastAPI runs a `def` endpoint in its threadpool: CPU-bound or blocking
/// work never stalls the event loop. A panic there is re-raised here, where the
/// route's panic guard turns it into a 500.
pub async fn run_blocking<F, T>(f: F) -> T
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(out) => out,
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            // Only when the runtime shuts down under the request.
            Err(e) => panic!("blocking route function cancelled: {e}"),
        },
    }
}

#[cfg(test)]
mod tests {
    /// Every route's future holds the request's data and the body reader's
    /// future (one allocation a request, its size copied in): neither may
    /// grow with a rare case (multipart's reader is boxed, a fatal response
    /// boxed, an embedded body's map boxed, form limits out of line). The
    /// showdown's route futures are 904–1,016 bytes with this data at 528:
    /// under 1,032 bytes, glibc's per-thread cache serves them (above it,
    /// each request paid ~650 instructions more for its future's allocation
    /// under the system allocator).
    #[test]
    fn a_route_future_carries_no_rare_case() {
        let handlers = crate::handlers::Handlers::default();
        let (parts, body) = http::Request::new(axum::body::Body::empty()).into_parts();
        let path = crate::extract::PathParams::default();
        let mut data = crate::extract::RequestData::new(parts, Default::default(), path);
        let mut cx = super::begin(&mut data, &(), &handlers);
        let read = super::read_body(&mut cx, body);
        let read_size = std::mem::size_of_val(&read);
        drop(read);
        assert!(read_size <= 384, "read_body's future: {read_size} bytes");
        let data_size = std::mem::size_of::<crate::extract::RequestData>();
        assert!(data_size <= 528, "RequestData: {data_size} bytes");
        // The context only borrows: the future holds the data once.
        let cx_size = std::mem::size_of::<crate::extract::RequestCtx<'static, ()>>();
        assert!(cx_size <= 24, "RequestCtx: {cx_size} bytes");
    }
}
