// Test: a parameter must have a name to read it by.
use ferroapi::{get, Json, Path};

#[get("/x/{a}")]
async fn bad((a, b): (Path<u32>, Path<u32>)) -> Json<u32> {
    Json(*a + *b)
}

fn main() {}
