//! Mirrors apps/dependencies.py.

use std::sync::Mutex;

use ferroapi::extract::Yield;
use ferroapi::{
    dependency, get, post, APIRouter, App, BackgroundTasks, Depends, Exit, HTTPException, Header,
    Json, Query,
};
use serde_json::{json, Value};

static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

#[dependency]
async fn paging(
    #[param(default = 0, ge = 0)] skip: Query<i64>,
    #[param(default = 10, gt = 0, le = 100)] limit: Query<i64>,
) -> (i64, i64) {
    (skip.0, limit.0)
}

#[dependency]
async fn token(x_token: Header<Option<String>>) -> Result<String, HTTPException> {
    match x_token.0 {
        Some(t) if t == "secret" => Ok(t),
        _ => Err(HTTPException::new(401, "Not authenticated").header("www-authenticate", "Bearer")),
    }
}

#[dependency]
async fn user(Depends(t): Depends<token>) -> String {
    format!("user-of-{t}")
}

#[dependency]
async fn verify_key(x_key: Header<String>) -> Result<(), HTTPException> {
    if x_key.0 == "k" {
        Ok(())
    } else {
        Err(HTTPException::new(400, "X-Key header invalid"))
    }
}

#[get("/items")]
async fn items(
    n: Query<i64>,
    Depends(p): Depends<paging>,
    Depends(u): Depends<user>,
) -> Json<Value> {
    Json(json!({"n": n.0, "skip": p.0, "limit": p.1, "user": u}))
}

#[get("/pages")]
async fn pages(Depends(p): Depends<paging>, q: Query<Option<String>>) -> Json<Value> {
    Json(json!({"skip": p.0, "limit": p.1, "q": q.0}))
}

#[get("/guarded", dependencies = [verify_key])]
async fn guarded() -> Json<Value> {
    Json(json!({"guarded": true}))
}

#[get("/admin")]
async fn admin(n: Query<i64>) -> Json<Value> {
    Json(json!({"n": n.0}))
}

#[post("/notify")]
async fn notify(
    tasks: BackgroundTasks,
    #[param(default = "ann".to_string())] who: Query<String>,
) -> Json<Value> {
    let who = who.0;
    tasks.add(async move {
        if let Ok(mut log) = LOG.lock() {
            log.push(format!("notified {who}"));
        }
    });
    Json(json!({"queued": true}))
}

fn log_push(s: &str) {
    if let Ok(mut log) = LOG.lock() {
        log.push(s.to_string());
    }
}

/// A `yield` dependency: set-up, then teardown after the response.
#[dependency]
async fn tracked() -> Yield<&'static str> {
    log_push("open");
    Yield::new("res", |exit: Exit| async move {
        if exit.is_error() {
            log_push("error");
        }
        log_push("close");
    })
}

#[get("/tracked")]
async fn tracked_ok(Depends(r): Depends<tracked>) -> Json<Value> {
    log_push("handler");
    Json(json!({"r": r}))
}

#[get("/tracked/fail")]
async fn tracked_fail(Depends(_r): Depends<tracked>) -> Result<Json<Value>, HTTPException> {
    log_push("handler");
    Err(HTTPException::new(409, "Conflict"))
}

#[get("/tracked/invalid")]
async fn tracked_invalid(n: Query<i64>, Depends(_r): Depends<tracked>) -> Json<Value> {
    log_push("handler");
    Json(json!({"n": n.0}))
}

#[get("/log")]
async fn log() -> Json<Value> {
    Json(json!(LOG.lock().map(|l| l.clone()).unwrap_or_default()))
}

/// A class-style dependency: the struct itself is `Depends<CommonQueryParams>`.
#[derive(Debug, Clone)]
pub struct CommonQueryParams {
    q: Option<String>,
    skip: i64,
    limit: i64,
}

#[dependency]
impl CommonQueryParams {
    fn new(
        q: Query<Option<String>>,
        #[param(default = 0, ge = 0)] skip: Query<i64>,
        #[param(default = 100)] limit: Query<i64>,
    ) -> Self {
        CommonQueryParams {
            q: q.0,
            skip: skip.0,
            limit: limit.0,
        }
    }
}

#[get("/class")]
async fn class_dep(commons: Depends<CommonQueryParams>) -> Json<Value> {
    Json(json!({"q": commons.q, "skip": commons.skip, "limit": commons.limit}))
}

static COUNTER: Mutex<i64> = Mutex::new(0);

/// A plain `fn` dependency: run on the blocking pool.
#[dependency]
fn counted() -> i64 {
    let mut n = COUNTER.lock().unwrap_or_else(|p| p.into_inner());
    *n += 1;
    *n
}

#[dependency]
async fn counted_again(
    first: Depends<counted>,
    #[param(use_cache = false)] again: Depends<counted>,
) -> Vec<i64> {
    vec![first.0, again.0]
}

#[get("/counts")]
async fn counts(
    pair: Depends<counted_again>,
    cached: Depends<counted>,
    #[param(use_cache = false)] fresh: Depends<counted>,
) -> Json<Value> {
    *COUNTER.lock().unwrap_or_else(|p| p.into_inner()) = 0;
    Json(json!({"pair": pair.0, "cached": cached.0, "fresh": fresh.0}))
}

#[get("/limited")]
async fn limited(#[param(max_concurrency = 2)] u: Depends<user>) -> Json<Value> {
    Json(json!({"user": u.0}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .route(items)
        .route(pages)
        .route(guarded)
        .include_router(
            APIRouter::new()
                .prefix("/r")
                .dependency::<token>()
                .route(admin),
        )
        .route(notify)
        .route(tracked_ok)
        .route(tracked_fail)
        .route(tracked_invalid)
        .route(log)
        .route(class_dep)
        .route(counts)
        .route(limited)
        .into_router()
}
