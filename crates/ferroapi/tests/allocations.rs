//! Heap allocations per request, ferroapi against the same endpoint written
//! by hand in plain axum, in-process (no socket): the counting allocator is
//! `dhat`'s, in this test binary only. Prints the table, and holds ferroapi to
//! a budget per request so that a new per-request allocation shows up as a
//! failing test rather than a slower benchmark months later.
//!
//! `cargo test -p ferroapi --test allocations -- --nocapture` prints the figures.

use ferroapi::axum::{self, body::Body};
use ferroapi::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

#[derive(Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
struct Line {
    #[garde(length(chars, min = 1, max = 50))]
    sku: String,
    #[garde(range(min = 1, max = 1000))]
    quantity: i64,
}

#[derive(Serialize, schemars::JsonSchema)]
struct ItemOut {
    item_id: i64,
    q: Option<String>,
    limit: i64,
}

mod ferro {
    use super::*;
    use ferroapi::{get, post, App, Json, Path, PlainText, Query};

    #[get("/plaintext")]
    async fn plaintext() -> PlainText<&'static str> {
        PlainText("Hello, World!")
    }

    #[get("/json")]
    async fn hello() -> Json<serde_json::Value> {
        Json(serde_json::json!({"message": "Hello, World!"}))
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

    #[post("/lines")]
    async fn lines(line: Json<Line>) -> Json<i64> {
        Json(line.quantity)
    }

    pub fn router() -> axum::Router {
        App::new()
            .route(plaintext)
            .route(hello)
            .route(read_item)
            .route(lines)
            .into_router()
    }
}

mod plain {
    use super::*;
    use axum::extract::{Path, Query};
    use axum::routing::{get, post};
    use axum::Json;
    use garde::Validate;

    #[derive(Deserialize)]
    struct Params {
        q: Option<String>,
        limit: Option<i64>,
    }

    async fn read_item(
        Path(item_id): Path<i64>,
        Query(p): Query<Params>,
    ) -> Result<Json<ItemOut>, StatusCode> {
        let limit = p.limit.unwrap_or(10);
        let long = p.q.as_ref().is_some_and(|q| q.chars().count() > 20);
        if item_id < 1 || long || !(1..=100).contains(&limit) {
            return Err(StatusCode::UNPROCESSABLE_ENTITY);
        }
        Ok(Json(ItemOut {
            item_id,
            q: p.q,
            limit,
        }))
    }

    async fn lines(Json(line): Json<Line>) -> Result<Json<i64>, StatusCode> {
        line.validate()
            .map_err(|_| StatusCode::UNPROCESSABLE_ENTITY)?;
        Ok(Json(line.quantity))
    }

    pub fn router() -> axum::Router {
        axum::Router::new()
            .route("/plaintext", get(|| async { "Hello, World!" }))
            .route(
                "/json",
                get(|| async { Json(serde_json::json!({"message": "Hello, World!"})) }),
            )
            .route("/items/{item_id}", get(read_item))
            .route("/lines", post(lines))
    }
}

struct Case {
    name: &'static str,
    method: &'static str,
    uri: &'static str,
    body: Option<&'static str>,
    status: u16,
    /// ferroapi's allocations per request may not exceed this (measured, plus
    /// two for allocator-neutral dependency updates).
    budget: u64,
}

const CASES: &[Case] = &[
    Case {
        name: "plaintext",
        method: "GET",
        uri: "/plaintext",
        body: None,
        status: 200,
        budget: 15,
    },
    Case {
        name: "json",
        method: "GET",
        uri: "/json",
        body: None,
        status: 200,
        budget: 21,
    },
    Case {
        name: "path+query",
        method: "GET",
        uri: "/items/7?q=lamp&limit=5",
        body: None,
        status: 200,
        budget: 21,
    },
    Case {
        name: "body valid",
        method: "POST",
        uri: "/lines",
        body: Some(r#"{"sku":"ABC-1234","quantity":3}"#),
        status: 200,
        budget: 22,
    },
    Case {
        name: "body invalid (422)",
        method: "POST",
        uri: "/lines",
        body: Some(r#"{"sku":"","quantity":0}"#),
        status: 422,
        budget: 39,
    },
];

async fn one(router: &axum::Router, case: &Case) -> StatusCode {
    let mut req = Request::builder().method(case.method).uri(case.uri);
    if case.body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let req = req
        .body(case.body.map_or_else(Body::empty, Body::from))
        .expect("request");
    let res = router.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let _ = res.into_body().collect().await.expect("body");
    status
}

/// Allocations per request over `n` requests, after a warm-up.
async fn per_request(router: &axum::Router, case: &Case, n: u64) -> f64 {
    for _ in 0..10 {
        one(router, case).await;
    }
    let before = dhat::HeapStats::get().total_blocks;
    for _ in 0..n {
        one(router, case).await;
    }
    (dhat::HeapStats::get().total_blocks - before) as f64 / n as f64
}

#[test]
fn allocations_per_request() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (ferro, plain) = (ferro::router(), plain::router());
        println!("| request | ferroapi | axum (by hand) |\n|---|---:|---:|");
        let mut over = Vec::new();
        for case in CASES {
            assert_eq!(
                one(&ferro, case).await.as_u16(),
                case.status,
                "{}",
                case.name
            );
            let f = per_request(&ferro, case, 200).await;
            let p = per_request(&plain, case, 200).await;
            println!("| {} | {f:.1} | {p:.1} |", case.name);
            if f > case.budget as f64 {
                over.push(format!("{}: {f:.1} > {}", case.name, case.budget));
            }
        }
        assert!(
            over.is_empty(),
            "allocations per request over budget: {over:?}"
        );
    });
}
