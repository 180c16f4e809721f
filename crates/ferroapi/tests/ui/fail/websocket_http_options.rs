use ferroapi::{websocket, WebSocket};

// A websocket route is not in the OpenAPI document: HTTP-only options are refused.
#[websocket("/ws", status_code = 201)]
async fn ws(_ws: WebSocket) {}

fn main() {}
