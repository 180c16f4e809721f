// Test: a parameter type that is not extractable names the trait and the fix.
use ferroapi::{get, App, Json};

struct Nope;

#[get("/x")]
async fn bad(n: Nope) -> Json<u8> {
    let _ = n;
    Json(1)
}

fn main() {
    let _ = App::new().route(bad);
}
