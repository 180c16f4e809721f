//! Mirrors apps/operations.py.

use ferroapi::http::StatusCode;
use ferroapi::{
    delete, get, patch, post, put, App, Header, Html, Json, Path, PlainText, Query, Redirect,
};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Debug, Clone, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
#[schemars(example = json!({"name": "Foo", "description": "A very nice Item", "price": 35.4, "tax": 3.2}))]
pub struct Item {
    #[garde(skip)]
    #[schemars(example = &"Foo")]
    name: String,
    /// What it is
    #[serde(default)]
    #[garde(length(chars, max = 300))]
    #[schemars(length(max = 300))]
    description: Option<String>,
    /// The price must be greater than zero
    #[garde(custom(ferroapi::rules::gt(0.0)))]
    #[schemars(extend("exclusiveMinimum" = 0.0), example = 35.4)]
    price: f64,
    #[serde(default)]
    #[garde(skip)]
    tax: Option<f64>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Message {
    message: String,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Problem {
    detail: String,
    code: i64,
}

#[derive(Debug, Deserialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
#[allow(dead_code)] // a webhook's body: documented, never received
pub struct Subscription {
    username: String,
    monthly_fee: f64,
}

#[get(
    "/items/{item_id}",
    tags = ["items"],
    name = "fetch_item",
    responses = [
        (404, Message, "The item was not found"),
        (200, "Return the JSON item or an image.", content = "image/png"),
    ]
)]
async fn read_item(item_id: Path<i64>) -> Result<Json<Item>, (StatusCode, Json<Value>)> {
    if item_id.0 == 0 {
        return Err((
            StatusCode::NOT_FOUND,
            Json(json!({"message": "Item not found"})),
        ));
    }
    Ok(Json(Item {
        name: "Foo".into(),
        description: None,
        price: 1.5,
        tax: None,
    }))
}

/// Create an item with all the information.
#[post(
    "/items/",
    tags = ["items"],
    status_code = 201,
    summary = "Create an item",
    response_description = "The created item",
    responses = [
        (400, Problem),
        (409, "Conflict", extra = json!({"content": {"application/json": {"example": {"detail": "exists"}}}})),
        ("4XX", "Client trouble"),
    ]
)]
async fn create_item(item: Json<Item>) -> Json<Value> {
    Json(serde_json::to_value(item.0).unwrap_or_default())
}

#[put("/items/{item_id}", tags = ["items"], responses = [("default", Message)])]
async fn update_item(
    item_id: Path<i64>,
    #[param(openapi_examples = json!({
        "normal": {
            "summary": "A normal example",
            "description": "A **normal** item works correctly.",
            "value": {"name": "Foo", "price": 35.4},
        },
        "invalid": {"summary": "Invalid data is rejected", "value": {"name": "Baz", "price": "thirty five"}},
    }))]
    item: Json<Item>,
) -> Json<Value> {
    let mut out = json!({"item_id": item_id.0});
    if let (Some(o), Ok(Value::Object(i))) = (out.as_object_mut(), serde_json::to_value(item.0)) {
        o.extend(i);
    }
    Json(out)
}

#[patch("/items/{item_id}", tags = ["items"])]
async fn patch_item(
    item_id: Path<i64>,
    #[param(embed, examples = ["Bar"])] name: Json<String>,
) -> Json<Value> {
    Json(json!({"item_id": item_id.0, "name": name.0}))
}

#[get(
    "/search",
    tags = ["items"],
    openapi_extra = json!({
        "x-aperture-labs-portal": "blue",
        "parameters": [{"name": "x-trace", "in": "header", "required": false, "schema": {"type": "string"}}],
        "responses": {"200": {"headers": {"X-Rate": {"schema": {"type": "integer"}}}}},
    })
)]
async fn search(
    #[param(examples = ["foo"], openapi_examples = json!({
        "simple": {"summary": "Simple", "value": "foo"},
        "long": {"summary": "Long", "description": "A long query", "value": "foo bar baz"},
    }))]
    q: Query<String>,
    #[param(openapi_examples = json!({"curl": {"value": "curl/8"}}))] x_client: Header<
        Option<String>,
    >,
) -> Json<Value> {
    Json(json!({"q": q.0, "client": x_client.0}))
}

#[get("/legacy", tags = ["users"], deprecated, operation_id = "legacy_op")]
async fn legacy() -> Json<Value> {
    Json(json!({"legacy": true}))
}

#[get("/hidden", include_in_schema = false)]
async fn hidden() -> Json<Value> {
    Json(json!({"hidden": true}))
}

#[get("/page", tags = ["users"])]
async fn page() -> Html<&'static str> {
    Html("<h1>Hello</h1>")
}

#[get("/text", response_description = "Plain words")]
async fn text() -> PlainText<&'static str> {
    PlainText("hello")
}

#[get("/go", status_code = 302)]
async fn go() -> Redirect {
    Redirect::to("https://example.com/there")
}

#[get("/moved", status_code = 301)]
async fn moved() -> Redirect {
    Redirect::to("/page")
}

#[get(
    "/teapot",
    status_code = 418,
    description = "Short and stout.",
    responses = [(418, "A teapot")]
)]
async fn teapot() -> Json<Value> {
    Json(json!({"teapot": true}))
}

#[delete(
    "/items/{item_id}",
    tags = ["items"],
    status_code = 204,
    responses = [(404, Message)]
)]
async fn delete_item(item_id: Path<i64>) {
    let _ = item_id;
}

/// When a new user subscribes to your service we'll send you a POST request.
#[post("new-subscription", webhook)]
async fn new_subscription(body: Json<Subscription>) {
    let _ = body;
}

#[put("subscription-renewed", webhook, tags = ["users"], summary = "Renewed")]
async fn renewed(body: Json<Subscription>) {
    let _ = body;
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    App::new()
        .title("Operations")
        .version("2.1.0")
        .openapi_tags(json!([
            {"name": "users", "description": "Operations with users. The **login** logic is also here."},
            {
                "name": "items",
                "description": "Manage items. So _fancy_ they have their own docs.",
                "externalDocs": {"description": "Items external docs", "url": "https://example.com/items"},
            },
        ]))
        .server("https://stag.example.com", Some("Staging environment"))
        .server("https://prod.example.com", Some("Production environment"))
        .route(read_item)
        .route(create_item)
        .route(update_item)
        .route(patch_item)
        .route(search)
        .route(legacy)
        .route(hidden)
        .route(page)
        .route(text)
        .route(go)
        .route(moved)
        .route(teapot)
        .route(delete_item)
        .webhook(new_subscription)
        .webhook(renewed)
        .into_router()
}
