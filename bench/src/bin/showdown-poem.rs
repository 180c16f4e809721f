//! The showdown's endpoints in poem-openapi 5, the FastAPI-like Rust peer:
//! typed parameters with validators, objects, a bearer security scheme.
//! Its parse and validation errors are 400 by default; they are mapped to
//! 422 here so that every implementation answers the same status.
#![forbid(unsafe_code)]

use std::sync::Arc;

use ferroapi_bench::db::{self, Row};
use ferroapi_bench::{catalogue, derive_key, Product, Verifier};
use poem::http::StatusCode;
use poem::listener::TcpListener;
use poem::{EndpointExt, IntoResponse, Request, Response, Route, Server};
use poem_openapi::auth::Bearer;
use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Json, PlainText};
use poem_openapi::{ApiResponse, Object, OpenApi, OpenApiService, SecurityScheme};
use serde_json::{json, Value};
use sqlx::SqlitePool;

#[derive(Object)]
struct ItemOut {
    item_id: i64,
    q: Option<String>,
    limit: i64,
}

#[derive(Object)]
struct Line {
    #[oai(validator(pattern = r"^[A-Z]{3}-\d{4}$"))]
    sku: String,
    #[oai(validator(minimum(value = "1"), maximum(value = "1000")))]
    quantity: i64,
    #[oai(validator(minimum(value = "0", exclusive)))]
    unit_price: f64,
}

#[derive(Object)]
struct Order {
    #[oai(validator(min_length = 1, max_length = 50))]
    customer: String,
    #[oai(validator(min_items = 1, max_items = 50))]
    lines: Vec<Line>,
    #[oai(validator(max_length = 16))]
    coupon: Option<String>,
}

#[derive(Object)]
struct Receipt {
    customer: String,
    lines: u64,
    total: f64,
}

#[derive(Object)]
struct Me {
    sub: String,
}

#[derive(Object)]
struct Cpu {
    word: String,
    digest: String,
}

#[derive(SecurityScheme)]
#[oai(ty = "bearer", checker = "check_token")]
struct User(String);

async fn check_token(req: &Request, bearer: Bearer) -> Option<String> {
    req.data::<Arc<Verifier>>()?.subject(&bearer.token)
}

#[derive(ApiResponse)]
enum RowsResponse {
    #[oai(status = 200)]
    Ok(Json<Vec<Row>>),
    #[oai(status = 503)]
    Unavailable(PlainText<String>),
}

struct Api {
    products: Arc<Vec<Product>>,
    pool: SqlitePool,
}

fn ten() -> i64 {
    10
}

#[OpenApi]
impl Api {
    #[oai(path = "/plaintext", method = "get")]
    async fn plaintext(&self) -> PlainText<&'static str> {
        PlainText("Hello, World!")
    }

    #[oai(path = "/json", method = "get")]
    async fn hello_json(&self) -> Json<Value> {
        Json(json!({ "message": "Hello, World!" }))
    }

    #[oai(path = "/items/:item_id", method = "get")]
    async fn read_item(
        &self,
        #[oai(validator(minimum(value = "1")))] item_id: Path<i64>,
        #[oai(validator(max_length = 20))] q: Query<Option<String>>,
        #[oai(
            default = "ten",
            validator(minimum(value = "1"), maximum(value = "100"))
        )]
        limit: Query<i64>,
    ) -> Json<ItemOut> {
        Json(ItemOut {
            item_id: item_id.0,
            q: q.0,
            limit: limit.0,
        })
    }

    #[oai(path = "/orders", method = "post")]
    async fn create_order(&self, order: Json<Order>) -> Json<Receipt> {
        let order = order.0;
        let total =
            ferroapi_bench::order_total(order.lines.iter().map(|l| (l.quantity, l.unit_price)));
        Json(Receipt {
            customer: order.customer,
            lines: order.lines.len() as u64,
            total,
        })
    }

    #[oai(path = "/large", method = "get")]
    async fn large(&self) -> Json<Arc<Vec<Product>>> {
        Json(self.products.clone())
    }

    #[oai(path = "/me", method = "get")]
    async fn me(&self, user: User) -> Json<Me> {
        Json(Me { sub: user.0 })
    }

    #[oai(path = "/rows", method = "get")]
    async fn rows(
        &self,
        #[oai(validator(minimum(value = "1"), maximum(value = "9981")))] start: Query<i64>,
    ) -> RowsResponse {
        match db::rows(&self.pool, start.0).await {
            Ok(rows) => RowsResponse::Ok(Json(rows)),
            Err(e) => RowsResponse::Unavailable(PlainText(e.to_string())),
        }
    }

    #[oai(path = "/cpu/:word", method = "get")]
    async fn cpu(&self, word: Path<String>) -> poem::Result<Json<Cpu>> {
        let word = word.0;
        let (word, digest) = tokio::task::spawn_blocking(move || {
            let digest = derive_key(&word);
            (word, digest)
        })
        .await
        .map_err(|e| poem::Error::from_string(e.to_string(), StatusCode::INTERNAL_SERVER_ERROR))?;
        Ok(Json(Cpu { word, digest }))
    }
}

/// poem-openapi answers bad input with 400 and a text body; the contract says 422.
async fn to_unprocessable(err: poem::Error) -> Response {
    let status = match err.status() {
        StatusCode::BAD_REQUEST => StatusCode::UNPROCESSABLE_ENTITY,
        other => other,
    };
    let body = ferroapi_bench::detail_body(status.as_u16(), err.to_string().into());
    Json(body).with_status(status).into_response()
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let api = Api {
        products: Arc::new(catalogue()),
        pool: db::open(&db::path()).await?,
    };
    let service = OpenApiService::new(api, "showdown", "0.1.0");
    let app = Route::new()
        .nest("/", service)
        .data(Arc::new(Verifier::default()))
        .catch_all_error(to_unprocessable);
    Server::new(TcpListener::bind(ferroapi_bench::addr()))
        .run(app)
        .await?;
    Ok(())
}
