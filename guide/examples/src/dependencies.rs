//! Chapters "Dependencies", "Classes as dependencies", "Sub-dependencies".

use ferroapi::{dependency, get, App, Depends, HTTPException, Header, Json, Query};
use serde_json::{json, Value};

// ANCHOR: function
/// Paging shared by every list route.
#[dependency]
async fn paging(
    #[param(default = 0, ge = 0)] skip: Query<i64>,
    #[param(default = 10, gt = 0, le = 100)] limit: Query<i64>,
) -> (i64, i64) {
    (*skip, *limit)
}

#[get("/books/")]
async fn list_books(page: Depends<paging>) -> Json<Value> {
    let (skip, limit) = page.0;
    Json(json!({"skip": skip, "limit": limit}))
}
// ANCHOR_END: function

// ANCHOR: class
/// FastAPI's class dependency: the struct is the dependency.
#[derive(Debug, Clone)]
pub struct Search {
    pub q: Option<String>,
    pub exact: bool,
}

#[dependency]
impl Search {
    fn new(q: Query<Option<String>>, #[param(default = false)] exact: Query<bool>) -> Self {
        Search {
            q: q.0,
            exact: *exact,
        }
    }
}

#[get("/search/")]
async fn search(search: Depends<Search>) -> Json<Value> {
    Json(json!({"q": search.q, "exact": search.exact}))
}
// ANCHOR_END: class

// ANCHOR: sub
#[dependency]
async fn api_token(x_token: Header<Option<String>>) -> Result<String, HTTPException> {
    x_token
        .0
        .ok_or_else(|| HTTPException::new(401, "Missing token"))
}

#[dependency]
async fn current_reader(Depends(token): Depends<api_token>) -> String {
    format!("reader-{token}")
}

#[get("/me/")]
async fn me(
    Depends(reader): Depends<current_reader>,
    Depends(token): Depends<api_token>,
) -> Json<Value> {
    // `api_token` ran once: its value is cached for the request.
    Json(json!({"reader": reader, "token": token}))
}
// ANCHOR_END: sub

/// The chapters' app.
pub fn app() -> App {
    App::new().route(list_books).route(search).route(me)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn dependencies_validate_and_raise() {
        let client = TestClient::new(app());
        assert_eq!(
            client.get("/books/?skip=5").send().await.text(),
            r#"{"skip":5,"limit":10}"#
        );
        let res = client.get("/books/?limit=0").send().await;
        assert_eq!(res.json()["detail"][0]["loc"], json!(["query", "limit"]));
        assert_eq!(
            client.get("/search/?q=odes&exact=1").send().await.text(),
            r#"{"q":"odes","exact":true}"#
        );
        assert_eq!(client.get("/me/").send().await.status(), 401);
        let res = client.get("/me/").header("x-token", "t1").send().await;
        assert_eq!(res.text(), r#"{"reader":"reader-t1","token":"t1"}"#);
    }
}
