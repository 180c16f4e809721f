//! The guide's programs. Each module is one chapter of `guide/`: the chapter
//! includes its snippets from here (between `ANCHOR` comments), so every line
//! of Rust the guide shows is compiled and tested. Where the chapter shows a
//! FastAPI app (`guide/python/tut_*.py`), `conformance/` records FastAPI's
//! answers and document and compares this module's `app()` with them.
#![forbid(unsafe_code)]
#![allow(missing_docs)]

pub mod first_steps;
pub mod header_cookie;
pub mod param_models;
pub mod path_params;
pub mod path_validations;
pub mod query_params;
pub mod query_validations;
pub mod request_body;
