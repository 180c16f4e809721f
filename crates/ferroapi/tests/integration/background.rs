//! Background tasks run after the response has been sent.

use std::sync::{Arc, Mutex};

use ferroapi::{post, App, BackgroundTasks, Json, State, TestClient};

#[derive(Clone, Default)]
struct Log(Arc<Mutex<Vec<String>>>);

#[post("/signup")]
async fn signup(State(log): State<Log>, tasks: BackgroundTasks) -> Json<&'static str> {
    let l = log.clone();
    tasks.add(async move { l.0.lock().unwrap().push("email sent".into()) });
    log.0.lock().unwrap().push("handler".into());
    Json("ok")
}

#[tokio::test]
async fn tasks_run_after_the_response() {
    let log = Log::default();
    let client = TestClient::new(App::with_state(log.clone()).route(signup));
    let res = client.post("/signup").send().await;
    assert_eq!(res.text(), "\"ok\"");
    // The response is complete; the task has been scheduled, not yet run.
    assert_eq!(*log.0.lock().unwrap(), ["handler"]);
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert_eq!(*log.0.lock().unwrap(), ["handler", "email sent"]);
}
