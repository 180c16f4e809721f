//! # ferroapi — FastAPI's developer experience, at Rust's speed
//!
//! Write a handler the way you would in FastAPI — typed parameters by name, a
//! typed body, a typed return — and get validation and FastAPI-identical error
//! bodies, on axum, with nothing computed per request that could be computed at
//! start-up.
//!
//! ## A 60-second tour
//!
//! ```
//! use ferroapi::{get, post, App, APIRouter, HTTPException, Json, Path, Query, TestClient};
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
//! struct Item {
//!     #[garde(length(min = 1))]
//!     name: String,
//!     #[garde(range(min = 0.0))]
//!     price: f64,
//! }
//!
//! /// Read one item.
//! #[get("/{item_id}")]
//! async fn read_item(
//!     item_id: Path<u32>,
//!     #[param(max_length = 10)] q: Query<Option<String>>,
//! ) -> Result<Json<serde_json::Value>, HTTPException> {
//!     if *item_id == 0 {
//!         return Err(HTTPException::new(404, "Item not found"));
//!     }
//!     Ok(Json(serde_json::json!({ "item_id": *item_id, "q": q.0 })))
//! }
//!
//! /// Create an item.
//! #[post("/", status_code = 201)]
//! async fn create_item(item: Json<Item>) -> Json<Item> {
//!     item
//! }
//!
//! let items = APIRouter::new().prefix("/items").tag("items")
//!     .route(read_item)
//!     .route(create_item);
//! let app = App::new().title("Shop").include_router(items);
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let client = TestClient::new(app);
//! let res = client.get("/items/5?q=hi").send().await;
//! assert_eq!(res.text(), r#"{"item_id":5,"q":"hi"}"#);
//!
//! // Every problem at once, worded as FastAPI words it:
//! let res = client.get("/items/abc?q=far-too-long-a-query").send().await;
//! assert_eq!(res.status(), 422);
//! assert_eq!(res.text(), concat!(
//!     r#"{"detail":[{"type":"int_parsing","loc":["path","item_id"],"msg":"Input should be a valid integer, unable to parse string as an integer","input":"abc"},"#,
//!     r#"{"type":"string_too_long","loc":["query","q"],"msg":"String should have at most 10 characters","input":"far-too-long-a-query","ctx":{"max_length":10}}]}"#,
//! ));
//!
//! let res = client.post("/items/").json(&serde_json::json!({"name": "", "price": 1})).send().await;
//! assert_eq!(res.status(), 422);
//! assert!(res.text().contains(r#""type":"string_too_short","loc":["body","name"]"#));
//! # });
//! ```
//!
//! ## Blocking work
//!
//! A plain `fn` route (FastAPI's `def` endpoint) runs on tokio's blocking pool,
//! after its parameters are validated, so hashing or a blocking client never
//! stalls the event loop:
//!
//! ```
//! use ferroapi::{get, App, Json, Path, TestClient};
//!
//! #[get("/digest/{word}")]
//! fn digest(word: Path<String>) -> Json<u64> {
//!     // Stands for CPU-bound work.
//!     Json(word.bytes().fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))))
//! }
//!
//! # tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap().block_on(async {
//! let client = TestClient::new(App::new().route(digest));
//! assert_eq!(client.get("/digest/ab").send().await.text(), "9832");
//! # });
//! ```
//!
//! ## The guide
//!
//! FastAPI's tutorial, chapter by chapter, in ferroapi — each chapter's FastAPI
//! app beside its ferroapi program, every snippet compiled and tested, and a
//! porting table from every FastAPI and pydantic construct — is the book in the
//! repository's `guide/` (`scripts/guide --serve` serves it on
//! <http://127.0.0.1:3000>; the programs are the `guide-examples` crate).
//!
//! ## Where things are
//! - [`App`] and [`APIRouter`]: routes, prefixes, tags, state, exception handlers.
//! - [`extract`]: the parameter types ([`Path`], [`Query`], [`Header`], [`Cookie`],
//!   [`Json`], [`Form`], [`UploadFile`], [`State`]).
//! - [`response`]: what a route may return.
//! - [`HTTPException`], [`RequestValidationError`]: errors, FastAPI's wire format.
//! - [`validation`]: the diagnose path that words errors as pydantic does.
//! - [`TestClient`]: requests in-process, no socket.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod after;
mod app;
mod background;
pub mod datetime;
pub mod decimal;
mod dispatch;
mod error;
#[cfg(feature = "grpc")]
pub mod grpc;
mod handler;
mod handlers;
pub mod ip;
mod latin1;
pub mod lifespan;
#[cfg(feature = "logging")]
pub mod logs;
mod maybe;
pub mod middleware;
mod recycle;
mod request_body;
mod routing;
mod served;
mod server;
mod spec;
mod staticfiles;
pub mod telemetry;
mod testclient;
pub mod types;
pub mod websocket;

pub mod docs;
pub mod extract;
pub mod openapi;
pub mod response;
pub mod rules;
pub mod security;
pub mod validation;

pub use after::{BackgroundDone, Exit};
pub use app::{App, OPENAPI_ENV};
pub use background::BackgroundTasks;
pub use datetime::{
    AwareDatetime, Datetime, FutureDate, FutureDatetime, NaiveDatetime, PastDate, PastDatetime,
    Time, Timedelta,
};
pub use decimal::{Condecimal, Decimal};
pub use error::{internal_server_error, Error, HTTPException, RequestValidationError};
pub use extract::{
    validate_json, ClientAddr, Cookie, Deferred, Depends, FileBytes, Form, FormLimits, Header,
    Json, Limits, Path, Query, RequestUrl, State, UploadFile,
};
pub use handlers::Handlers;
pub use ip::{IpInterface, IpNetwork, Ipv4Interface, Ipv4Network, Ipv6Interface, Ipv6Network};
pub use lifespan::LifespanState;
pub use maybe::Maybe;
pub use openapi::schema::default_factory;
pub use openapi::AdditionalResponse;
pub use response::{
    EventStream, FileResponse, Html, JsonLines, PlainText, Redirect, ResponseHeaders,
    ServerSentEvent, SetCookie, Stream,
};
pub use routing::{
    APIRouter, Call, Callback, OperationIdFn, Route, RouteDef, RouteMeta, Shared, UniqueId,
};
pub use server::{termination, ServerConfig};
pub use staticfiles::{Mounted, StaticFiles};
pub use testclient::{ConstraintReport, RequestBuilder, TestClient, TestResponse};
pub use types::{
    AnyUrl, Bytes, HttpUrl, Nullable, SecretStr, Tuple, Uuid1, Uuid3, Uuid4, Uuid5, UuidVersion,
};
pub use validation::email::EmailStr;
pub use validation::schema::{finite, literal, strict};
pub use websocket::{WebSocket, WebSocketException};

pub use ferroapi_macros::{
    api_route, delete, dependency, get, head, options, patch, post, put, websocket, ParamEnum,
    ParamModel,
};

/// Re-exported so users and generated code agree on versions.
pub use {axum, garde, http, schemars, serde_json};

#[doc(hidden)]
pub mod __private {
    pub use crate::after::After;
    pub use crate::error::internal_server_error;
    pub use crate::extract::carries as carries_check;
    pub use crate::extract::params_private::*;
    pub use crate::extract::{
        BodyKind, Constraints, Dependency, DependencyOutput, Extract, Location, Outcome, ParamSpec,
        ParamValue, Pattern, RequestCtx, RequestData, WithDefault,
    };
    pub use crate::extract::{Plain, Unplain};
    pub use crate::handler::{
        begin, finish, head, read_body, respond, respond_shaped, route_info, run_blocking,
        run_guards, Shape,
    };
    pub use crate::handlers::Handlers;
    pub use crate::openapi::default_json;
    pub use crate::response::{IntoModel, Responder, ResponseCtx};
    pub use crate::routing::{Call, RouteDef, RouteMeta, Shared, UniqueId};
    pub use crate::validation::schema::cached as schema_cached;
    pub use crate::validation::Kind;
    pub use crate::websocket::{finish_websocket, upgrade};
    pub use http::{Method, StatusCode};
}
