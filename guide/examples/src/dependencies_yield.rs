//! Chapter "Dependencies with yield".

use std::sync::Mutex;

use ferroapi::extract::Yield;
use ferroapi::{dependency, get, App, Depends, Exit, HTTPException, Json, Path};
use serde_json::{json, Value};

/// What happened, in order (a stand-in for a database session's log).
pub static EVENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn event(e: &str) {
    EVENTS
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .push(e.to_string());
}

// ANCHOR: yield
/// A session opened before the route and closed after the response:
/// FastAPI's `yield` dependency.
#[dependency]
async fn session() -> Yield<&'static str> {
    event("open");
    Yield::new("session-1", |exit: Exit| async move {
        if exit.is_error() {
            event("rollback");
        }
        event("close");
    })
}

#[get("/books/{slug}")]
async fn read_book(
    slug: Path<String>,
    Depends(db): Depends<session>,
) -> Result<Json<Value>, HTTPException> {
    event("query");
    match slug.as_str() {
        "odes" => Ok(Json(json!({"title": "Odes", "session": db}))),
        _ => Err(HTTPException::new(404, "Book not found")),
    }
}
// ANCHOR_END: yield

/// The chapter's app.
pub fn app() -> App {
    App::new().route(read_book)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn teardown_runs_after_the_response_and_sees_errors() {
        let client = TestClient::new(app());
        EVENTS.lock().unwrap().clear();
        assert_eq!(client.get("/books/odes").send().await.status(), 200);
        assert_eq!(client.get("/books/epics").send().await.status(), 404);
        // Teardowns run once the body is sent: give them a moment.
        for _ in 0..50 {
            if EVENTS.lock().unwrap().len() >= 7 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        let events = EVENTS.lock().unwrap().clone();
        assert_eq!(
            events,
            ["open", "query", "close", "open", "query", "rollback", "close"]
        );
    }
}
