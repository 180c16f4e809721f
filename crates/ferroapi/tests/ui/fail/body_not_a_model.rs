// Test: a JSON body type without garde::Validate names the body trait and the fix.
use ferroapi::{post, App, Json};

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
struct Item {
    name: String,
}

#[post("/items")]
async fn create(item: Json<Item>) -> Json<Item> {
    item
}

fn main() {
    let _ = App::new().route(create);
}
