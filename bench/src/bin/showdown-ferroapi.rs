//! The showdown's endpoints in ferroapi: the FastAPI app (`fastapi/app.py`)
//! ported line by line — same parameters, same models, same error bodies.
#![forbid(unsafe_code)]

use std::sync::Arc;

use ferroapi::security::{OAuth2Config, OAuth2PasswordBearer};
use ferroapi::{
    dependency, get, post, App, Depends, HTTPException, Json, Path, PlainText, Query, State,
};
use ferroapi_bench::db::{self, Row};
use ferroapi_bench::{catalogue, derive_key, Product, Verifier, MAX_START};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::SqlitePool;

#[derive(Clone)]
struct AppState {
    products: Arc<Vec<Product>>,
    verifier: Arc<Verifier>,
    pool: SqlitePool,
}

#[get("/plaintext")]
async fn plaintext() -> PlainText<&'static str> {
    PlainText("Hello, World!")
}

#[get("/json")]
async fn hello_json() -> Json<Value> {
    Json(json!({ "message": "Hello, World!" }))
}

#[derive(Serialize, schemars::JsonSchema)]
struct ItemOut {
    item_id: i64,
    q: Option<String>,
    limit: i64,
}

#[get("/items/{item_id}")]
async fn read_item(
    #[param(ge = 1)] item_id: Path<i64>,
    #[param(max_length = 20)] q: Query<Option<String>>,
    #[param(default = 10, ge = 1, le = 100)] limit: Query<i64>,
) -> Json<ItemOut> {
    Json(ItemOut {
        item_id: *item_id,
        q: q.0,
        limit: *limit,
    })
}

#[derive(Deserialize, schemars::JsonSchema, garde::Validate)]
struct Line {
    #[garde(pattern(r"^[A-Z]{3}-\d{4}$"))]
    sku: String,
    #[garde(range(min = 1, max = 1000))]
    quantity: i64,
    #[garde(custom(ferroapi::rules::gt(0.0)))]
    #[schemars(extend("exclusiveMinimum" = 0.0))]
    unit_price: f64,
}

#[derive(Deserialize, schemars::JsonSchema, garde::Validate)]
struct Order {
    #[garde(length(chars, min = 1, max = 50))]
    customer: String,
    #[garde(length(min = 1, max = 50), dive)]
    lines: Vec<Line>,
    #[serde(default)]
    #[garde(length(chars, max = 16))]
    coupon: Option<String>,
}

#[derive(Serialize, schemars::JsonSchema)]
struct Receipt {
    customer: String,
    lines: usize,
    total: f64,
}

#[post("/orders")]
async fn create_order(order: Json<Order>) -> Json<Receipt> {
    let order = order.0;
    let total = ferroapi_bench::order_total(order.lines.iter().map(|l| (l.quantity, l.unit_price)));
    Json(Receipt {
        customer: order.customer,
        lines: order.lines.len(),
        total,
    })
}

#[get("/large")]
async fn large(State(state): State<AppState>) -> Json<Arc<Vec<Product>>> {
    Json(state.products.clone())
}

struct Token;
impl OAuth2Config for Token {
    const TOKEN_URL: &'static str = "token";
}

#[dependency]
async fn current_user(
    State(state): State<AppState>,
    token: OAuth2PasswordBearer<Token>,
) -> Result<String, HTTPException> {
    state.verifier.subject(token.token()).ok_or_else(|| {
        HTTPException::new(401, "Could not validate credentials")
            .header("WWW-Authenticate", "Bearer")
    })
}

#[get("/me")]
async fn me(Depends(sub): Depends<current_user>) -> Json<Value> {
    Json(json!({ "sub": sub }))
}

// `le` is a literal (it goes into the document as written): `MAX_START`.
const _: () = assert!(MAX_START == 9981);

#[get("/rows")]
async fn rows(
    State(state): State<AppState>,
    #[param(ge = 1, le = 9981)] start: Query<i64>,
) -> Result<Json<Vec<Row>>, HTTPException> {
    db::rows(&state.pool, *start)
        .await
        .map(Json)
        .map_err(|e| HTTPException::new(503, e.to_string()))
}

/// A plain `fn`: ferroapi runs it on the blocking pool, as FastAPI runs a
/// `def` endpoint in its threadpool — the event loop stays free.
#[get("/cpu/{word}")]
fn cpu(word: Path<String>) -> Json<Value> {
    let digest = derive_key(&word);
    Json(json!({ "word": word.0, "digest": digest }))
}

#[tokio::main]
pub async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let state = AppState {
        products: Arc::new(catalogue()),
        verifier: Arc::new(Verifier::default()),
        pool: db::open(&db::path()).await?,
    };
    let mut app = App::with_state(state)
        .title("showdown")
        .route(plaintext)
        .route(hello_json)
        .route(read_item)
        .route(create_order)
        .route(large)
        .route(me)
        .route(rows)
        .route(cpu);
    // Off, as the FastAPI app has none; on to measure what metrics cost
    // (bench/README, "What telemetry costs").
    if std::env::var_os("SHOWDOWN_METRICS").is_some() {
        app = app.metrics("/metrics");
    }
    app.serve(&ferroapi_bench::addr().to_string()).await?;
    Ok(())
}
