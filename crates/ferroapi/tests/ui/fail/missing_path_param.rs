// Test: every `{name}` in the path needs a parameter of that name.
use ferroapi::{get, Json, Path};

#[get("/items/{item_id}/{other}")]
async fn item(item_id: Path<u32>) -> Json<u32> {
    Json(*item_id)
}

fn main() {}
