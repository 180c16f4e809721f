//! What the `ferroapi` command's integration tests share: where the
//! repository and the oracle's Python are, running the command, and reading
//! what `contract replay` prints.
#![allow(dead_code)] // each test file uses its own part

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// A Python with FastAPI: the oracle's (`conformance/setup.sh` makes it), or
/// `FERROAPI_TEST_PYTHON`.
pub fn python() -> PathBuf {
    if let Some(p) = std::env::var_os("FERROAPI_TEST_PYTHON") {
        return p.into();
    }
    let venv = root().join("conformance/.venv/bin/python");
    assert!(
        venv.exists(),
        "no Python with FastAPI: run conformance/setup.sh (or set FERROAPI_TEST_PYTHON)"
    );
    venv
}

/// Runs the `ferroapi` command.
pub fn ferroapi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferroapi"))
        .args(args)
        .output()
        .unwrap()
}

/// `contract replay RECORDING --against http://ADDR`, with more arguments.
pub fn replay(recording: &Path, addr: std::net::SocketAddr, extra: &[&str]) -> Output {
    let against = format!("http://{addr}");
    let mut args = vec![
        "contract",
        "replay",
        recording.to_str().unwrap(),
        "--against",
        &against,
    ];
    args.extend_from_slice(extra);
    ferroapi(&args)
}

/// What a run printed, both streams.
pub fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Where a project app's FastAPI module lives.
pub fn app_dir(name: &str) -> PathBuf {
    match name.starts_with("tut_") {
        true => root().join("guide/python"),
        false => root().join("conformance/apps"),
    }
}

/// `contract: N identical, M listed, K different, S stale ledger rows`.
pub fn counts(out: &Output) -> [usize; 4] {
    let s = String::from_utf8_lossy(&out.stdout);
    let line = s
        .lines()
        .find(|l| l.starts_with("contract: "))
        .unwrap_or_else(|| panic!("no summary:\n{}", text(out)));
    let n: Vec<usize> = line
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().unwrap())
        .collect();
    [n[0], n[1], n[2], n[3]]
}
