//! The OpenAPI document's app-level parts and the docs pages' switches.

use ferroapi::{get, APIRouter, App, Json, TestClient};
use serde_json::json;

/// pydantic names `Page[Item]` `Page_Item_`; schemars' rename template does the same.
#[derive(serde::Serialize, schemars::JsonSchema)]
#[schemars(rename = "Page_{T}_")]
struct Page<T> {
    items: Vec<T>,
    total: u64,
}

#[derive(serde::Serialize, schemars::JsonSchema)]
struct Item {
    name: String,
}

#[get("/items/{item_id}", responses = [(404, "Item not found")])]
async fn read_item(item_id: ferroapi::Path<u32>) -> Json<Page<Item>> {
    let _ = item_id;
    Json(Page {
        items: vec![],
        total: 0,
    })
}

fn app() -> App {
    App::new()
        .title("Shop")
        .version("2.0.0")
        .summary("Everything for sale")
        .terms_of_service("https://example.com/terms")
        .contact(
            Some("Ops"),
            Some("https://example.com"),
            Some("ops@example.com"),
        )
        .license("MIT", Some("MIT"))
        .root_path("/api")
        .server("https://shop.example.com", Some("production"))
        .openapi_tag("items", Some("Things we sell"))
        .include_router(
            APIRouter::new()
                .prefix("/v1")
                .tag("items")
                .response(401, "Not authenticated")
                .route(read_item),
        )
}

#[test]
fn info_servers_tags_and_extra_responses() {
    let doc = app().openapi();
    assert_eq!(
        doc["info"],
        json!({
            "title": "Shop",
            "summary": "Everything for sale",
            "termsOfService": "https://example.com/terms",
            "contact": {"name": "Ops", "url": "https://example.com/", "email": "ops@example.com"},
            "license": {"name": "MIT", "identifier": "MIT"},
            "version": "2.0.0"
        })
    );
    assert_eq!(
        doc["servers"],
        json!([{"url": "/api"}, {"url": "https://shop.example.com", "description": "production"}])
    );
    assert_eq!(
        doc["tags"],
        json!([{"name": "items", "description": "Things we sell"}])
    );
    let responses = &doc["paths"]["/v1/items/{item_id}"]["get"]["responses"];
    assert_eq!(
        responses["401"],
        json!({"description": "Not authenticated"})
    );
    assert_eq!(responses["404"], json!({"description": "Item not found"}));
    assert_eq!(
        responses["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Page_Item_"})
    );
    assert_eq!(
        doc["components"]["schemas"]["Page_Item_"]["title"],
        "Page_Item_"
    );
}

#[derive(serde::Serialize, schemars::JsonSchema)]
struct Wrapper<T> {
    value: T,
}

#[get("/a")]
async fn a() -> Json<Wrapper<u8>> {
    Json(Wrapper { value: 1 })
}

#[get("/b")]
async fn b() -> Json<Wrapper<String>> {
    Json(Wrapper { value: "x".into() })
}

#[test]
fn same_name_different_schema_across_routes_is_renamed() {
    let doc = App::new().route(a).route(b).openapi();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(schemas["Wrapper"]["properties"]["value"]["type"], "integer");
    assert_eq!(schemas["Wrapper2"]["properties"]["value"]["type"], "string");
    assert_eq!(
        doc["paths"]["/b"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
        json!({"$ref": "#/components/schemas/Wrapper2"})
    );
}

#[tokio::test]
async fn docs_can_be_moved_or_disabled() {
    let client = TestClient::new(app().docs_url(Some("/api-docs")).redoc_url(None));
    assert_eq!(client.get("/api-docs").send().await.status(), 200);
    assert_eq!(client.get("/docs").send().await.status(), 404);
    assert_eq!(client.get("/redoc").send().await.status(), 404);
    let client = TestClient::new(app().openapi_url(None));
    assert_eq!(client.get("/openapi.json").send().await.status(), 404);
    assert_eq!(client.get("/docs").send().await.status(), 404);
    let client = TestClient::new(app());
    let res = client.get("/openapi.json").send().await;
    assert_eq!(res.header("content-type"), Some("application/json"));
    assert_eq!(res.json(), app().openapi());
    let res = client.get("/docs/").send().await;
    assert_eq!(res.status(), 307);
}

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
struct Account {
    name: String,
    #[serde(skip_serializing, default)]
    #[allow(dead_code)] // read from clients, never written back
    password: String,
}

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
struct Team {
    #[garde(dive)]
    members: Vec<Account>,
}

#[ferroapi::post("/teams")]
async fn create_team(team: Json<Team>) -> Json<Team> {
    team
}

#[test]
fn models_that_read_and_write_differently_split_into_input_and_output() {
    let doc = App::new().route(create_team).openapi();
    let schemas = &doc["components"]["schemas"];
    assert!(schemas["Account-Input"]["properties"]["password"].is_object());
    assert!(schemas["Account-Output"]["properties"]["password"].is_null());
    assert_eq!(schemas["Account-Output"]["title"], "Account");
    // A model containing a split one splits too.
    assert_eq!(
        schemas["Team-Input"]["properties"]["members"]["items"]["$ref"],
        "#/components/schemas/Account-Input"
    );
    assert_eq!(
        schemas["Team-Output"]["properties"]["members"]["items"]["$ref"],
        "#/components/schemas/Account-Output"
    );
    let op = &doc["paths"]["/teams"]["post"];
    assert_eq!(
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Team-Input"
    );
    assert_eq!(
        op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Team-Output"
    );
    assert!(schemas.get("Account").is_none() && schemas.get("Team").is_none());
}

#[test]
fn a_snapshot_that_differs_fails_with_the_lines() {
    let app = ferroapi::App::new().title("Snapshot");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openapi.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&app.openapi()).unwrap() + "\n",
    )
    .unwrap();
    app.assert_openapi_snapshot(path.to_str().unwrap());
    let other = ferroapi::App::new().title("Changed");
    let err = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        other.assert_openapi_snapshot(path.to_str().unwrap())
    }))
    .expect_err("a changed document fails");
    let msg = err.downcast_ref::<String>().unwrap();
    assert!(msg.contains("\"title\": \"Snapshot\""), "{msg}");
    assert!(msg.contains("\"title\": \"Changed\""), "{msg}");
}
