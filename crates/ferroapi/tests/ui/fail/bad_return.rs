// Test: a return type that is not a response says so at the return type.
use ferroapi::get;

struct NotAResponse;

#[get("/x")]
async fn bad() -> NotAResponse {
    NotAResponse
}

fn main() {}
