//! Chapter "Header and cookie parameters".

use ferroapi::{get, App, Cookie, Header, Json};
use serde_json::{json, Value};

// ANCHOR: optional
#[get("/visits/")]
async fn visits(
    user_agent: Header<Option<String>>,
    x_shop: Header<Option<Vec<String>>>,
    session: Cookie<Option<String>>,
) -> Json<Value> {
    Json(json!({"user_agent": user_agent.0, "x_shop": x_shop.0, "session": session.0}))
}
// ANCHOR_END: optional

// ANCHOR: required
#[get("/strict/")]
async fn strict(x_token: Header<String>, basket: Cookie<i64>) -> Json<Value> {
    Json(json!({"x_token": x_token.0, "basket": *basket}))
}
// ANCHOR_END: required

/// The chapter's app.
pub fn app() -> App {
    App::new().route(visits).route(strict)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn headers_convert_underscores_and_repeat() {
        let client = TestClient::new(app());
        let res = client
            .get("/visits/")
            .header("user-agent", "curl")
            .header("x-shop", "a")
            .header("x-shop", "b")
            .header("cookie", "session=s1")
            .send()
            .await;
        assert_eq!(
            res.text(),
            r#"{"user_agent":"curl","x_shop":["a","b"],"session":"s1"}"#
        );
        let res = client
            .get("/strict/")
            .header("cookie", "basket=many")
            .send()
            .await;
        let locs: Vec<_> = crate::each_error(&res, "loc");
        assert_eq!(
            locs,
            [json!(["header", "x-token"]), json!(["cookie", "basket"])]
        );
    }
}
