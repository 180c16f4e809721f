//! Integration tests of ferroapi's public API, one binary (modules by area).
//! Behaviour that FastAPI also has is covered case by case in `conformance/`;
//! these cover what only ferroapi has or what needs a real socket.

mod background;
mod blocking;
mod bodies;
mod contract;
mod dependencies;
mod document;
mod lifespan;
mod metadata;
#[cfg(feature = "metrics")]
mod metrics;
mod middleware;
mod responses;
mod routing;
mod serving;
mod teardown;
mod websockets;
