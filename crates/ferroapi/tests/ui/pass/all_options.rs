// Test: every documented option compiles together.
use ferroapi::{api_route, get, App, Cookie, Header, Json, Path, Query};

/// Summary line.
///
/// Description.
#[get(
    "/items/{item_id}",
    tags = ["items"],
    status_code = 200,
    summary = "Read",
    description = "Reads",
    deprecated,
    include_in_schema = true,
    operation_id = "read-item"
)]
async fn read(
    #[param(ge = 1, description = "the id", examples = [1, 2])] Path(item_id): Path<u32>,
    #[param(alias = "q-x", min_length = 1, max_length = 5, pattern = "^[a-z]+$", deprecated)] q: Query<Option<String>>,
    #[param(default = 10, gt = 0, lt = 101, multiple_of = 5)] limit: Query<u32>,
    x_token: Header<Option<String>>,
    session: Cookie<Option<String>>,
) -> Json<u32> {
    let _ = (q, limit, x_token, session);
    Json(item_id)
}

#[api_route("/both", methods = [GET, POST])]
async fn both() {}

fn main() {
    let _ = App::new().route(read).route(both).into_router();
}
