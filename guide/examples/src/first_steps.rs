//! Chapter "First steps": the smallest app.

// ANCHOR: app
use ferroapi::{get, App, Json};
use serde_json::{json, Value};

#[get("/")]
async fn root() -> Json<Value> {
    Json(json!({"message": "Hello from the bookshop"}))
}

/// The app: one route.
pub fn app() -> App {
    App::new().route(root)
}
// ANCHOR_END: app

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn root_answers_and_the_document_is_served() {
        let client = TestClient::new(app());
        let res = client.get("/").send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.text(), r#"{"message":"Hello from the bookshop"}"#);
        let doc = client.get("/openapi.json").send().await.json();
        assert_eq!(doc["paths"]["/"]["get"]["operationId"], "root__get");
        assert_eq!(client.get("/docs").send().await.status(), 200);
    }
}
