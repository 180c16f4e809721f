//! A plain `fn` route runs on the blocking pool (FastAPI's `def` endpoints run
//! in its threadpool): it can block without stalling other requests.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use ferroapi::{get, App, Json, Path, State, TestClient};

#[derive(Clone)]
struct Channel {
    tx: mpsc::SyncSender<&'static str>,
    rx: Arc<Mutex<mpsc::Receiver<&'static str>>>,
}

/// Blocks its thread until `/notify` has been served.
#[get("/wait")]
fn wait(State(ch): State<Channel>) -> Json<&'static str> {
    let rx = ch.rx.lock().unwrap();
    Json(
        rx.recv_timeout(Duration::from_secs(5))
            .unwrap_or("timed out"),
    )
}

#[get("/notify")]
async fn notify(State(ch): State<Channel>) -> Json<&'static str> {
    ch.tx.send("notified").unwrap();
    Json("sent")
}

#[get("/square/{n}")]
fn square(#[param(ge = 0, le = 1000)] n: Path<u64>) -> Json<u64> {
    Json(*n * *n)
}

#[get("/boom")]
fn boom() -> Json<u8> {
    panic!("boom")
}

fn app() -> App<Channel> {
    let (tx, rx) = mpsc::sync_channel(1);
    let ch = Channel {
        tx,
        rx: Arc::new(Mutex::new(rx)),
    };
    App::with_state(ch)
        .route(wait)
        .route(notify)
        .route(square)
        .route(boom)
}

// One event-loop thread: had `/wait` blocked it, `/notify` could not run and
// `/wait` would answer "timed out".
#[tokio::test(flavor = "current_thread")]
async fn a_blocking_route_leaves_the_event_loop_free() {
    let client = TestClient::new(app());
    let waiting = client.get("/wait").send();
    let notifying = async {
        tokio::time::sleep(Duration::from_millis(50)).await;
        client.get("/notify").send().await
    };
    let (waited, notified) = tokio::join!(waiting, notifying);
    assert_eq!(notified.text(), "\"sent\"");
    assert_eq!(waited.text(), "\"notified\"");
}

#[tokio::test]
async fn a_blocking_route_validates_its_parameters_first() {
    let client = TestClient::new(app());
    assert_eq!(client.get("/square/12").send().await.text(), "144");
    let res = client.get("/square/1001").send().await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json()["detail"][0]["type"], "less_than_equal");
}

#[tokio::test]
async fn a_panic_on_the_blocking_pool_is_a_500() {
    let client = TestClient::new(app());
    let res = client.get("/boom").send().await;
    assert_eq!(res.status(), 500);
    assert_eq!(res.text(), "Internal Server Error");
}
