//! An items API, the way a FastAPI user would write it: typed path, query,
//! header and body parameters, a router with a prefix and tags, app state,
//! `HTTPException`, status codes and a response model.
//!
//! Run: `cargo run -p example-items` (serves on 127.0.0.1:8000, or `$FERROAPI_ADDR`).
#![forbid(unsafe_code)]

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use ferroapi::security::{OAuth2Config, OAuth2PasswordBearer, OAuth2PasswordRequestForm};
use ferroapi::{
    delete, dependency, get, post, put, APIRouter, App, Depends, HTTPException, Header, Json,
    ParamEnum, Path, Query, State,
};
use serde::{Deserialize, Serialize};

/// Where an item sits.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, schemars::JsonSchema, ParamEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Shelf {
    /// Front of the shop.
    Front,
    /// The back room.
    Back,
}

/// An item as clients send it.
#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
pub struct ItemIn {
    /// The name.
    #[garde(length(chars, min = 1, max = 50))]
    pub name: String,
    /// The price, strictly positive.
    #[garde(custom(ferroapi::rules::gt(0.0)))]
    #[schemars(extend("exclusiveMinimum" = 0.0))]
    pub price: f64,
    /// Where it sits.
    #[garde(skip)]
    pub shelf: Shelf,
    /// Free text.
    #[serde(default)]
    #[garde(length(max = 200))]
    pub description: Option<String>,
}

/// An item as the API answers it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Item {
    /// Its id.
    pub id: u32,
    /// The name.
    pub name: String,
    /// The price.
    pub price: f64,
    /// Where it sits.
    pub shelf: Shelf,
    /// Free text.
    pub description: Option<String>,
}

/// The in-memory store.
#[derive(Debug, Clone, Default)]
pub struct Store {
    items: Arc<RwLock<BTreeMap<u32, Item>>>,
}

impl Store {
    fn insert(&self, id: u32, input: ItemIn) -> Item {
        let item = Item {
            id,
            name: input.name,
            price: input.price,
            shelf: input.shelf,
            description: input.description,
        };
        self.items
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(id, item.clone());
        item
    }
}

/// List items, optionally on one shelf.
#[get("/")]
async fn list_items(
    State(store): State<Store>,
    shelf: Query<Option<Shelf>>,
    #[param(default = 0, ge = 0)] skip: Query<usize>,
    #[param(default = 100, gt = 0, le = 100)] limit: Query<usize>,
) -> Json<Vec<Item>> {
    let items = store.items.read().unwrap_or_else(|e| e.into_inner());
    Json(
        items
            .values()
            .filter(|i| shelf.0.is_none_or(|s| s == i.shelf))
            .skip(skip.0)
            .take(limit.0)
            .cloned()
            .collect(),
    )
}

/// Read one item.
///
/// Answers 404 when there is no such item.
#[get("/{item_id}")]
async fn read_item(
    State(store): State<Store>,
    item_id: Path<u32>,
) -> Result<Json<Item>, HTTPException> {
    let items = store.items.read().unwrap_or_else(|e| e.into_inner());
    items
        .get(&item_id)
        .cloned()
        .map(Json)
        .ok_or_else(|| HTTPException::new(404, "Item not found"))
}

/// Create an item.
#[post("/", status_code = 201)]
async fn create_item(
    State(store): State<Store>,
    item: Json<ItemIn>,
    #[param(min_length = 1)] x_request_id: Header<Option<String>>,
) -> Json<Item> {
    let _ = x_request_id;
    let id = store
        .items
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .keys()
        .next_back()
        .map_or(1, |k| k + 1);
    Json(store.insert(id, item.0))
}

/// Replace an item.
#[put("/{item_id}")]
async fn replace_item(
    State(store): State<Store>,
    item_id: Path<u32>,
    item: Json<ItemIn>,
) -> Result<Json<Item>, HTTPException> {
    if !store
        .items
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .contains_key(&item_id)
    {
        return Err(HTTPException::new(404, "Item not found"));
    }
    Ok(Json(store.insert(*item_id, item.0)))
}

/// Delete an item.
#[delete("/{item_id}", status_code = 204)]
async fn delete_item(State(store): State<Store>, item_id: Path<u32>) -> Result<(), HTTPException> {
    store
        .items
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&item_id)
        .map(drop)
        .ok_or_else(|| HTTPException::new(404, "Item not found"))
}

/// The OAuth2 password flow of the demo: `POST /token` gives a bearer token.
#[derive(Debug)]
pub struct Login;

impl OAuth2Config for Login {
    const TOKEN_URL: &'static str = "token";
}

/// A token for the demo user (`demo` / `demo`).
#[post("/token")]
async fn login(form: OAuth2PasswordRequestForm) -> Result<Json<serde_json::Value>, HTTPException> {
    if form.username == "demo" && form.password == "demo" {
        Ok(Json(
            serde_json::json!({"access_token": "demo-token", "token_type": "bearer"}),
        ))
    } else {
        Err(HTTPException::new(400, "Incorrect username or password"))
    }
}

/// The user behind the bearer token.
#[dependency]
async fn current_user(token: OAuth2PasswordBearer<Login>) -> Result<String, HTTPException> {
    if token.token() == "demo-token" {
        Ok("demo".to_string())
    } else {
        Err(HTTPException::new(401, "Could not validate credentials")
            .header("www-authenticate", "Bearer"))
    }
}

/// Who am I?
#[get("/users/me", tags = ["users"])]
async fn read_me(Depends(user): Depends<current_user>) -> Json<serde_json::Value> {
    Json(serde_json::json!({"username": user}))
}

/// The app, ready to serve or to test.
pub fn app() -> App<Store> {
    let items = APIRouter::new()
        .prefix("/items")
        .tag("items")
        .route(list_items)
        .route(read_item)
        .route(create_item)
        .route(replace_item)
        .route(delete_item);
    App::with_state(Store::default())
        .title("Items")
        .version("1.0.0")
        .include_router(items)
        .route(login)
        .route(read_me)
}

/// The allocator ferroapi's services ship with (the workspace's
/// `tikv-jemallocator`): as fast as the system's on every showdown row, and
/// it returns memory after a burst of connections.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// `example-items` serves; `example-items openapi [FILE]` writes the OpenAPI
/// document (stdout by default) without serving, for client generation in CI.
#[tokio::main]
async fn main() -> Result<(), ferroapi::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("openapi") {
        return app().write_openapi(args.get(1).map(String::as_str));
    }
    let addr = std::env::var("FERROAPI_ADDR").unwrap_or_else(|_| "127.0.0.1:8000".to_string());
    println!("items API on http://{addr}/items/ (docs: http://{addr}/docs, Ctrl-C to stop)");
    app().serve(&addr).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;
    use serde_json::json;

    #[tokio::test]
    async fn every_documented_constraint_is_enforced() {
        let report = TestClient::new(app()).check_constraints(&[]).await;
        report.assert_held();
        assert!(report.held.len() >= 3, "{report:?}");
    }

    #[tokio::test]
    async fn create_read_list_delete() {
        let client = TestClient::new(app());
        let res = client
            .post("/items/")
            .json(&json!({"name": "Lamp", "price": 12.5, "shelf": "front"}))
            .send()
            .await;
        assert_eq!(res.status(), 201);
        assert_eq!(res.json()["id"], 1);

        let res = client.get("/items/1").send().await;
        assert_eq!(res.json()["name"], "Lamp");

        let res = client.get("/items/?shelf=back").send().await;
        assert_eq!(res.json(), json!([]));

        let res = client.delete("/items/1").send().await;
        assert_eq!(res.status(), 204);
        assert!(res.bytes().is_empty());

        let res = client.get("/items/1").send().await;
        assert_eq!(res.status(), 404);
        assert_eq!(res.text(), r#"{"detail":"Item not found"}"#);
    }

    #[tokio::test]
    async fn invalid_input_gets_every_error_at_once() {
        let client = TestClient::new(app());
        let res = client
            .put("/items/abc")
            .json(&json!({"name": "", "price": 0, "shelf": "attic"}))
            .send()
            .await;
        assert_eq!(res.status(), 422);
        let types: Vec<String> = res.json()["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            types,
            ["int_parsing", "string_too_short", "greater_than", "enum"]
        );
    }

    /// The document is a reviewed snapshot: any change shows here as a diff.
    /// `UPDATE_SNAPSHOTS=1 cargo test -p example-items` rewrites it.
    #[test]
    fn openapi_snapshot() {
        app().assert_openapi_snapshot(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json"));
    }

    #[tokio::test]
    async fn docs_pages_are_served() {
        let client = TestClient::new(app());
        let res = client.get("/openapi.json").send().await;
        assert_eq!(res.json()["info"]["title"], "Items");
        let res = client.get("/docs").send().await;
        assert!(res.text().contains("SwaggerUIBundle"));
        let res = client.get("/redoc").send().await;
        assert!(res.text().contains("<redoc spec-url=\"/openapi.json\">"));
    }

    #[tokio::test]
    async fn password_flow() {
        let client = TestClient::new(app());
        let res = client
            .post("/token")
            .header("content-type", "application/x-www-form-urlencoded")
            .body("username=demo&password=demo")
            .send()
            .await;
        assert_eq!(res.json()["access_token"], "demo-token");
        let res = client.get("/users/me").send().await;
        assert_eq!(res.status(), 401);
        assert_eq!(res.text(), r#"{"detail":"Not authenticated"}"#);
        let res = client
            .get("/users/me")
            .header("authorization", "Bearer demo-token")
            .send()
            .await;
        assert_eq!(res.json()["username"], "demo");
    }

    #[tokio::test]
    async fn query_constraints() {
        let client = TestClient::new(app());
        let res = client.get("/items/?limit=0").send().await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.json()["detail"][0]["type"], "greater_than");
        let res = client.get("/items").send().await;
        assert_eq!(res.status(), 307);
        assert_eq!(res.header("location"), Some("http://testserver/items/"));
    }
}
