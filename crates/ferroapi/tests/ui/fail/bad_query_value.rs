// Test: a query value type must be readable from text.
use ferroapi::{get, App, Json, Query};

#[get("/x")]
async fn bad(when: Query<std::time::Instant>) -> Json<u8> {
    let _ = when;
    Json(1)
}

fn main() {
    let _ = App::new().route(bad);
}
