// Test: unknown route and parameter options are all reported at once, each at its own token.
use ferroapi::{get, Json, Query};

#[get("/x", colour = "red", status_code = 42)]
async fn options(#[param(maxlen = 3)] q: Query<String>, #[param(gt = "zero")] n: Query<i32>) -> Json<u8> {
    let _ = (q, n);
    Json(1)
}

fn main() {}
