//! `yield` dependencies: teardown after the response (and after background
//! tasks), in reverse order of set-up, whatever the outcome.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use ferroapi::extract::Yield;
use ferroapi::{
    dependency, get, App, BackgroundTasks, Depends, Exit, HTTPException, Json, Query, State,
    TestClient,
};

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

impl Log {
    fn push(&self, s: impl Into<String>) {
        self.0.lock().unwrap().push(s.into());
    }
    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

fn exit_text(exit: Exit) -> String {
    match exit.status() {
        Some(s) => format!("{} error={}", s.as_u16(), exit.is_error()),
        None => format!("none error={}", exit.is_error()),
    }
}

#[dependency]
async fn session(State(log): State<Log>) -> Yield<u32> {
    log.push("open session");
    Yield::new(7, move |exit: Exit| async move {
        log.push(format!("close session {}", exit_text(exit)));
    })
}

/// A sub-dependency that also tears down: closed before `session`.
#[dependency]
async fn transaction(
    Depends(s): Depends<session>,
    State(log): State<Log>,
) -> Result<Yield<String>, HTTPException> {
    log.push("begin");
    Ok(Yield::new(
        format!("tx-on-{s}"),
        move |exit: Exit| async move {
            log.push(
                if exit.is_error() {
                    "rollback"
                } else {
                    "commit"
                }
                .to_string(),
            );
        },
    ))
}

#[get("/ok")]
async fn ok(
    Depends(tx): Depends<transaction>,
    State(log): State<Log>,
    tasks: BackgroundTasks,
) -> Json<String> {
    log.push("handler");
    let l = log.clone();
    tasks.add(async move { l.push("background") });
    Json(tx)
}

#[get("/raises")]
async fn raises(Depends(_tx): Depends<transaction>) -> Result<Json<()>, HTTPException> {
    Err(HTTPException::new(409, "Conflict"))
}

#[get("/invalid")]
async fn invalid(Depends(_tx): Depends<transaction>, n: Query<u8>) -> Json<u8> {
    Json(n.0)
}

#[get("/panics")]
async fn panics(Depends(_s): Depends<session>) -> Json<()> {
    panic!("boom")
}

#[dependency]
async fn refuse() -> Result<(), HTTPException> {
    Err(HTTPException::new(403, "Forbidden"))
}

/// `refuse` raises before `session` is ever set up: nothing to tear down.
#[get("/refused")]
async fn refused(Depends(_r): Depends<refuse>, Depends(_s): Depends<session>) -> Json<()> {
    Json(())
}

fn client(log: &Log) -> TestClient {
    TestClient::new(
        App::with_state(log.clone())
            .route(ok)
            .route(raises)
            .route(invalid)
            .route(panics)
            .route(refused),
    )
}

#[tokio::test]
async fn teardown_runs_after_the_handler_and_the_background_tasks() {
    let log = Log::default();
    let res = client(&log).get("/ok").send().await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.text(), "\"tx-on-7\"");
    assert_eq!(
        log.take(),
        [
            "open session",
            "begin",
            "handler",
            "background",
            "commit",
            "close session 200 error=false"
        ]
    );
}

#[tokio::test]
async fn teardown_sees_the_error_the_handler_returned() {
    let log = Log::default();
    let res = client(&log).get("/raises").send().await;
    assert_eq!(res.status(), 409);
    assert_eq!(
        log.take(),
        [
            "open session",
            "begin",
            "rollback",
            "close session 409 error=true"
        ]
    );
}

#[tokio::test]
async fn teardown_runs_after_a_422_of_a_later_parameter() {
    let log = Log::default();
    let res = client(&log).get("/invalid?n=300").send().await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        log.take(),
        [
            "open session",
            "begin",
            "rollback",
            "close session 422 error=true"
        ]
    );
}

#[tokio::test]
async fn a_dependency_never_set_up_is_not_torn_down() {
    let log = Log::default();
    let res = client(&log).get("/refused").send().await;
    assert_eq!(res.status(), 403);
    assert!(log.take().is_empty());
}

#[tokio::test]
async fn teardown_runs_when_the_handler_panics() {
    let log = Log::default();
    let res = client(&log).get("/panics").send().await;
    assert_eq!(res.status(), 500);
    // No response came from the route: the teardown is spawned on unwind.
    for _ in 0..100 {
        if log.0.lock().unwrap().len() == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert_eq!(
        log.take(),
        ["open session", "close session none error=true"]
    );
}
