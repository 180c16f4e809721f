//! The flagship: the Full Stack FastAPI Template's backend contract on
//! ferroapi. `app(state)` is the whole API; `main.rs` reads the settings,
//! opens (and migrates) the database, seeds the first superuser and serves.
//!
//! The layout follows the template's: `routes/` holds one module per router
//! (login, users, utils, items, private), `deps` the current-user
//! dependencies, `models` the API bodies, `db` the queries, `security` the
//! hashes and tokens, `email` the mails.
#![forbid(unsafe_code)]

pub mod config;
pub mod db;
pub mod deps;
pub mod email;
pub mod hashing;
pub mod models;
pub mod routes;
pub mod security;
pub mod throttle;

use std::sync::Arc;

use ferroapi::axum::response::IntoResponse;
use ferroapi::middleware::Cors;
use ferroapi::{App, HTTPException};

use crate::config::Settings;
use crate::db::{Db, DbError, UserRow};

/// The API prefix.
pub const API_V1: &str = "/api/v1";

/// What every request can reach.
#[derive(Debug, Clone)]
pub struct AppState {
    /// The settings.
    pub settings: Arc<Settings>,
    /// The database.
    pub db: Db,
}

/// A route's failure: FastAPI's `HTTPException`, or an unexpected error that
/// answers FastAPI's plain 500 (and is logged).
#[derive(Debug)]
pub enum ApiError {
    /// An `HTTPException`.
    Http(HTTPException),
    /// A 422 decided by the route itself.
    Validation(ferroapi::RequestValidationError),
    /// Anything else.
    Internal(String),
}

impl From<HTTPException> for ApiError {
    fn from(e: HTTPException) -> Self {
        ApiError::Http(e)
    }
}

impl From<DbError> for ApiError {
    fn from(e: DbError) -> Self {
        match &e {
            // Down, unreachable or out of connections: say so promptly.
            DbError::Sqlx(
                sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::Protocol(_),
            ) => {
                tracing::warn!(error = %e, "database unavailable");
                unavailable()
            }
            // Text PostgreSQL cannot hold (every input path refuses NUL
            // first; this keeps any other such input a 4xx).
            DbError::Sqlx(sqlx::Error::Database(d))
                if matches!(d.code().as_deref(), Some("22021" | "22P05")) =>
            {
                http(400, "Invalid characters in input")
            }
            _ => ApiError::Internal(e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> ferroapi::axum::response::Response {
        match self {
            ApiError::Http(e) => e.into_response(),
            ApiError::Validation(e) => e.into_response(),
            ApiError::Internal(e) => {
                tracing::error!(error = %e, "request failed");
                ferroapi::internal_server_error()
            }
        }
    }
}

/// A 422 for a body field sent as `null` that cannot be stored empty
/// (pydantic's words for a null where a string is expected).
pub fn null_field(field: &'static str) -> ApiError {
    use ferroapi::validation::{kinds, PyValue};
    field_error(&["body", field], kinds::string_type(), PyValue::Null)
}

/// A 422 with one pydantic item at `loc`.
fn field_error(
    loc: &[&str],
    kind: ferroapi::validation::Kind,
    input: ferroapi::validation::PyValue,
) -> ApiError {
    use ferroapi::validation::{ErrorItem, LocPart};
    let loc = loc.iter().map(|p| LocPart::from(p.to_string())).collect();
    let item = ErrorItem::from_kind(kind, loc, input);
    ApiError::Validation(ferroapi::RequestValidationError::new(vec![item]))
}

/// The message of a string refused for holding a NUL character.
pub const NUL_MESSAGE: &str = "NUL characters are not allowed";

/// A 422 for a string parameter holding a NUL character, which PostgreSQL
/// cannot store (pydantic accepts it, FastAPI then answers 500;
/// DEVIATIONS.md): pydantic's `value_error` shape at `loc`.
pub fn refuse_nul(loc: &[&str], value: &str) -> Result<(), ApiError> {
    use ferroapi::validation::{kinds, PyValue};
    if !value.contains('\0') {
        return Ok(());
    }
    Err(field_error(
        loc,
        kinds::value_error(NUL_MESSAGE),
        PyValue::Str(value.to_string()),
    ))
}

/// The answer while the database cannot be reached (or the server is
/// saturated): a prompt 503 that asks the client to come back.
pub fn unavailable() -> ApiError {
    ApiError::Http(HTTPException::new(503, "Service Unavailable").header("retry-after", "1"))
}

/// `HTTPException(status, detail)` as an `ApiError`.
pub fn http(status: u16, detail: &str) -> ApiError {
    ApiError::Http(HTTPException::new(status, detail))
}

/// A user as the API shows it.
pub fn public_user(u: UserRow) -> models::UserPublic {
    models::UserPublic {
        email: ferroapi::EmailStr::parse(&u.email)
            .unwrap_or_else(|_| ferroapi::EmailStr::parse("invalid@example.com").expect("valid")),
        is_active: u.is_active,
        is_superuser: u.is_superuser,
        full_name: u.full_name,
        id: u.id,
        created_at: u.created_at,
    }
}

/// The whole API, ready to serve or to test.
pub fn app(state: AppState) -> App<AppState> {
    let settings = state.settings.clone();
    // The timing guard's hash, computed once now rather than on a request.
    let _ = security::dummy_hash();
    let mut app = App::with_state(state)
        // A signup whose client navigates away still completes, as under uvicorn.
        .finish_on_disconnect(true)
        // Request spans with an `x-request-id` and a `trace_id`; a log line
        // an answer (RUST_LOG=info,tower_http=warn leaves those out).
        .tracing()
        .title(&settings.project_name)
        .version("0.1.0")
        .openapi_url(Some(&format!("{API_V1}/openapi.json")))
        // The template's rule: `{first tag}-{function name}`.
        .generate_operation_id(|meta, _path, _method| {
            format!(
                "{}-{}",
                meta.tags.first().map(String::as_str).unwrap_or("default"),
                meta.name
            )
        })
        .cors(
            Cors::new()
                .allow_origins([settings.frontend_host.clone()])
                .allow_credentials(true)
                .allow_methods(["*"])
                .allow_headers(["*"]),
        )
        .include_router(routes::api_router(settings.development));
    if let Some(dir) = &settings.frontend_dir {
        app = app.spa(dir);
    }
    if let Some(path) = &settings.metrics_path {
        app = app.metrics(path);
    }
    // OpenTelemetry traces when an OTLP endpoint is named, as
    // `opentelemetry-instrument` would export them.
    if settings.otlp_endpoint {
        app = app.opentelemetry();
    }
    app
}

/// Creates the first superuser from the settings when no user has that
/// email (the template's `initial_data.py`). Safe when several replicas
/// start at once: the email is unique, and the one that loses the race
/// finds the user made.
pub async fn seed_first_superuser(db: &Db, settings: &Settings) -> Result<(), DbError> {
    if db.user_by_email(&settings.first_superuser).await?.is_none() {
        // Start-up waits for a hashing place rather than be refused.
        let mut tries = 0;
        let row = loop {
            match routes::users::new_user(
                settings.first_superuser.clone(),
                &settings.first_superuser_password,
                None,
                true,
                true,
            )
            .await
            {
                Ok(row) => break row,
                Err(_) if tries < 300 => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(_) => return Err(DbError::Decode("no hashing place at start-up".into())),
            }
        };
        match db.insert_user(&row).await {
            Ok(()) => tracing::info!(email = %row.email, "first superuser created"),
            // Replicas started together: another one created it first.
            Err(DbError::Conflict) => {
                tracing::info!(email = %row.email, "first superuser created by another replica")
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
