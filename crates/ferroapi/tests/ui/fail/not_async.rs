// Test: a route function must be async; the error points at `fn`.
use ferroapi::get;

#[get("/x")]
fn not_async() -> ferroapi::Json<u8> {
    ferroapi::Json(1)
}

fn main() {}
