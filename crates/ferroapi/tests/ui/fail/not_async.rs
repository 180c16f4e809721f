// Test: a websocket function must be async (a plain `fn` route runs on the
// blocking pool; a websocket cannot); the error points at `fn`.
use ferroapi::{websocket, WebSocket};

#[websocket("/x")]
fn not_async(socket: WebSocket) {
    let _ = socket;
}

fn main() {}
