//! The showdown's endpoints in hand-written axum: what a Rust team writes
//! without a framework on top — serde + garde, errors mapped by hand to 422 /
//! 401 with a `detail`, the blocking pool for CPU work.
#![forbid(unsafe_code)]

use std::sync::Arc;

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use ferroapi_bench::db::{self, Row};
use ferroapi_bench::plain::{ItemOut, ItemQuery, Order, Receipt};
use ferroapi_bench::{catalogue, derive_key, Product, Verifier, MAX_START};
use garde::Validate;
use serde::Deserialize;
use serde_json::json;
use sqlx::SqlitePool;

#[derive(Clone)]
struct AppState {
    products: Arc<Vec<Product>>,
    verifier: Arc<Verifier>,
    pool: SqlitePool,
}

/// An error answer: a status and FastAPI's `{"detail": ...}`.
struct ApiError(StatusCode, serde_json::Value);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ferroapi_bench::detail_body(self.0.as_u16(), self.1);
        let mut res = (self.0, Json(body)).into_response();
        if self.0 == StatusCode::UNAUTHORIZED {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, "Bearer".parse().expect("static"));
        }
        res
    }
}

fn invalid(msg: impl ToString) -> ApiError {
    ApiError(
        StatusCode::UNPROCESSABLE_ENTITY,
        serde_json::Value::String(msg.to_string()),
    )
}

impl From<JsonRejection> for ApiError {
    fn from(e: JsonRejection) -> Self {
        invalid(e.body_text())
    }
}
impl From<QueryRejection> for ApiError {
    fn from(e: QueryRejection) -> Self {
        invalid(e.body_text())
    }
}
impl From<PathRejection> for ApiError {
    fn from(e: PathRejection) -> Self {
        invalid(e.body_text())
    }
}
impl From<garde::Report> for ApiError {
    fn from(e: garde::Report) -> Self {
        invalid(e)
    }
}

async fn plaintext() -> &'static str {
    "Hello, World!"
}

async fn hello_json() -> Json<serde_json::Value> {
    Json(json!({ "message": "Hello, World!" }))
}

async fn read_item(
    item_id: Result<Path<i64>, PathRejection>,
    query: Result<Query<ItemQuery>, QueryRejection>,
) -> Result<Json<ItemOut>, ApiError> {
    let Path(item_id) = item_id?;
    if item_id < 1 {
        return Err(invalid("item_id must be at least 1"));
    }
    let Query(query) = query?;
    query.validate()?;
    Ok(Json(ItemOut {
        item_id,
        q: query.q,
        limit: query.limit,
    }))
}

async fn create_order(
    order: Result<Json<Order>, JsonRejection>,
) -> Result<Json<Receipt>, ApiError> {
    let Json(order) = order?;
    order.validate()?;
    Ok(Json(order.receipt()))
}

async fn large(State(state): State<AppState>) -> Json<Arc<Vec<Product>>> {
    Json(state.products.clone())
}

async fn me(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    let unauthorized = |msg: &str| ApiError(StatusCode::UNAUTHORIZED, json!(msg));
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(token)
        })
        .ok_or_else(|| unauthorized("Not authenticated"))?;
    let sub = state
        .verifier
        .subject(token)
        .ok_or_else(|| unauthorized("Could not validate credentials"))?;
    Ok(Json(json!({ "sub": sub })).into_response())
}

#[derive(Deserialize)]
struct RowsQuery {
    start: i64,
}

async fn rows(
    State(state): State<AppState>,
    query: Result<Query<RowsQuery>, QueryRejection>,
) -> Result<Json<Vec<Row>>, ApiError> {
    let Query(RowsQuery { start }) = query?;
    if !(1..=MAX_START).contains(&start) {
        return Err(invalid(format!("start must be in 1..={MAX_START}")));
    }
    db::rows(&state.pool, start)
        .await
        .map(Json)
        .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, json!(e.to_string())))
}

async fn cpu(Path(word): Path<String>) -> Result<Json<serde_json::Value>, ApiError> {
    let (word, digest) = tokio::task::spawn_blocking(move || {
        let digest = derive_key(&word);
        (word, digest)
    })
    .await
    .map_err(|e| ApiError(StatusCode::INTERNAL_SERVER_ERROR, json!(e.to_string())))?;
    Ok(Json(json!({ "word": word, "digest": digest })))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let state = AppState {
        products: Arc::new(catalogue()),
        verifier: Arc::new(Verifier::default()),
        pool: db::open(&db::path()).await?,
    };
    let app = Router::new()
        .route("/plaintext", get(plaintext))
        .route("/json", get(hello_json))
        .route("/items/{item_id}", get(read_item))
        .route("/orders", post(create_order))
        .route("/large", get(large))
        .route("/me", get(me))
        .route("/rows", get(rows))
        .route("/cpu/{word}", get(cpu))
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(ferroapi_bench::addr()).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
