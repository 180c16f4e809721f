//! Chapter "Dependencies in decorators, routers and the app".

use ferroapi::{dependency, get, APIRouter, App, HTTPException, Header, Json};
use serde_json::{json, Value};

// ANCHOR: guards
/// Run for its effect: refuses a request without the right key.
#[dependency]
async fn verify_key(x_key: Header<String>) -> Result<(), HTTPException> {
    if x_key.as_str() == "shop-key" {
        Ok(())
    } else {
        Err(HTTPException::new(400, "X-Key header invalid"))
    }
}

#[dependency]
async fn verify_agent(user_agent: Header<Option<String>>) -> Result<(), HTTPException> {
    match user_agent.0 {
        Some(a) if a.contains("bot") => Err(HTTPException::new(403, "No robots")),
        _ => Ok(()),
    }
}

#[get("/stock/", dependencies = [verify_key])]
async fn stock() -> Json<Value> {
    Json(json!({"stock": 12}))
}

#[get("/orders/")]
async fn orders() -> Json<Value> {
    Json(json!([]))
}

/// Route, router and app each add their dependencies.
pub fn app() -> App {
    let admin = APIRouter::new()
        .prefix("/admin")
        .dependency::<verify_key>()
        .route(orders);
    App::new()
        .dependency::<verify_agent>()
        .route(stock)
        .include_router(admin)
}
// ANCHOR_END: guards

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn guards_run_at_every_level() {
        let client = TestClient::new(app());
        assert_eq!(
            client
                .get("/stock/")
                .header("x-key", "shop-key")
                .send()
                .await
                .status(),
            200
        );
        assert_eq!(
            client
                .get("/stock/")
                .header("x-key", "nope")
                .send()
                .await
                .status(),
            400
        );
        let res = client
            .get("/admin/orders/")
            .header("x-key", "shop-key")
            .header("user-agent", "a bot")
            .send()
            .await;
        assert_eq!(res.status(), 403);
        let res = client.get("/admin/orders/").send().await;
        assert_eq!(res.json()["detail"][0]["loc"], json!(["header", "x-key"]));
    }
}
