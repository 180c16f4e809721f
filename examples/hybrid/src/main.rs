//! `cargo run -p example-hybrid` serves REST and gRPC on 127.0.0.1:8002
//! (`$HYBRID_ADDR`); `... -- openapi [FILE]` writes the OpenAPI document (stdout without FILE).
#![forbid(unsafe_code)]

/// The allocator ferroapi's services ship with (the workspace's
/// `tikv-jemallocator`): as fast as the system's on every showdown row, and
/// it returns memory after a burst of connections.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let app = example_hybrid::app(example_hybrid::Store::default());
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some("openapi") {
        app.write_openapi(args.next().as_deref())?;
        return Ok(());
    }
    let addr = std::env::var("HYBRID_ADDR").unwrap_or_else(|_| "127.0.0.1:8002".to_owned());
    println!("textstats: REST + gRPC on http://{addr} (docs at /docs)");
    app.serve(&addr).await?;
    Ok(())
}
