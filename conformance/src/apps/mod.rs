//! One module per FastAPI app in `apps/*.py`.

pub mod bodies;
pub mod constraints;
pub mod cors;
pub mod cors_any;
pub mod datetimes;
pub mod dependencies;
pub mod errors;
pub mod forms;
pub mod handlers;
pub mod https;
pub mod including;
pub mod lax;
pub mod limits;
pub mod literals;
pub mod middleware;
pub mod operations;
pub mod params;
pub mod responses;
pub mod routers;
pub mod schemes;
pub mod scopes;
pub mod security;
pub mod special;
pub mod unions;
