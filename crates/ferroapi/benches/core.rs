//! The core benchmark: one validated request (path + query + JSON body with
//! constraints) through the in-process service, ferroapi against the same
//! endpoint written by hand in plain axum. Both include building the request
//! and collecting the response body.
//!
//! Run: `cargo bench -p ferroapi --bench core`.

use criterion::{criterion_group, criterion_main, Criterion};
use ferroapi::axum::{self, body::Body};
use ferroapi::http::{Request, StatusCode};
use garde::Validate;
use http_body_util::BodyExt;
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

#[derive(Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
struct Item {
    #[garde(length(chars, min = 1, max = 50))]
    name: String,
    #[garde(range(min = 0.0))]
    price: f64,
    #[serde(default)]
    #[garde(range(min = 0, max = 1000))]
    count: i64,
    #[serde(default)]
    #[garde(length(max = 10))]
    tags: Vec<String>,
}

#[derive(Serialize, schemars::JsonSchema)]
struct Created {
    id: u32,
    q: Option<String>,
    name: String,
    total: f64,
}

mod ferro {
    use super::*;
    use ferroapi::{post, App, Json, Path, Query};

    #[post("/items/{item_id}")]
    async fn create(
        item_id: Path<u32>,
        #[param(max_length = 50)] q: Query<Option<String>>,
        item: Json<Item>,
    ) -> Json<Created> {
        let item = item.0;
        Json(Created {
            id: item_id.0,
            q: q.0,
            total: item.price * item.count as f64,
            name: item.name,
        })
    }

    pub fn router() -> axum::Router {
        App::new().route(create).into_router()
    }
}

mod plain {
    use super::*;
    use axum::extract::{Path, Query};
    use axum::Json;

    #[derive(Deserialize)]
    pub struct Params {
        q: Option<String>,
    }

    async fn create(
        Path(item_id): Path<u32>,
        Query(params): Query<Params>,
        Json(item): Json<Item>,
    ) -> Result<Json<Created>, StatusCode> {
        if params.q.as_ref().is_some_and(|q| q.chars().count() > 50) {
            return Err(StatusCode::UNPROCESSABLE_ENTITY);
        }
        item.validate()
            .map_err(|_| StatusCode::UNPROCESSABLE_ENTITY)?;
        Ok(Json(Created {
            id: item_id,
            q: params.q,
            total: item.price * item.count as f64,
            name: item.name,
        }))
    }

    pub fn router() -> axum::Router {
        axum::Router::new().route("/items/{item_id}", axum::routing::post(create))
    }
}

const BODY: &str = r#"{"name":"Widget","price":9.5,"count":3,"tags":["a","b"]}"#;

async fn one(router: &axum::Router) -> usize {
    let req = Request::builder()
        .method("POST")
        .uri("/items/42?q=hello")
        .header("content-type", "application/json")
        .body(Body::from(BODY))
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.into_body().collect().await.unwrap().to_bytes().len()
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let ferro = ferro::router();
    let plain = plain::router();
    // Same answer from both, or the comparison means nothing.
    assert_eq!(rt.block_on(one(&ferro)), rt.block_on(one(&plain)));

    let mut g = c.benchmark_group("validated_request");
    g.bench_function("ferroapi", |b| b.to_async(&rt).iter(|| one(&ferro)));
    g.bench_function("plain_axum", |b| b.to_async(&rt).iter(|| one(&plain)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
