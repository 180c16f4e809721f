//! Chapters "HTTP Basic auth" and "API keys".

use ferroapi::security::{APIKeyHeader, HTTPBasic};
use ferroapi::{get, App, HTTPException, Json};
use serde_json::{json, Value};

// ANCHOR: basic
#[get("/back-office/")]
async fn back_office(
    #[param(realm = "shop")] credentials: HTTPBasic,
) -> Result<Json<Value>, HTTPException> {
    let c = &credentials.0;
    // A real app compares in constant time (`subtle`) against stored hashes.
    if c.username == "clerk" && c.password == "open sesame" {
        Ok(Json(json!({"clerk": c.username})))
    } else {
        Err(HTTPException::new(401, "Incorrect username or password")
            .header("www-authenticate", "Basic"))
    }
}
// ANCHOR_END: basic

// ANCHOR: api_key
#[get("/feed/")]
async fn feed(
    #[param(alias = "X-API-Key")] key: APIKeyHeader,
) -> Result<Json<Value>, HTTPException> {
    if key.0 == "k-123" {
        Ok(Json(json!({"feed": []})))
    } else {
        Err(HTTPException::new(403, "Unknown key"))
    }
}
// ANCHOR_END: api_key

/// The chapters' app.
pub fn app() -> App {
    App::new().route(back_office).route(feed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn basic_and_api_keys() {
        let client = TestClient::new(app());
        let res = client.get("/back-office/").send().await;
        assert_eq!(res.status(), 401);
        assert_eq!(res.header("www-authenticate"), Some("Basic realm=\"shop\""));
        // "clerk:open sesame"
        let res = client
            .get("/back-office/")
            .header("authorization", "Basic Y2xlcms6b3BlbiBzZXNhbWU=")
            .send()
            .await;
        assert_eq!(res.text(), r#"{"clerk":"clerk"}"#);
        assert_eq!(client.get("/feed/").send().await.status(), 401);
        assert_eq!(
            client
                .get("/feed/")
                .header("x-api-key", "k-123")
                .send()
                .await
                .status(),
            200
        );
    }
}
