//! The lifespan runs however the app is served: start-up before the first
//! request, state reachable from routes, shut-down when the router goes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use ferroapi::{get, App, Json, LifespanState, TestClient};

#[derive(Clone)]
struct Models {
    answer: i64,
}

#[get("/predict")]
async fn predict(models: LifespanState<Models>) -> Json<i64> {
    Json(models.answer)
}

#[get("/missing")]
async fn missing(_n: LifespanState<String>) -> Json<i64> {
    Json(0)
}

fn app(started: &Arc<AtomicUsize>, stopped: &Arc<AtomicUsize>) -> App {
    let (s, t) = (started.clone(), stopped.clone());
    App::new()
        .on_startup(move || async move {
            s.fetch_add(1, Ordering::SeqCst);
        })
        .lifespan_state(|| async { Models { answer: 42 } })
        .on_shutdown(move || async move {
            t.fetch_add(1, Ordering::SeqCst);
        })
        .route(predict)
        .route(missing)
}

async fn check(client: TestClient, started: &AtomicUsize, stopped: &AtomicUsize) {
    assert_eq!(started.load(Ordering::SeqCst), 0, "nothing runs at build");
    let (a, b) = tokio::join!(client.get("/predict").send(), client.get("/predict").send());
    assert_eq!(a.status(), 200);
    assert_eq!(b.status(), 200);
    assert_eq!(a.text(), "42");
    assert_eq!(started.load(Ordering::SeqCst), 1, "start-up runs once");
    let res = client.get("/missing").send().await;
    assert_eq!(res.status(), 500);
    assert_eq!(stopped.load(Ordering::SeqCst), 0);
    drop(client);
    assert_eq!(
        stopped.load(Ordering::SeqCst),
        1,
        "shut-down runs when the router goes"
    );
}

#[tokio::test]
async fn test_client_new_runs_the_lifespan() {
    let (started, stopped) = Default::default();
    let client = TestClient::new(app(&started, &stopped));
    check(client, &started, &stopped).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn into_router_runs_the_lifespan_on_a_threaded_runtime() {
    let (started, stopped) = Default::default();
    let router = app(&started, &stopped).into_router();
    check(TestClient::new(router), &started, &stopped).await;
}

#[tokio::test]
async fn an_app_never_served_runs_nothing() {
    let (started, stopped): (Arc<AtomicUsize>, Arc<AtomicUsize>) = Default::default();
    let router = app(&started, &stopped).into_router();
    drop(router);
    assert_eq!(started.load(Ordering::SeqCst), 0);
    assert_eq!(stopped.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn test_client_start_runs_start_up_first() {
    let (started, stopped): (Arc<AtomicUsize>, Arc<AtomicUsize>) = Default::default();
    let client = TestClient::start(app(&started, &stopped)).await;
    assert_eq!(started.load(Ordering::SeqCst), 1);
    assert_eq!(client.get("/predict").send().await.text(), "42");
    drop(client);
    assert_eq!(stopped.load(Ordering::SeqCst), 1);
}
