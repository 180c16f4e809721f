//! Mirrors apps/including.py: FastAPI's `include_router(router, prefix=...,
//! tags=..., ...)` is an enclosing `APIRouter` with those options.

use ferroapi::{
    dependency, get, APIRouter, AdditionalResponse, App, HTTPException, Header, Json, Path,
    RouteMeta,
};
use serde_json::{json, Value};

#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Message {
    message: String,
}

fn tag_and_name(route: &RouteMeta, _path: &str, _method: &ferroapi::http::Method) -> String {
    format!("{}-{}", route.tags[0], route.name)
}

fn short(route: &RouteMeta, _path: &str, _method: &ferroapi::http::Method) -> String {
    format!("short_{}", route.name)
}

#[dependency]
async fn verify_token(x_token: Header<String>) -> Result<(), HTTPException> {
    if x_token.0 == "secret" {
        Ok(())
    } else {
        Err(HTTPException::new(400, "X-Token header invalid"))
    }
}

#[get("/")]
async fn list_items() -> Json<Value> {
    Json(json!(["a", "b"]))
}

#[get(
    "/{item_id}",
    responses = [(403, "Operation forbidden"), (404, "No such item")]
)]
async fn read_item(item_id: Path<String>) -> Result<Json<Value>, HTTPException> {
    if item_id.0 != "a" {
        return Err(HTTPException::new(404, "Item not found"));
    }
    Ok(Json(json!({"item_id": item_id.0})))
}

#[get("/old")]
async fn old() -> Json<Value> {
    Json(json!({"old": true}))
}

#[get("/older", deprecated)]
async fn older() -> Json<Value> {
    Json(json!({"older": true}))
}

#[get("/stats")]
async fn stats() -> Json<Value> {
    Json(json!({"stats": 1}))
}

#[get("/one")]
async fn one() -> Json<Value> {
    Json(json!(1))
}

#[get("/two", generate_unique_id_function = tag_and_name)]
async fn two() -> Json<Value> {
    Json(json!(2))
}

#[get("/three", operation_id = "third")]
async fn three() -> Json<Value> {
    Json(json!(3))
}

#[get("/{user_id}")]
async fn read_user(user_id: Path<i64>) -> Json<Value> {
    Json(json!({"user_id": user_id.0}))
}

#[get("/secret")]
async fn secret() -> Json<Value> {
    Json(json!({"secret": true}))
}

#[get("/")]
async fn root() -> Json<Value> {
    Json(json!({"root": true}))
}

/// The app.
pub fn app() -> ferroapi::axum::Router {
    let items = APIRouter::new().route(list_items).route(read_item);
    let legacy = APIRouter::new().tag("legacy").route(old).route(older);
    let internal = APIRouter::new().route(stats);
    let named = APIRouter::new()
        .tag("named")
        .generate_unique_id_function(short)
        .route(one)
        .route(two)
        .route(three);
    let people = APIRouter::new()
        .prefix("/users")
        .tag("people")
        .additional_response(AdditionalResponse::new(410).model::<Message>())
        .route(read_user);
    let v2 = APIRouter::new()
        .prefix("/v2")
        .tag("v2")
        .deprecated(true)
        .response(500, "Boom")
        .include_router(
            APIRouter::new()
                .prefix("/people")
                .tag("humans")
                .response(410, "Gone for good")
                .include_router(people),
        );
    let hidden_router = APIRouter::new().include_in_schema(false).route(secret);
    App::new()
        .include_router(
            APIRouter::new()
                .prefix("/items")
                .tag("items")
                .dependency::<verify_token>()
                .response(418, "I'm a teapot")
                .additional_response(AdditionalResponse::new(404).model::<Message>())
                .include_router(items.clone()),
        )
        .include_router(
            APIRouter::new()
                .prefix("/v1/items")
                .tag("v1")
                .include_router(items),
        )
        .include_router(
            APIRouter::new()
                .prefix("/legacy")
                .deprecated(true)
                .include_router(legacy),
        )
        .include_router(
            APIRouter::new()
                .prefix("/internal")
                .include_in_schema(false)
                .include_router(internal),
        )
        .include_router(
            APIRouter::new()
                .prefix("/named")
                .generate_unique_id_function(tag_and_name)
                .include_router(named),
        )
        .include_router(APIRouter::new().prefix("/api").include_router(v2))
        .include_router(hidden_router)
        .route(root)
        .into_router()
}
