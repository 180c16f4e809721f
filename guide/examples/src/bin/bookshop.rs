//! `cargo run -p guide-examples --bin bookshop`: the first chapter's app, served.
#![forbid(unsafe_code)]

// ANCHOR: main
#[tokio::main]
async fn main() -> Result<(), ferroapi::Error> {
    let addr = std::env::var("BOOKSHOP_ADDR").unwrap_or_else(|_| "127.0.0.1:8000".into());
    guide_examples::first_steps::app().serve(&addr).await
}
// ANCHOR_END: main
