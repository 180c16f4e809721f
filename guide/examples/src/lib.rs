//! The guide's programs. Each module is one chapter of `guide/`: the chapter
//! includes its snippets from here (between `ANCHOR` comments), so every line
//! of Rust the guide shows is compiled and tested. Where the chapter shows a
//! FastAPI app (`guide/python/tut_*.py`), `conformance/` records FastAPI's
//! answers and document and compares this module's `app()` with them.
#![forbid(unsafe_code)]
#![allow(missing_docs)]

pub mod background_tasks;
pub mod bigger_apps;
pub mod body_fields;
pub mod body_multiple;
pub mod body_updates;
pub mod custom_responses;
pub mod dependencies;
pub mod dependencies_global;
pub mod dependencies_yield;
pub mod deployment;
pub mod extra_types;
pub mod first_steps;
pub mod forms_files;
pub mod handling_errors;
pub mod header_cookie;
pub mod http_basic;
pub mod lax_strict;
pub mod lifespan;
pub mod metadata;
pub mod middleware;
pub mod nested_models;
pub mod operation_config;
pub mod param_models;
pub mod path_params;
pub mod path_validations;
pub mod query_params;
pub mod query_validations;
pub mod request_body;
pub mod response_model;
pub mod schema_examples;
pub mod scopes;
pub mod security;
pub mod settings;
pub mod sql_databases;
pub mod static_files;
pub mod status_codes;
pub mod streams;
pub mod telemetry;
pub mod testing;
pub mod websockets;

/// What the chapters' tests read from a 422: one field of each error, in order.
#[cfg(test)]
pub(crate) fn each_error(res: &ferroapi::TestResponse, field: &str) -> Vec<serde_json::Value> {
    res.json()["detail"]
        .as_array()
        .map(|errors| errors.iter().map(|e| e[field].clone()).collect())
        .unwrap_or_default()
}
