//! Chapter "Testing": `TestClient`, dependency overrides, the constraint check.

use ferroapi::{dependency, get, App, Depends, HTTPException, Header, Json};
use serde_json::{json, Value};

/// In production: the reader from the session store.
#[dependency]
pub async fn current_reader(x_session: Header<String>) -> Result<String, HTTPException> {
    Err(HTTPException::new(
        401,
        format!("unknown session {}", x_session.0),
    ))
}

#[get("/loans/")]
async fn loans(Depends(reader): Depends<current_reader>) -> Json<Value> {
    Json(json!({"reader": reader, "loans": []}))
}

/// The app under test.
pub fn app() -> App {
    App::new().route(loans)
}

// ANCHOR: tests
#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn the_real_dependency_refuses() {
        let client = TestClient::new(app());
        let res = client.get("/loans/").header("x-session", "s1").send().await;
        assert_eq!(res.status(), 401);
    }

    #[tokio::test]
    async fn an_override_stands_in_for_it() {
        // FastAPI's `app.dependency_overrides[current_reader] = lambda: "ann"`.
        let app = app().dependency_override::<current_reader, _>(|_| Ok("ann".to_string()));
        let client = TestClient::new(app);
        let res = client.get("/loans/").send().await;
        assert_eq!(res.json(), json!({"reader": "ann", "loans": []}));
    }

    #[tokio::test]
    async fn every_documented_rule_is_enforced() {
        // Breaks each constraint the document states, one at a time.
        TestClient::new(app())
            .check_constraints(&[])
            .await
            .assert_held();
    }
}
// ANCHOR_END: tests
