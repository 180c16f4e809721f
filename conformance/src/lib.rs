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
    "fuzz_types",
    "layers",
    "unset",
    "urls",
    "validators",
    "options",
    // The guide's chapters (guide/python/tut_*.py against guide/examples).
    "tut_first_steps",
    "tut_path_params",
    "tut_query_params",
    "tut_request_body",
    "tut_query_validations",
    "tut_path_validations",
    "tut_header_cookie",
    "tut_param_models",
    "tut_body_multiple",
    "tut_body_fields",
    "tut_nested_models",
    "tut_schema_examples",
    "tut_extra_types",
    "tut_response_model",
    "tut_status_codes",
    "tut_forms_files",
    "tut_handling_errors",
    "tut_operation_config",
    "tut_body_updates",
    "tut_dependencies",
    "tut_dependencies_global",
    "tut_scopes",
    "tut_http_basic",
    "tut_middleware",
    "tut_bigger_apps",
    "tut_background_tasks",
    "tut_metadata",
    "tut_lax_strict",
    "tut_streams",
    "tut_lifespan",
];

/// Where a score line is also written, one file per score (`conformance`,
/// `openapi`): the test command reads them after its workspace run instead of
/// running the conformance tests a second time to print them.
pub const SCORE_DIR_ENV: &str = "CONFORMANCE_SCORE_DIR";

/// Prints a score line, `name: counts`, and, when [`SCORE_DIR_ENV`] names
/// a directory, writes it there as `name`.
pub fn score(name: &str, counts: &str) {
    let line = format!("{name}: {counts}");
    println!("{line}");
    if let Some(dir) = std::env::var_os(SCORE_DIR_ENV) {
        let path = std::path::Path::new(&dir).join(name);
        if let Err(e) = std::fs::write(&path, format!("{line}\n")) {
            panic!("cannot write the score to {}: {e}", path.display());
        }
    }
}

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
        "layers" => apps::layers::app(),
        "unset" => apps::unset::app(),
        "urls" => apps::urls::app(),
        "validators" => apps::validators::app(),
        "options" => apps::options::app(),
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
        "fuzz_types" => apps::fuzz_types::app(),
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
        "body_multiple" => g::body_multiple::app().into_router(),
        "body_fields" => g::body_fields::app().into_router(),
        "nested_models" => g::nested_models::app().into_router(),
        "schema_examples" => g::schema_examples::app().into_router(),
        "extra_types" => g::extra_types::app().into_router(),
        "response_model" => g::response_model::app().into_router(),
        "status_codes" => g::status_codes::app().into_router(),
        "forms_files" => g::forms_files::app().into_router(),
        "handling_errors" => g::handling_errors::app().into_router(),
        "operation_config" => g::operation_config::app().into_router(),
        "body_updates" => g::body_updates::app().into_router(),
        "dependencies" => g::dependencies::app().into_router(),
        "dependencies_global" => g::dependencies_global::app().into_router(),
        "scopes" => g::scopes::app().into_router(),
        "http_basic" => g::http_basic::app().into_router(),
        "middleware" => g::middleware::app().into_router(),
        "bigger_apps" => g::bigger_apps::app().into_router(),
        "background_tasks" => g::background_tasks::app().into_router(),
        "metadata" => g::metadata::app().into_router(),
        "lax_strict" => g::lax_strict::app().into_router(),
        "streams" => g::streams::app().into_router(),
        "lifespan" => g::lifespan::app().into_router(),
        _ => return None,
    })
}
