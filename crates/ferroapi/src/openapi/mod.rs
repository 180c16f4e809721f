//! The OpenAPI 3.1 document, the same one FastAPI would write for the same app.
//!
//! Each route collects its parts once, when it is built (`parts.rs`: every
//! parameter and return type describes itself). When the app is turned into a
//! router, `document.rs` assembles them with FastAPI's rules (operationIds,
//! summaries, `Body_*` components, the 422 response, pydantic-style titles and
//! nullable types, see [`schema`]) into one JSON document, serialized once and
//! served as bytes at `/openapi.json`.

pub(crate) mod additional;
mod document;
pub(crate) mod parts;
pub mod schema;

pub use additional::AdditionalResponse;
pub use document::RouteEntry;
pub use document::{build, operation_id, Info};
pub use parts::{
    default_json, py_title, BodyDoc, Describe, OperationDoc, ParameterDoc, ResponseDoc,
};
