// Test: a declared constraint the parameter type cannot carry is a compile error.
use ferroapi::{get, App, Json, Query};

// Each constraint the type cannot carry is an error at the option.
#[get("/items")]
async fn items(
    #[param(gt = 0)] name: Query<String>,
    #[param(max_length = 3)] count: Query<i64>,
    #[param(pattern = "^a")] flag: Query<Option<bool>>,
) -> Json<String> {
    Json(format!("{}{}{:?}", name.0, count.0, flag.0))
}

fn main() {
    let _ = App::new().route(items);
}
