//! `ferroapi contract record` against every FastAPI app the project has
//! (`conformance/apps`, `guide/python`), and `contract replay` of each
//! recording against the app's ferroapi twin (`ferroapi_conformance::app`),
//! served on a real socket. The recorded requests are made from each app's
//! own document, not written by hand: they reach what the conformance cases
//! never asked. Differences are listed in `conformance/CONTRACT.md`.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

mod common;
use common::{app_dir, counts, ferroapi, python, replay, root, text};

fn record(name: &str, out: &Path, extra: &[&str]) -> Output {
    let target = format!("{name}:app");
    let python = python();
    let dir = app_dir(name);
    let mut args = vec![
        "contract",
        "record",
        &target,
        "--python",
        python.to_str().unwrap(),
        "--app-dir",
        dir.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    ferroapi(&args)
}

/// Serves `router` on a free port of 127.0.0.1 until the test ends.
fn serve(router: ferroapi::axum::Router) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            ferroapi::axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
    });
    rx.recv().unwrap()
}

#[test]
fn every_project_app_is_recorded_and_its_twin_answers_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let rows = std::fs::read_to_string(root().join("conformance/CONTRACT.md")).unwrap();
    let names = ferroapi_conformance::APPS;
    // Two at a time: recording is Python's start-up and the app's answers.
    let recordings: Vec<(String, PathBuf, Output)> = std::thread::scope(|s| {
        let mut all = Vec::new();
        for chunk in names.chunks(names.len().div_ceil(2)) {
            let dir = dir.path();
            all.push(s.spawn(move || {
                chunk
                    .iter()
                    .map(|name| {
                        let file = dir.join(format!("{name}.json"));
                        let out = record(name, &file, &[]);
                        (name.to_string(), file, out)
                    })
                    .collect::<Vec<_>>()
            }));
        }
        all.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let mut report = Vec::new();
    let mut total = [0usize; 4];
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, file, rec) in &recordings {
        assert!(rec.status.success(), "record {name}: {}", text(rec));
        let recording: Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let cases = recording["cases"].as_array().unwrap();
        // Every operation of the document has its valid request.
        let paths = recording["cases"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["expect"] == "valid")
            .count();
        assert!(paths > 0, "{name}: no valid request made");
        // This app's rows of the project's ledger, as a ledger of its own.
        let ledger = dir.path().join(format!("{name}.ledger.md"));
        std::fs::write(&ledger, own_rows(&rows, name)).unwrap();
        let addr = serve(ferroapi_conformance::app(name).unwrap());
        let out = replay(file, addr, &["--ledger", ledger.to_str().unwrap()]);
        let n = counts(&out);
        for (t, x) in total.iter_mut().zip(n) {
            *t += x;
        }
        report.push(format!(
            "{name}: {} cases, {} identical, {} listed, {} different",
            cases.len(),
            n[0],
            n[1],
            n[2]
        ));
        if !out.status.success() {
            failures.push(format!("{name}:\n{}", text(&out)));
        }
        // The twin's served document, locked, against FastAPI's: nothing
        // changed, nothing breaks.
        let Some(doc_case) = cases.iter().find(|c| c["name"] == "the document") else {
            continue;
        };
        if doc_case["response"]["status"] != 200 {
            continue;
        }
        let fastapi = dir.path().join(format!("{name}.fastapi.json"));
        std::fs::write(
            &fastapi,
            doc_case["response"]["body"]["text"].as_str().unwrap(),
        )
        .unwrap();
        let locked = dir.path().join(format!("{name}.lock.json"));
        let url = format!(
            "http://{addr}{}",
            doc_case["request"]["path"].as_str().unwrap()
        );
        // As the recording's client named the server (an app may check it).
        let lock = ferroapi(&[
            "contract",
            "lock",
            &url,
            "--host",
            "testserver",
            "-o",
            locked.to_str().unwrap(),
        ]);
        assert!(lock.status.success(), "{name}: {}", text(&lock));
        let check = ferroapi(&[
            "contract",
            "check",
            fastapi.to_str().unwrap(),
            locked.to_str().unwrap(),
        ]);
        if !String::from_utf8_lossy(&check.stdout).contains("check: 0 breaking changes, 0 safe") {
            failures.push(format!(
                "{name}: the twin's document differs:\n{}",
                text(&check)
            ));
        }
        checked += 1;
    }
    for line in &report {
        println!("{line}");
    }
    println!(
        "contract replay, every project app: {} identical, {} listed, {} different",
        total[0], total[1], total[2]
    );
    println!(
        "contract check, every project app's twin document against FastAPI's: {checked} unchanged"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 60, "only {checked} documents checked");
}

/// `contract check` finds each break a change to a real document makes,
/// and passes an addition.
#[test]
fn redacted_secrets_are_not_written_and_any_value_replays() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases.json");
    std::fs::write(
        &cases,
        serde_json::json!([
            {"name": "login", "method": "POST", "path": "/token",
             "headers": [["content-type", "application/x-www-form-urlencoded"]],
             "body": "username=s3cret-user&password=pw"},
            {"name": "me", "method": "GET", "path": "/oauth",
             "headers": [["authorization", "Bearer s3cret-token"]]}
        ])
        .to_string(),
    )
    .unwrap();
    let file = dir.path().join("security.json");
    let rec = record(
        "security",
        &file,
        &[
            "--no-generate",
            "--cases",
            cases.to_str().unwrap(),
            "--redact-header",
            "Authorization",
            "--redact-json",
            "/access_token",
            "--redact-json",
            "/token",
        ],
    );
    assert!(rec.status.success(), "{}", text(&rec));
    let written = std::fs::read_to_string(&file).unwrap();
    // The header and both answers' secrets are gone (the login's form body is
    // a request the user wrote, recorded as sent).
    assert!(!written.contains("s3cret-token"), "{written}");
    let recording: Value = serde_json::from_str(&written).unwrap();
    for case in recording["cases"].as_array().unwrap() {
        assert!(!case["response"].to_string().contains("s3cret"), "{case}");
    }
    assert!(written.contains("<redacted>") && written.contains("<given at replay>"));
    let addr = serve(ferroapi_conformance::app("security").unwrap());
    // The port answers other secrets, in the same places: identical.
    let out = replay(
        &file,
        addr,
        &["--header", "Authorization: Bearer other-token"],
    );
    assert_eq!(counts(&out), [2, 0, 0, 0], "{}", text(&out));
    // The redacted request header must be given again.
    let out = replay(&file, addr, &[]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("--header \"authorization: ...\""),
        "{}",
        text(&out)
    );
}

#[test]
fn check_finds_what_breaks_a_real_document() {
    let golden = root().join("conformance/golden/bodies.openapi.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&golden).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let run = |new: &Value| {
        let file = dir.path().join("new.json");
        std::fs::write(&file, new.to_string()).unwrap();
        ferroapi(&[
            "contract",
            "check",
            golden.to_str().unwrap(),
            file.to_str().unwrap(),
        ])
    };
    let same = run(&doc);
    assert!(same.status.success(), "{}", text(&same));
    // Each path removed in turn is a break that names it.
    let paths: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    for path in &paths {
        let mut d = doc.clone();
        d["paths"]
            .as_object_mut()
            .unwrap()
            .shift_remove(path.as_str());
        let out = run(&d);
        assert!(!out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(&format!("{path}: operation removed")),
            "{}",
            text(&out)
        );
    }
    // A new optional query parameter on every operation is safe.
    let mut d = doc.clone();
    for item in d["paths"].as_object_mut().unwrap().values_mut() {
        for op in item.as_object_mut().unwrap().values_mut() {
            let params = op
                .as_object_mut()
                .unwrap()
                .entry("parameters")
                .or_insert_with(|| serde_json::json!([]));
            params.as_array_mut().unwrap().push(serde_json::json!(
                {"name": "new", "in": "query", "required": false, "schema": {"type": "string"}}
            ));
        }
    }
    let out = run(&d);
    assert!(out.status.success(), "{}", text(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains("parameter query new added"));
}

/// `| app | case | reason |` rows of the project's ledger for `app`, as
/// `| case | reason |` rows.
fn own_rows(rows: &str, app: &str) -> String {
    let mut out = String::from("| case | reason |\n|---|---|\n");
    for line in rows.lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if line.trim().starts_with('|') && cells.len() >= 3 && cells[0].trim_matches('`') == app {
            out.push_str(&format!("| {} | {} |\n", cells[1], cells[2..].join("|")));
        }
    }
    out
}
