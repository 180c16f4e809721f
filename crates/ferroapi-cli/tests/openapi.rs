//! `ferroapi openapi`: an app's document without serving it, from a ferroapi
//! app's own binary (built and run by cargo) and from a FastAPI app's Python.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn ferroapi(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferroapi"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap()
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or_else(|e| {
        panic!("not JSON ({e}): {}", String::from_utf8_lossy(bytes));
    })
}

/// The items example's document, printed by its own `main` (which serves
/// with `App::serve`), is its reviewed snapshot; no port is bound.
#[test]
fn a_ferroapi_apps_document_comes_from_its_binary() {
    let out = ferroapi(&["openapi", "-p", "example-items"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let snapshot = std::fs::read(root().join("examples/items/openapi.json")).unwrap();
    assert_eq!(json(&out.stdout), json(&snapshot));
    // To a file with -o.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("doc.json");
    let out = ferroapi(&[
        "openapi",
        "-p",
        "example-items",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert_eq!(json(&std::fs::read(&file).unwrap()), json(&snapshot));
}

/// A binary that never serves an app says so, with what it printed.
#[test]
fn a_binary_that_does_not_serve_is_named() {
    let out = ferroapi(&["openapi", "-p", "ferroapi-cli", "--bin", "ferroapi"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no document from the app"), "{err}");
}

/// A FastAPI app's document is `app.openapi()`: the recorded one.
#[test]
fn a_fastapi_apps_document_comes_from_its_python() {
    let python = root().join("conformance/.venv/bin/python");
    assert!(python.exists(), "run conformance/setup.sh");
    let out = ferroapi(&[
        "openapi",
        "bodies:app",
        "--python",
        python.to_str().unwrap(),
        "--app-dir",
        "conformance/apps",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let golden = std::fs::read(root().join("conformance/golden/bodies.openapi.json")).unwrap();
    assert_eq!(json(&out.stdout), json(&golden));
    let out = ferroapi(&[
        "openapi",
        "nothing_here:app",
        "--python",
        python.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ModuleNotFoundError"));
}
