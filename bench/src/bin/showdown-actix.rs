//! The showdown's endpoints in actix-web 4: serde + garde, errors mapped to
//! 422 / 401 with a `detail` by hand, `web::block` for CPU work, one worker
//! per core.
#![forbid(unsafe_code)]

use actix_web::error::InternalError;
use actix_web::http::header;
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer, Responder};
use ferroapi_bench::db;
use ferroapi_bench::plain::{ItemOut, ItemQuery, Order};
use ferroapi_bench::{catalogue, derive_key, Product, Verifier, MAX_START};
use garde::Validate;
use serde::Deserialize;
use serde_json::json;
use sqlx::SqlitePool;

struct AppState {
    products: Vec<Product>,
    verifier: Verifier,
    pool: SqlitePool,
}

fn unprocessable(msg: impl ToString) -> HttpResponse {
    HttpResponse::UnprocessableEntity()
        .json(ferroapi_bench::detail_body(422, msg.to_string().into()))
}

fn unauthorized(msg: &str) -> HttpResponse {
    HttpResponse::Unauthorized()
        .insert_header((header::WWW_AUTHENTICATE, "Bearer"))
        .json(json!({ "detail": msg }))
}

async fn plaintext() -> impl Responder {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("Hello, World!")
}

async fn hello_json() -> impl Responder {
    HttpResponse::Ok().json(json!({ "message": "Hello, World!" }))
}

async fn read_item(item_id: web::Path<i64>, query: web::Query<ItemQuery>) -> HttpResponse {
    let item_id = item_id.into_inner();
    if item_id < 1 {
        return unprocessable("item_id must be at least 1");
    }
    let query = query.into_inner();
    if let Err(e) = query.validate() {
        return unprocessable(e);
    }
    HttpResponse::Ok().json(ItemOut {
        item_id,
        q: query.q,
        limit: query.limit,
    })
}

async fn create_order(order: web::Json<Order>) -> HttpResponse {
    let order = order.into_inner();
    if let Err(e) = order.validate() {
        return unprocessable(e);
    }
    HttpResponse::Ok().json(order.receipt())
}

async fn large(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(&state.products)
}

async fn me(state: web::Data<AppState>, req: HttpRequest) -> HttpResponse {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, token) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then_some(token)
        });
    let Some(token) = token else {
        return unauthorized("Not authenticated");
    };
    match state.verifier.subject(token) {
        Some(sub) => HttpResponse::Ok().json(json!({ "sub": sub })),
        None => unauthorized("Could not validate credentials"),
    }
}

#[derive(Deserialize)]
struct RowsQuery {
    start: i64,
}

async fn rows(state: web::Data<AppState>, query: web::Query<RowsQuery>) -> HttpResponse {
    let start = query.start;
    if !(1..=MAX_START).contains(&start) {
        return unprocessable(format!("start must be in 1..={MAX_START}"));
    }
    match db::rows(&state.pool, start).await {
        Ok(rows) => HttpResponse::Ok().json(rows),
        Err(e) => HttpResponse::ServiceUnavailable().json(json!({ "detail": e.to_string() })),
    }
}

async fn cpu(word: web::Path<String>) -> HttpResponse {
    let word = word.into_inner();
    match web::block(move || {
        let digest = derive_key(&word);
        (word, digest)
    })
    .await
    {
        Ok((word, digest)) => HttpResponse::Ok().json(json!({ "word": word, "digest": digest })),
        Err(e) => HttpResponse::InternalServerError().body(e.to_string()),
    }
}

#[actix_web::main]
async fn main() -> std::io::Result<()> {
    let pool = db::open(&db::path()).await.map_err(std::io::Error::other)?;
    let state = web::Data::new(AppState {
        products: catalogue(),
        verifier: Verifier::default(),
        pool,
    });
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(
                web::JsonConfig::default().error_handler(|e, _| {
                    InternalError::from_response("", unprocessable(&e)).into()
                }),
            )
            .app_data(
                web::QueryConfig::default().error_handler(|e, _| {
                    InternalError::from_response("", unprocessable(&e)).into()
                }),
            )
            .app_data(
                web::PathConfig::default().error_handler(|e, _| {
                    InternalError::from_response("", unprocessable(&e)).into()
                }),
            )
            .route("/plaintext", web::get().to(plaintext))
            .route("/json", web::get().to(hello_json))
            .route("/items/{item_id}", web::get().to(read_item))
            .route("/orders", web::post().to(create_order))
            .route("/large", web::get().to(large))
            .route("/me", web::get().to(me))
            .route("/rows", web::get().to(rows))
            .route("/cpu/{word}", web::get().to(cpu))
    })
    .workers(workers)
    .bind(ferroapi_bench::addr())?
    .run()
    .await
}
