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
async fn the_test_client_waits_for_the_tasks() {
    let log = Log::default();
    let client = TestClient::new(App::with_state(log.clone()).route(signup));
    let res = client.post("/signup").send().await;
    assert_eq!(res.text(), "\"ok\"");
    assert_eq!(*log.0.lock().unwrap(), ["handler", "email sent"]);
}

#[post("/slow-task")]
async fn slow_task(State(log): State<Log>, tasks: BackgroundTasks) -> Json<&'static str> {
    let l = log.clone();
    tasks.add(async move {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        l.0.lock().unwrap().push("task".into());
    });
    Json("ok")
}

#[tokio::test]
async fn a_client_has_its_response_before_the_task_runs() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let log = Log::default();
    let router = App::with_state(log.clone()).route(slow_task).into_router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { ferroapi::axum::serve(listener, router).await.unwrap() });
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    s.write_all(
        b"POST /slow-task HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
    )
    .await
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).await.unwrap();
    assert!(out.ends_with("\"ok\""), "{out}");
    // The whole response arrived while the task was still sleeping.
    assert!(log.0.lock().unwrap().is_empty());
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(*log.0.lock().unwrap(), ["task"]);
}
