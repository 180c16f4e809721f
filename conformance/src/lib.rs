//! The conformance apps, written with ferroapi: each mirrors the FastAPI app
//! of the same name in `apps/*.py`, whose answers are recorded in `golden/`.
#![forbid(unsafe_code)]

pub mod apps;

/// Every conformance app, in the order the recorder writes them.
pub const APPS: &[&str] = &[
    "params",
    "bodies",
    "constraints",
    "errors",
    "responses",
    "routers",
    "forms",
    "handlers",
    "security",
    "cors",
    "dependencies",
    "scopes",
    "middleware",
    "https",
    "cors_any",
    "lax",
    "literals",
    "unions",
    "datetimes",
    "special",
    "operations",
    "including",
    "schemes",
    "limits",
    "lifespans",
    "statics",
    "streams",
    "callbacks",
    "mounts",
    "unsplit",
    // The guide's chapters (guide/python/tut_*.py against guide/examples).
    "tut_first_steps",
    "tut_path_params",
    "tut_query_params",
    "tut_request_body",
    "tut_query_validations",
    "tut_path_validations",
    "tut_header_cookie",
    "tut_param_models",
];

/// The ferroapi app for a conformance app name.
pub fn app(name: &str) -> Option<ferroapi::axum::Router> {
    Some(match name {
        "params" => apps::params::app(),
        "bodies" => apps::bodies::app(),
        "constraints" => apps::constraints::app(),
        "errors" => apps::errors::app(),
        "responses" => apps::responses::app(),
        "routers" => apps::routers::app(),
        "forms" => apps::forms::app(),
        "handlers" => apps::handlers::app(),
        "security" => apps::security::app(),
        "cors" => apps::cors::app(),
        "dependencies" => apps::dependencies::app(),
        "scopes" => apps::scopes::app(),
        "middleware" => apps::middleware::app(),
        "https" => apps::https::app(),
        "cors_any" => apps::cors_any::app(),
        "lax" => apps::lax::app(),
        "literals" => apps::literals::app(),
        "unions" => apps::unions::app(),
        "datetimes" => apps::datetimes::app(),
        "special" => apps::special::app(),
        "operations" => apps::operations::app(),
        "including" => apps::including::app(),
        "schemes" => apps::schemes::app(),
        "limits" => apps::limits::app(),
        "lifespans" => apps::lifespans::app(),
        "statics" => apps::statics::app(),
        "streams" => apps::streams::app(),
        "callbacks" => apps::callbacks::app(),
        "mounts" => apps::mounts::app(),
        "unsplit" => apps::unsplit::app(),
        _ => return guide(name),
    })
}

/// The guide's programs, compared with the guide's FastAPI apps.
fn guide(name: &str) -> Option<ferroapi::axum::Router> {
    use guide_examples as g;
    Some(match name.strip_prefix("tut_")? {
        "first_steps" => g::first_steps::app().into_router(),
        "path_params" => g::path_params::app().into_router(),
        "query_params" => g::query_params::app().into_router(),
        "request_body" => g::request_body::app().into_router(),
        "query_validations" => g::query_validations::app().into_router(),
        "path_validations" => g::path_validations::app().into_router(),
        "header_cookie" => g::header_cookie::app().into_router(),
        "param_models" => g::param_models::app().into_router(),
        _ => return None,
    })
}
