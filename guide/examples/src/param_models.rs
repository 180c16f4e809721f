//! Chapter "Parameter models".

use ferroapi::{get, App, Cookie, Header, Json, ParamEnum, ParamModel, Query};
use serde::{Deserialize, Serialize};

// ANCHOR: query
#[derive(Debug, Clone, Copy, Deserialize, Serialize, schemars::JsonSchema, ParamEnum)]
#[serde(rename_all = "snake_case")]
#[schemars(inline, transform = ferroapi::literal)]
pub enum OrderBy {
    Title,
    Price,
}

fn twenty() -> i64 {
    20
}

fn by_title() -> OrderBy {
    OrderBy::Title
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, ParamModel)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    #[serde(default = "twenty")]
    #[schemars(range(max = 100), extend("exclusiveMinimum" = 0))]
    pub limit: i64,
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub offset: i64,
    #[serde(default = "by_title")]
    pub order_by: OrderBy,
    #[serde(default)]
    pub tags: Vec<String>,
}

#[get("/books/")]
async fn list_books(listing: Query<Listing>) -> Json<Listing> {
    Json(listing.0)
}
// ANCHOR_END: query

// ANCHOR: headers
#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, ParamModel)]
pub struct Client {
    pub x_shop: String,
    #[serde(default)]
    pub x_trace: Option<String>,
}

fn light() -> String {
    "light".into()
}

#[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, ParamModel)]
pub struct Prefs {
    #[serde(default = "light")]
    pub theme: String,
    #[serde(default)]
    pub basket: Option<i64>,
}

#[get("/client/")]
async fn client(headers: Header<Client>) -> Json<Client> {
    Json(headers.0)
}

#[get("/prefs/")]
async fn prefs(cookies: Cookie<Prefs>) -> Json<Prefs> {
    Json(cookies.0)
}
// ANCHOR_END: headers

/// The chapter's app.
pub fn app() -> App {
    App::new().route(list_books).route(client).route(prefs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;
    use serde_json::json;

    #[tokio::test]
    async fn models_group_parameters_and_keep_their_rules() {
        let client = TestClient::new(app());
        let res = client
            .get("/books/?limit=5&tags=a&tags=b&order_by=price")
            .send()
            .await;
        assert_eq!(
            res.text(),
            r#"{"limit":5,"offset":0,"order_by":"price","tags":["a","b"]}"#
        );
        let res = client.get("/books/?limit=0&colour=red").send().await;
        let types: Vec<_> = crate::each_error(&res, "type");
        assert_eq!(types, [json!("greater_than"), json!("extra_forbidden")]);
        let res = client
            .get("/client/")
            .header("x-shop", "north")
            .send()
            .await;
        assert_eq!(res.text(), r#"{"x_shop":"north","x_trace":null}"#);
        let res = client
            .get("/prefs/")
            .header("cookie", "basket=2")
            .send()
            .await;
        assert_eq!(res.text(), r#"{"theme":"light","basket":2}"#);
        TestClient::new(app())
            .check_constraints(&[])
            .await
            .assert_held();
    }
}
