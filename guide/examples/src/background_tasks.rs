//! Chapter "Background tasks".

use std::sync::Mutex;

use ferroapi::{post, App, BackgroundTasks, Json, Query};
use serde_json::{json, Value};

/// The "mail log" the tasks write to.
pub static OUTBOX: Mutex<Vec<String>> = Mutex::new(Vec::new());

// ANCHOR: tasks
async fn send_receipt(email: String, title: String) {
    // A real app talks to its mail server here.
    OUTBOX
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(format!("{email}: {title}"));
}

#[post("/orders/")]
async fn order(tasks: BackgroundTasks, email: Query<String>, title: Query<String>) -> Json<Value> {
    // Runs after the response is sent: the client does not wait for it.
    tasks.add(send_receipt(email.0.clone(), title.0.clone()));
    Json(json!({"ordered": title.0}))
}
// ANCHOR_END: tasks

/// The chapter's app.
pub fn app() -> App {
    App::new().route(order)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn the_task_runs_after_the_answer() {
        let client = TestClient::new(app());
        let res = client
            .post("/orders/?email=ann@example.com&title=Odes")
            .send()
            .await;
        assert_eq!(res.text(), r#"{"ordered":"Odes"}"#);
        for _ in 0..50 {
            if !OUTBOX.lock().unwrap().is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        assert_eq!(OUTBOX.lock().unwrap().as_slice(), ["ann@example.com: Odes"]);
    }
}
