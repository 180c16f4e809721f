//! `ferroapi port` on every FastAPI app the project has (`conformance/apps`,
//! `guide/python`): inspect → generate → build (all generated crates in one
//! throwaway workspace, so dependencies build once) → the document each
//! generated binary serves against FastAPI's, unit by unit, and the replay
//! of FastAPI's recorded answers that no code of the app decided (the
//! requests a port must answer the same on day 0, before any handler is
//! written). A difference is either a row of `conformance/PORT.md` with its
//! reason or a failure; so is a row that no longer differs. The per-app
//! report is printed and written to `target/port-report.md`.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

mod common;
use common::{app_dir, counts, ferroapi, python, root, text};

/// `port inspect`, then `contract record`, of one app.
fn inspect_and_record(name: &str, work: &Path) -> (PathBuf, PathBuf) {
    let target = format!("{name}:app");
    let python = python();
    let dir = app_dir(name);
    let manifest = work.join(format!("{name}.manifest.json"));
    let recording = work.join(format!("{name}.recording.json"));
    for (cmd, file) in [
        (["port", "inspect"], &manifest),
        (["contract", "record"], &recording),
    ] {
        let out = ferroapi(&[
            cmd[0],
            cmd[1],
            &target,
            "--python",
            python.to_str().unwrap(),
            "--app-dir",
            dir.to_str().unwrap(),
            "-o",
            file.to_str().unwrap(),
        ]);
        assert!(
            out.status.success(),
            "{} {} {name}: {}",
            cmd[0],
            cmd[1],
            text(&out)
        );
    }
    (manifest, recording)
}

/// The crate's name for an app.
fn crate_name(app: &str) -> String {
    format!("{}-port", app.replace('_', "-"))
}

/// Two JSON values equal as JSON (FastAPI writes `5000.0` where ferroapi
/// writes `5000`: the same number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// A document's units: each operation, each component schema, the other
/// components, and each other top-level key.
fn units(doc: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            out.push((format!("{} {path}", method.to_uppercase()), op.clone()));
        }
    }
    for (name, s) in doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        out.push((format!("schema {name}"), s.clone()));
    }
    for (k, v) in doc["components"].as_object().into_iter().flatten() {
        if k != "schemas" {
            out.push((format!("components {k}"), v.clone()));
        }
    }
    for (k, v) in doc.as_object().into_iter().flatten() {
        if k != "paths" && k != "components" {
            out.push((k.clone(), v.clone()));
        }
    }
    out
}

/// The units where two documents differ, and how many units there are.
fn differing_units(want: &Value, got: &Value) -> (Vec<String>, usize) {
    let w = units(want);
    let g = units(got);
    let mut names: Vec<&String> = w.iter().chain(&g).map(|(n, _)| n).collect();
    names.sort();
    names.dedup();
    let find = |list: &[(String, Value)], n: &str| {
        list.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone())
    };
    let differing = names
        .iter()
        .filter(|n| match (find(&w, n), find(&g, n)) {
            (Some(a), Some(b)) => !same(&a, &b),
            _ => true,
        })
        .map(|n| n.to_string())
        .collect();
    (differing, names.len())
}

/// `| app | what | reason |` rows of `conformance/PORT.md`.
fn ledger() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(root().join("conformance/PORT.md")).unwrap();
    text.lines()
        .filter(|l| l.trim_start().starts_with('|'))
        .filter_map(|l| {
            let cells: Vec<&str> = l
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            (cells.len() >= 3 && !cells[0].starts_with("---") && cells[0] != "app").then(|| {
                (
                    cells[0].trim_matches('`').to_string(),
                    cells[1].trim_matches('`').to_string(),
                    cells[2..].join("|"),
                )
            })
        })
        .collect()
}

/// A row names a unit or a case: exactly, or with `*` for any text.
fn matches(row: &str, what: &str) -> bool {
    let parts: Vec<&str> = row.split('*').collect();
    if parts.len() == 1 {
        return row == what;
    }
    let mut rest = what;
    for (i, p) in parts.iter().enumerate() {
        match i {
            0 => match rest.strip_prefix(p) {
                Some(r) => rest = r,
                None => return false,
            },
            _ if i == parts.len() - 1 => return rest.ends_with(p),
            _ => match rest.find(p) {
                Some(at) => rest = &rest[at + p.len()..],
                None => return false,
            },
        }
    }
    true
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Serves a generated binary; killed when dropped.
struct Served(Child, SocketAddr);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(binary: &Path) -> Served {
    let port = free_port();
    let child = Command::new(binary)
        .env("PORT", port.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    // Owned at once: killed and waited for however this ends.
    let served = Served(child, addr);
    for _ in 0..200 {
        if std::net::TcpStream::connect(addr).is_ok() {
            return served;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("{} did not serve on {addr}", binary.display());
}

#[test]
fn every_project_app_is_generated_built_and_answers_the_same_before_its_handlers() {
    let apps = ferroapi_conformance::APPS;
    let work_root = root().join("target/port-apps");
    let work = work_root.join("work");
    std::fs::create_dir_all(&work).unwrap();
    // Python's part, two at a time.
    let made: Vec<(String, PathBuf, PathBuf)> = std::thread::scope(|s| {
        let mut all = Vec::new();
        for chunk in apps.chunks(apps.len().div_ceil(2)) {
            let work = &work;
            all.push(s.spawn(move || {
                chunk
                    .iter()
                    .map(|a| {
                        let (m, r) = inspect_and_record(a, work);
                        (a.to_string(), m, r)
                    })
                    .collect::<Vec<_>>()
            }));
        }
        all.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    // Generate every crate into one workspace.
    let ferroapi_path = root().join("crates/ferroapi");
    let mut members = Vec::new();
    let mut gaps = std::collections::BTreeMap::new();
    for (app, manifest, _) in &made {
        let out_dir = work_root.join(app);
        let out = ferroapi(&[
            "port",
            "generate",
            manifest.to_str().unwrap(),
            "--out",
            out_dir.to_str().unwrap(),
            "--name",
            &crate_name(app),
            "--ferroapi-path",
            ferroapi_path.to_str().unwrap(),
            "--allow-gaps",
        ]);
        assert!(out.status.success(), "generate {app}: {}", text(&out));
        let listed: Vec<String> = String::from_utf8_lossy(&out.stderr)
            .lines()
            .filter(|l| l.starts_with("NO "))
            .map(String::from)
            .collect();
        gaps.insert(app.clone(), listed);
        members.push(format!("{app:?}"));
    }
    // Routers are mirrored, not flattened: `including`'s `v2` router holds
    // `people` under its own include (prefix and tag), and the route keeps
    // only its own path and tags. Its document is compared below.
    let including = std::fs::read_to_string(work_root.join("including/src/routes.rs")).unwrap();
    for part in [
        "fn v2_router() -> APIRouter {",
        ".prefix(\"/people\")",
        ".tag(\"humans\")",
        ".include_router(people_router())",
        "fn people_router() -> APIRouter {",
        ".prefix(\"/users\")",
        "#[get(\"/{user_id}\"",
        ".include_router(APIRouter::new().prefix(\"/api\").include_router(v2_router()))",
        ".dependency::<verify_token>()",
    ] {
        assert!(including.contains(part), "no `{part}` in:\n{including}");
    }
    std::fs::write(
        work_root.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // The project's own lock: the versions its tests already built.
    std::fs::copy(root().join("Cargo.lock"), work_root.join("Cargo.lock")).unwrap();
    let target = work_root.join("target");
    let build = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--offline", "--quiet"])
        .current_dir(&work_root)
        .env("CARGO_TARGET_DIR", &target)
        // 66 binaries share one disk: no debug info, no symbols, no
        // incremental state (about 0.6 GB with the dependencies).
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .env("CARGO_PROFILE_DEV_STRIP", "symbols")
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        build.status.success(),
        "the generated crates do not build:\n{}",
        text(&build)
    );

    let rows = ledger();
    let mut used_rows = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    let mut report = vec![
        "| app | document units identical | decided before the handler, identical | listed | stubs | gaps |".to_string(),
        "|---|---:|---:|---:|---:|---:|".to_string(),
    ];
    let mut totals = [0usize; 7];
    for (app, manifest, recording) in &made {
        let manifest: Value =
            serde_json::from_str(&std::fs::read_to_string(manifest).unwrap()).unwrap();
        let binary = target.join("debug").join(crate_name(app));
        let doc = Command::new(&binary).arg("--openapi").output().unwrap();
        assert!(doc.status.success(), "{app} --openapi: {}", text(&doc));
        let got: Value = serde_json::from_slice(&doc.stdout).unwrap();
        let (differing, n_units) = differing_units(&manifest["openapi"], &got);
        let mut listed = 0;
        for unit in &differing {
            let what = format!("document: {unit}");
            match rows
                .iter()
                .position(|(a, w, _)| a == app && matches(w, &what))
            {
                Some(i) => {
                    used_rows.insert(i);
                    listed += 1;
                }
                None => failures.push(format!("{app}: {what} differs from FastAPI's")),
            }
        }
        // The cases no code of the app decided, against the served port.
        let own: String = rows
            .iter()
            .filter(|(a, w, _)| a == app && !w.starts_with("document: "))
            .map(|(_, w, r)| format!("| {w} | {r} |\n"))
            .collect();
        let ledger_file = work.join(format!("{app}.port-ledger.md"));
        std::fs::write(&ledger_file, format!("| case | reason |\n|---|---|\n{own}")).unwrap();
        let served = serve(&binary);
        let against = format!("http://{}", served.1);
        let out = ferroapi(&[
            "contract",
            "replay",
            recording.to_str().unwrap(),
            "--against",
            &against,
            "--before-handler",
            "--ledger",
            ledger_file.to_str().unwrap(),
        ]);
        drop(served);
        let [identical, cases_listed, different, stale] = counts(&out);
        for (i, (a, w, _)) in rows.iter().enumerate() {
            if a == app && !w.starts_with("document: ") {
                used_rows.insert(i);
            }
        }
        if different > 0 || stale > 0 {
            failures.push(format!("{app}:\n{}", text(&out)));
        }
        let stubs = String::from_utf8_lossy(
            &ferroapi(&["port", "status", work_root.join(app).to_str().unwrap()]).stdout,
        )
        .lines()
        .filter(|l| l.starts_with("STUB "))
        .count();
        let n_gaps = gaps[app].len();
        let pre = identical + cases_listed + different;
        report.push(format!(
            "| {app} | {}/{n_units} | {identical}/{pre} | {} | {stubs} | {n_gaps} |",
            n_units - differing.len(),
            listed + cases_listed,
        ));
        for (t, x) in totals.iter_mut().zip([
            n_units - differing.len(),
            n_units,
            identical,
            pre,
            listed + cases_listed,
            stubs,
            n_gaps,
        ]) {
            *t += x;
        }
    }
    for (i, (a, w, _)) in rows.iter().enumerate() {
        if w.starts_with("document: ") && !used_rows.contains(&i) {
            failures.push(format!(
                "conformance/PORT.md: `{a}` `{w}` no longer differs: remove the row"
            ));
        }
    }
    report.push(format!(
        "| **all {} apps** | {}/{} | {}/{} | {} | {} | {} |",
        made.len(),
        totals[0],
        totals[1],
        totals[2],
        totals[3],
        totals[4],
        totals[5],
        totals[6]
    ));
    let report = report.join("\n") + "\n";
    println!("{report}");
    for (app, g) in &gaps {
        for line in g {
            println!("{app}: {line}");
        }
    }
    std::fs::write(root().join("target/port-report.md"), &report).unwrap();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn rows_match_exactly_or_by_pattern() {
    assert!(matches(
        "document: schema Body_*",
        "document: schema Body_int"
    ));
    assert!(matches("* as 'inf'", "q as 'inf'"));
    assert!(!matches("document: GET /a", "document: GET /ab"));
    assert!(matches("a*c*e", "abcde"));
    assert!(!matches("a*c*e", "abcd"));
}

/// A construct the generator cannot express stops it, named with its
/// `file:line`; `--allow-gaps` writes the crate with each marked, and
/// `port status` lists every stub and gap until none is left.
#[test]
fn gaps_stop_generation_and_status_lists_what_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let apps = root().join("crates/ferroapi-cli/tests/apps");
    let manifest = dir.path().join("shop.json");
    let python = python();
    let out = ferroapi(&[
        "port",
        "inspect",
        "shop:app",
        "--python",
        python.to_str().unwrap(),
        "--app-dir",
        apps.to_str().unwrap(),
        "-o",
        manifest.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let crate_dir = dir.path().join("shop-port");
    let refused = ferroapi(&[
        "port",
        "generate",
        manifest.to_str().unwrap(),
        "--out",
        crate_dir.to_str().unwrap(),
    ]);
    assert!(!refused.status.success());
    let said = text(&refused);
    // shop.py's websocket, at its handler's line.
    assert!(
        said.contains("NO a `websocket` route at /feed (shop.py:"),
        "{said}"
    );
    assert!(
        !crate_dir.exists(),
        "nothing is written without --allow-gaps"
    );
    let written = ferroapi(&[
        "port",
        "generate",
        manifest.to_str().unwrap(),
        "--out",
        crate_dir.to_str().unwrap(),
        "--allow-gaps",
    ]);
    assert!(written.status.success(), "{}", text(&written));
    let routes = std::fs::read_to_string(crate_dir.join("src/routes.rs")).unwrap();
    // The handlers, the dependencies and the OAuth2 scheme's settings.
    assert!(routes.contains("async fn read_item("), "{routes}");
    assert!(
        routes.contains("#[ferroapi::dependency]\nasync fn verify_key("),
        "{routes}"
    );
    assert!(
        routes.contains("const TOKEN_URL: &'static str = \"token\";"),
        "{routes}"
    );
    assert!(routes.contains("Err(HTTPException::new(501, \"TODO(port): shop.py:"));
    // What FastAPI does to a handler's answer is a note at the route.
    assert!(
        routes.contains("`response_model_exclude_unset`: answer only the fields the handler set"),
        "{routes}"
    );
    let models = std::fs::read_to_string(crate_dir.join("src/models.rs")).unwrap();
    assert!(
        models.contains("#[garde(length(chars, min = 1, max = 50))]"),
        "{models}"
    );
    assert!(
        models.contains("field_validator `name_is_trimmed` (shop.py:"),
        "{models}"
    );
    let status = ferroapi(&["port", "status", crate_dir.to_str().unwrap()]);
    assert!(!status.status.success());
    let listed = String::from_utf8_lossy(&status.stdout).to_string();
    let stubs = listed.lines().filter(|l| l.starts_with("STUB ")).count();
    let gaps = listed.lines().filter(|l| l.starts_with("NO ")).count();
    assert!(stubs >= 6 && gaps >= 1, "{listed}");
    assert!(
        listed.contains(&format!("status: {stubs} stubs, {gaps} gaps left")),
        "{listed}"
    );
    // Written by hand: nothing is left, and status passes.
    for file in ["src/routes.rs", "src/models.rs", "src/main.rs"] {
        let path = crate_dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let done: String = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("// TODO(port)"))
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&path, done).unwrap();
    }
    let status = ferroapi(&["port", "status", crate_dir.to_str().unwrap()]);
    assert!(status.status.success(), "{}", text(&status));
}
