//! Route-function macros for ferroapi. Use them through the `ferroapi` crate
//! (`ferroapi::get`, ...), which documents them.
//!
//! This crate is deliberately thin: each entry point parses, checks names and
//! spans, and emits calls into `ferroapi::__private`. Everything about *types*
//! is decided by trait impls in `ferroapi`, so a type error points at the
//! user's parameter with the trait's own diagnostic.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod attr;
mod dependency;
mod derive;
mod errors;
mod params;
mod route;

use proc_macro::TokenStream;

macro_rules! method_macro {
    ($name:ident, $method:literal) => {
        #[doc = concat!("Declares a `", $method, "` route: `#[", stringify!($name), "(\"/path/{param}\", tags = [\"t\"], status_code = 201)]`.")]
        #[proc_macro_attribute]
        pub fn $name(attr: TokenStream, item: TokenStream) -> TokenStream {
            route::expand(Some($method), route::Kind::Http, attr.into(), item.into()).into()
        }
    };
}

method_macro!(get, "GET");
method_macro!(post, "POST");
method_macro!(put, "PUT");
method_macro!(patch, "PATCH");
method_macro!(delete, "DELETE");
method_macro!(head, "HEAD");
method_macro!(options, "OPTIONS");

/// Makes an async fn a dependency: `#[dependency] async fn current_user(...) -> Result<User, HTTPException>`,
/// used by routes (and other dependencies) as `user: Depends<current_user>`.
#[proc_macro_attribute]
pub fn dependency(attr: TokenStream, item: TokenStream) -> TokenStream {
    dependency::expand(attr.into(), item.into()).into()
}

/// Declares a route answering several methods:
/// `#[api_route("/path", methods = [GET, POST])]`.
#[proc_macro_attribute]
pub fn api_route(attr: TokenStream, item: TokenStream) -> TokenStream {
    route::expand(None, route::Kind::Http, attr.into(), item.into()).into()
}

/// Declares a websocket route: `#[websocket("/ws/{room}")]` on an async fn
/// taking a `ferroapi::WebSocket` and any other parameters (validated before
/// the connection is accepted); returns `()` or `Result<(), E>`.
#[proc_macro_attribute]
pub fn websocket(attr: TokenStream, item: TokenStream) -> TokenStream {
    route::expand(
        Some("GET"),
        route::Kind::WebSocket,
        attr.into(),
        item.into(),
    )
    .into()
}

/// Makes a unit-variant enum (deriving serde's `Deserialize` and schemars'
/// `JsonSchema`) usable as a path, query, header, cookie or form value.
#[proc_macro_derive(ParamEnum)]
pub fn derive_param_enum(item: TokenStream) -> TokenStream {
    derive::param_enum(item.into()).into()
}

/// Makes a struct (deriving `Deserialize` and `JsonSchema`) a group of
/// parameters read together, FastAPI's `Annotated[Model, Query()]`.
#[proc_macro_derive(ParamModel)]
pub fn derive_param_model(item: TokenStream) -> TokenStream {
    derive::param_model(item.into()).into()
}
