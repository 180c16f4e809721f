//! `ferroapi port inspect` against a FastAPI app (`tests/apps/shop.py`) in
//! the oracle's Python (`conformance/.venv`, made by `conformance/setup.sh`;
//! `FERROAPI_TEST_PYTHON` names another).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::python;

fn apps() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/apps")
}

fn run(target: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ferroapi"))
        .args(["port", "inspect", target, "--python"])
        .arg(python())
        .arg("--app-dir")
        .arg(apps())
        .output()
        .unwrap()
}

fn manifest() -> (Vec<u8>, Value) {
    let out = run("shop:app");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = serde_json::from_slice(&out.stdout).unwrap();
    (out.stdout, v)
}

/// The source line a `file:line` names, and the lines after it.
fn source_from(at: &str) -> Vec<String> {
    let (file, line) = at.rsplit_once(':').unwrap();
    let text = std::fs::read_to_string(apps().join(file)).unwrap();
    let line: usize = line.parse().unwrap();
    text.lines().skip(line - 1).map(str::to_string).collect()
}

/// `at` names the definition of `name` (its first decorator or its `def`).
fn defines(at: &str, name: &str) -> bool {
    source_from(at)
        .iter()
        .take_while(|l| {
            l.starts_with('@')
                || l.trim_start().starts_with('@')
                || l.contains("def ")
                || l.contains("class ")
        })
        .any(|l| {
            l.contains(&format!("def {name}("))
                || l.contains(&format!("class {name}("))
                || l.contains(&format!("class {name}:"))
        })
}

#[test]
fn two_runs_write_the_same_bytes() {
    let (a, _) = manifest();
    let (b, _) = manifest();
    assert_eq!(a, b);
}

#[test]
fn the_manifest_holds_what_a_port_needs() {
    let (_, m) = manifest();
    // Versions, as the app's Python has them.
    let out = Command::new(python())
        .args([
            "-c",
            "import fastapi, pydantic; print(fastapi.__version__, pydantic.VERSION)",
        ])
        .output()
        .unwrap();
    let versions = String::from_utf8(out.stdout).unwrap();
    let (fastapi, pydantic) = versions.trim().split_once(' ').unwrap();
    assert_eq!(m["versions"]["fastapi"], fastapi);
    assert_eq!(m["versions"]["pydantic"], pydantic);

    // The routes, with the operationIds FastAPI's own document gives them.
    let routes: Vec<&Value> = m["routes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "route")
        .collect();
    assert_eq!(routes.len(), 2, "{routes:#?}");
    let doc = &m["openapi"]["paths"];
    let read = routes.iter().find(|r| r["name"] == "read_item").unwrap();
    assert_eq!(read["path"], "/items/{item_id}");
    assert_eq!(read["methods"], serde_json::json!(["GET"]));
    assert_eq!(
        read["unique_id"],
        doc["/items/{item_id}"]["get"]["operationId"]
    );
    assert_eq!(read["tags"], serde_json::json!(["items"]));
    assert_eq!(read["response_model_exclude_unset"], true);
    assert_eq!(read["response_model"], "shop.ItemOut");
    assert!(defines(
        read["handler"]["at"].as_str().unwrap(),
        "read_item"
    ));
    assert_eq!(read["handler"]["todo"], true);
    let create = routes.iter().find(|r| r["name"] == "create_item").unwrap();
    assert_eq!(
        create["operation_id"],
        doc["/items/"]["post"]["operationId"]
    );
    assert_eq!(create["status_code"], 201);

    // Parameters with their aliases and constraints.
    let params = read["dependant"]["params"].as_array().unwrap();
    let q = params.iter().find(|p| p["name"] == "q").unwrap();
    assert_eq!(q["location"], "query");
    assert_eq!(q["alias"], "query");
    assert_eq!(
        q["field"]["constraints"],
        serde_json::json!(["MaxLen(max_length=10)"])
    );
    assert_eq!(q["field"]["required"], false);

    // The dependency tree: the router's, a yield one, a secured one.
    let deps = read["dependant"]["dependencies"].as_array().unwrap();
    let key = deps
        .iter()
        .find(|d| d["function"] == "shop.verify_key")
        .unwrap();
    assert_eq!(key["params"][0]["alias"], "x-key");
    assert!(defines(key["at"].as_str().unwrap(), "verify_key"));
    let session = deps
        .iter()
        .find(|d| d["function"] == "shop.session")
        .unwrap();
    assert_eq!(session["yield"], true);
    assert_eq!(session["async"], true);
    let user = deps
        .iter()
        .find(|d| d["function"] == "shop.current_user")
        .unwrap();
    assert_eq!(user["scopes"], serde_json::json!(["items:read"]));
    let scheme = &user["dependencies"][0]["security"];
    assert_eq!(
        scheme["class"],
        "fastapi.security.oauth2.OAuth2PasswordBearer"
    );
    assert_eq!(scheme["model"]["flows"]["password"]["tokenUrl"], "token");

    // Models: fields in order, defaults, validators with their place.
    let item = &m["models"]["shop.Item"];
    assert!(defines(item["at"].as_str().unwrap(), "Item"));
    assert_eq!(
        item["field_order"],
        serde_json::json!(["name", "price", "tags", "sku"])
    );
    assert_eq!(
        item["fields"]["tags"]["default_factory"]["function"],
        "builtins.list"
    );
    assert_eq!(item["fields"]["sku"]["default"], Value::Null);
    assert_eq!(
        item["fields"]["price"]["constraints"],
        serde_json::json!(["Gt(gt=0)"])
    );
    let v = item["validators"].as_array().unwrap();
    let trimmed = v
        .iter()
        .find(|v| v["function"] == "name_is_trimmed")
        .unwrap();
    assert_eq!(trimmed["kind"], "field_validator");
    assert_eq!(trimmed["fields"], serde_json::json!(["name"]));
    assert!(defines(trimmed["at"].as_str().unwrap(), "name_is_trimmed"));
    assert!(v
        .iter()
        .any(|v| v["kind"] == "model_validator" && v["mode"] == "after"));
    assert!(m["models"]["shop.ItemOut"]["schema"]["validation"]["properties"]["item"].is_object());

    // Routers as included, handlers, middleware, lifespan.
    let router = &m["routers"][0];
    assert_eq!(router["router_prefix"], "/items");
    assert_eq!(router["router_tags"], serde_json::json!(["items"]));
    assert_eq!(
        router["router_dependencies"][0]["function"],
        "shop.verify_key"
    );
    let handler = m["exception_handlers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["exception"] == "shop.OutOfStock")
        .unwrap();
    assert_eq!(handler["builtin"], false);
    assert!(defines(handler["at"].as_str().unwrap(), "out_of_stock"));
    assert_eq!(
        m["middleware"][0]["class"],
        "starlette.middleware.cors.CORSMiddleware"
    );
    assert_eq!(
        m["middleware"][0]["options"]["allow_origins"],
        serde_json::json!(["https://shop.example"])
    );
    assert_eq!(m["lifespan"][0]["function"], "shop.lifespan");
    assert!(defines(
        m["lifespan"][0]["at"].as_str().unwrap(),
        "lifespan"
    ));
}

#[test]
fn an_app_that_does_not_import_is_an_error_with_pythons_words() {
    let out = run("no_such_module:app");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("ModuleNotFoundError"), "{err}");
    let out = run("shop");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("MODULE:APP"));
}

/// Every FastAPI app of the conformance suite: inspected twice, the same
/// bytes; each operation of FastAPI's document is a route of the manifest,
/// with the same operationId (the manifest keeps a path's converters,
/// `{p:path}`, as declared; the document drops them).
#[test]
fn every_conformance_app_is_inspected_the_same_twice_with_its_documented_operations() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../conformance/apps");
    let mut apps: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".py").map(str::to_string)
        })
        .collect();
    apps.sort();
    assert!(apps.len() >= 30, "{apps:?}");
    let inspect = |app: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_ferroapi"))
            .args(["port", "inspect", &format!("{app}:app"), "--python"])
            .arg(python())
            .arg("--app-dir")
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{app}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let converter = without_converters;
    std::thread::scope(|s| {
        for half in apps.chunks(apps.len().div_ceil(2)) {
            s.spawn(move || {
                for app in half {
                    let first = inspect(app);
                    assert_eq!(first, inspect(app), "{app}: two runs differ");
                    let m: Value = serde_json::from_slice(&first).unwrap();
                    let mut documented = Vec::new();
                    if let Some(paths) = m["openapi"]["paths"].as_object() {
                        for (path, item) in paths {
                            for (method, op) in item.as_object().unwrap() {
                                if let Some(id) = op.get("operationId") {
                                    documented.push((
                                        path.clone(),
                                        method.to_uppercase(),
                                        id.clone(),
                                    ));
                                }
                            }
                        }
                    }
                    for (path, method, id) in documented {
                        let found = m["routes"].as_array().unwrap().iter().any(|r| {
                            r["kind"] == "route"
                                && converter(r["path"].as_str().unwrap()) == path
                                && r["methods"]
                                    .as_array()
                                    .unwrap()
                                    .iter()
                                    .any(|x| x == &method)
                                && (r["operation_id"] == id || r["unique_id"] == id)
                        });
                        assert!(
                            found,
                            "{app}: {method} {path} ({id}) is not in the manifest"
                        );
                    }
                }
            });
        }
    });
}

/// `/files/{p:path}` → `/files/{p}`.
fn without_converters(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push(c);
            }
            '}' => {
                in_param = false;
                skipping = false;
                out.push(c);
            }
            ':' if in_param => skipping = true,
            _ if skipping => {}
            _ => out.push(c),
        }
    }
    out
}

/// What goes wrong before a manifest is made is said in one line a user
/// can act on: a Python without FastAPI, an app that does not import (with
/// the line that failed), a missing or a wrong attribute.
#[test]
fn an_app_that_cannot_be_inspected_is_named_with_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("broken.py"),
        "x = 1\nimport not_installed_anywhere\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("plain.py"), "app = object()\n").unwrap();
    // The same Python, blind to its site-packages: no FastAPI there.
    let bare = dir.path().join("bare-python");
    std::fs::write(
        &bare,
        format!("#!/bin/sh\nexec {} -S \"$@\"\n", python().display()),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&bare, std::fs::Permissions::from_mode(0o755)).unwrap();
    let app_dir = dir.path().to_str().unwrap();
    let said = |target: &str, py: &Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_ferroapi"))
            .args(["port", "inspect", target, "--python"])
            .arg(py)
            .args(["--app-dir", app_dir])
            .output()
            .unwrap();
        assert!(!out.status.success(), "{target}");
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
        err
    };
    let python = python();
    assert!(said("plain:app", &bare).contains("has no FastAPI: give --python"));
    let broken = said("broken:app", &python);
    assert!(
        broken.contains("does not import: ModuleNotFoundError") && broken.contains("broken.py:2)"),
        "{broken}"
    );
    assert!(said("absent:app", &python).contains("is --app-dir"));
    assert!(said("plain:other", &python).contains("plain has no `other`"));
    assert!(said("plain:app", &python).contains("not a FastAPI app"));
}
