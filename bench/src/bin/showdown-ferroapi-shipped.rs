//! The showdown's ferroapi server as a ferroapi service ships: the same app
//! (`showdown-ferroapi.rs`, compiled in as a module) on jemalloc, the
//! allocator the flagship (`apps/fullstack`) and the examples declare. The
//! other contestants, and `showdown-ferroapi`, run on the system allocator:
//! the allocator-neutral comparison.
#![forbid(unsafe_code)]

/// The flagship's allocator, with the same features (`apps/fullstack/Cargo.toml`).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[path = "showdown-ferroapi.rs"]
mod app;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    app::main()
}
