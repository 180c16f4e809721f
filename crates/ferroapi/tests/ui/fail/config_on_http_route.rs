use ferroapi::websocket::WebSocketConfig;
use ferroapi::{get, Json};

#[get("/x", config = WebSocketConfig::DEFAULT)]
async fn x() -> Json<u8> {
    Json(1)
}

fn main() {}
