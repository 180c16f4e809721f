//! Mirrors apps/lifespans.py: the state FastAPI's lifespan yields is
//! `App::lifespan_state`, read by routes as `LifespanState<T>`.

use std::sync::{Arc, Mutex};

use ferroapi::{get, App, HTTPException, Json, LifespanState, Path, Query};
use serde_json::{json, Value};

#[derive(Clone)]
struct Models {
    answer: i64,
}

#[derive(Clone)]
struct Greeting(&'static str);

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<&'static str>>>);

impl Log {
    fn lines(&self) -> Vec<&'static str> {
        self.0.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

#[get("/predict")]
fn predict(
    models: LifespanState<Models>,
    log: LifespanState<Log>,
    #[param(default = 1)] x: Query<i64>,
) -> Json<Value> {
    Json(json!({"answer": models.answer * x.0, "log": log.lines()}))
}

#[get("/greet/{name}")]
async fn greet(
    greeting: LifespanState<Greeting>,
    name: Path<String>,
) -> Result<Json<Value>, HTTPException> {
    if name.0 == "nobody" {
        return Err(HTTPException::new(404, "Nobody to greet"));
    }
    Ok(Json(
        json!({"greeting": format!("{}, {}", greeting.0 .0, name.0)}),
    ))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .lifespan_state(|| async { Models { answer: 42 } })
        .lifespan_state(|| async { Greeting("hello") })
        .lifespan_state(|| async {
            let log = Log::default();
            if let Ok(mut l) = log.0.lock() {
                l.push("startup");
            }
            log
        })
        .route(predict)
        .route(greet)
        .into_router()
}
