//! Compiles proto/textstats.proto (server and client, plus the descriptor set
//! for reflection) with the protoc binary shipped in the `protoc-bin-vendored`
//! crate: nothing is downloaded at build time.
#![forbid(unsafe_code)]

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let protoc = protoc_bin_vendored::protoc_bin_path()?;
    // Build scripts run single-threaded; prost-build reads `PROTOC`.
    std::env::set_var("PROTOC", protoc);
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    tonic_prost_build::configure()
        .build_transport(false)
        .file_descriptor_set_path(out.join("textstats_descriptor.bin"))
        .compile_protos(&["proto/textstats.proto"], &["proto"])?;
    Ok(())
}
