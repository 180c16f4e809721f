//! The per-type metadata each route collects at start-up (what the OpenAPI
//! document is built from).

use ferroapi::extract::{BodyKind, Location};
use ferroapi::{post, App, Cookie, Header, Json, ParamModel, Path, Query};

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
struct Item {
    name: String,
}

#[derive(serde::Deserialize, schemars::JsonSchema, ParamModel)]
struct Paging {
    limit: u32,
    #[serde(default)]
    offset: u32,
}

#[post("/items/{item_id}")]
async fn create(
    item_id: Path<u32>,
    q: Query<Option<String>>,
    #[param(default = 5)] n: Query<i32>,
    paging: Query<Paging>,
    x_token: Header<String>,
    session: Cookie<Option<String>>,
    item: Json<Item>,
) -> Json<Item> {
    let _ = (
        item_id,
        q,
        n,
        paging.limit + paging.offset,
        x_token,
        session,
    );
    item
}

#[test]
fn routes_describe_their_inputs_and_output_once() {
    let app = App::new().route(create);
    let doc = &app.routes()[0].meta().doc;
    let params: Vec<(&str, Location, bool)> = doc
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("item_id", Location::Path, true),
            ("q", Location::Query, false),
            ("n", Location::Query, false),
            ("limit", Location::Query, true),
            ("offset", Location::Query, false),
            ("x-token", Location::Header, true),
            ("session", Location::Cookie, false),
        ]
    );
    assert_eq!(doc.parameters[0].schema.get("type").unwrap(), "integer");
    assert_eq!(doc.body.len(), 1);
    assert_eq!(doc.body[0].kind, BodyKind::Json);
    assert!(doc.body[0].required);
    assert_eq!(
        doc.body[0].schema.get("$ref").unwrap(),
        "#/components/schemas/Item"
    );
    assert!(doc.definitions.contains_key("Item"));
    assert_eq!(doc.response.media_type, Some("application/json"));
}

#[derive(serde::Deserialize, schemars::JsonSchema, ParamModel)]
struct Filter {
    kind: String,
    limit: i64,
}

#[ferroapi::get("/filtered")]
async fn filtered(f: Query<Filter>) -> Json<String> {
    Json(format!("{} {}", f.kind, f.limit))
}

/// A parameter model's 422 echoes what FastAPI builds: the model's fields
/// found, in declaration order, then the other keys as sent (found by
/// `ferroapi contract replay` on a header model).
#[tokio::test]
async fn a_models_input_lists_its_fields_first() {
    let client = ferroapi::TestClient::new(App::new().route(filtered));
    let res = client.get("/filtered?extra=1&limit=5").send().await;
    assert_eq!(res.status(), 422, "{}", res.text());
    assert_eq!(res.json()["detail"][0]["type"], "missing");
    assert_eq!(
        res.json()["detail"][0]["input"].to_string(),
        r#"{"limit":"5","extra":"1"}"#
    );
}
