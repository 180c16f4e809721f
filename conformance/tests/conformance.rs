//! Replays every recorded FastAPI case against the same app written with
//! ferroapi and compares status, body and the headers that matter.
//!
//! A case whose answer differs must be listed in DEVIATIONS.md with its reason;
//! a listed case that no longer differs is an error too (the list stays exact).
//! Prints `conformance: N identical, M documented deviations, K failing`.

use std::collections::BTreeSet;

use base64::Engine as _;
use ferroapi::http::{Method, Request};
use ferroapi_conformance::{app, APPS};
use serde_json::Value;

/// Headers whose value is part of the contract.
const COMPARED_HEADERS: [&str; 15] = [
    "www-authenticate",
    "vary",
    "access-control-allow-origin",
    "access-control-allow-methods",
    "access-control-allow-headers",
    "access-control-allow-credentials",
    "access-control-expose-headers",
    "access-control-max-age",
    "content-type",
    "location",
    "allow",
    "set-cookie",
    "x-error",
    "x-cache",
    "content-encoding",
];

fn decode(body: &Value) -> Vec<u8> {
    if let Some(t) = body.get("text").and_then(Value::as_str) {
        t.as_bytes().to_vec()
    } else if let Some(b) = body.get("base64").and_then(Value::as_str) {
        base64::engine::general_purpose::STANDARD
            .decode(b)
            .expect("base64 body")
    } else {
        Vec::new()
    }
}

fn gunzip(data: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    match flate2::read::GzDecoder::new(data).read_to_end(&mut out) {
        Ok(_) => out,
        Err(e) => format!("<invalid gzip: {e}>").into_bytes(),
    }
}

/// Listed deviations: `| app | case | reason |` rows of DEVIATIONS.md.
fn deviations() -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/DEVIATIONS.md"))
        .expect("DEVIATIONS.md");
    // Only the first table lists cases; later sections are prose about areas.
    text.lines()
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('|').map(str::trim).collect();
            (cols.len() >= 4 && APPS.contains(&cols[1]))
                .then(|| (cols[1].to_string(), cols[2].trim_matches('`').to_string()))
        })
        .collect()
}

/// JSON bodies are compared after parsing (key order kept); others byte for byte.
fn same_body(content_type: &str, want: &[u8], got: &[u8]) -> bool {
    if want == got {
        return true;
    }
    if content_type.starts_with("application/json") {
        if let (Ok(a), Ok(b)) = (
            serde_json::from_slice::<Value>(want),
            serde_json::from_slice::<Value>(got),
        ) {
            return serde_json::to_string(&a).ok() == serde_json::to_string(&b).ok();
        }
    }
    false
}

struct Outcome {
    identical: usize,
    deviations: usize,
    failing: Vec<String>,
    stale: Vec<String>,
}

async fn replay() -> Outcome {
    let listed = deviations();
    let mut seen = BTreeSet::new();
    let mut out = Outcome {
        identical: 0,
        deviations: 0,
        failing: Vec::new(),
        stale: Vec::new(),
    };
    // `conformance/fuzz` replays other recordings (other seeds, more cases)
    // of some apps: `CONFORMANCE_GOLDEN_DIR` and `CONFORMANCE_APPS`.
    let dir = std::env::var("CONFORMANCE_GOLDEN_DIR")
        .unwrap_or_else(|_| format!("{}/golden", env!("CARGO_MANIFEST_DIR")));
    let only = std::env::var("CONFORMANCE_APPS").ok();
    let chosen = |name: &str| {
        only.as_ref()
            .is_none_or(|o| o.split(',').any(|a| a == name))
    };
    for name in APPS.iter().copied().filter(|n| chosen(n)) {
        let path = format!("{dir}/{name}.json");
        let golden: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("golden file"))
                .expect("golden JSON");
        let router = app(name).expect("app");
        for case in golden["cases"].as_array().expect("cases") {
            let case_name = case["name"].as_str().expect("name").to_string();
            let req = &case["request"];
            let method = Method::from_bytes(req["method"].as_str().unwrap().as_bytes()).unwrap();
            let mut builder = ferroapi::TestClient::new(router.clone())
                .request(method.clone(), req["path"].as_str().unwrap());
            let headers = req["headers"].as_array().unwrap();
            // What Starlette's TestClient (httpx) sends unless the case sets it.
            for (k, v) in [
                ("host", "testserver"),
                ("accept", "*/*"),
                ("accept-encoding", "gzip, deflate"),
                ("connection", "keep-alive"),
                ("user-agent", "testclient"),
            ] {
                if !headers
                    .iter()
                    .any(|h| h[0].as_str().unwrap().eq_ignore_ascii_case(k))
                {
                    builder = builder.header(k, v);
                }
            }
            for h in headers {
                builder = builder.header(h[0].as_str().unwrap(), h[1].as_str().unwrap());
            }
            if !req["body"].is_null() {
                builder = builder.body(decode(&req["body"]));
            }
            let res = builder.send().await;
            let want = &case["response"];
            let mut problems = Vec::new();
            let want_status = want["status"].as_u64().unwrap() as u16;
            if res.status().as_u16() != want_status {
                problems.push(format!("status {} != {want_status}", res.status().as_u16()));
            }
            let want_headers: Vec<(String, String)> = want["headers"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| {
                    (
                        h[0].as_str().unwrap().to_string(),
                        h[1].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            for h in COMPARED_HEADERS {
                let w: Vec<&str> = want_headers
                    .iter()
                    .filter(|(k, _)| k == h)
                    .map(|(_, v)| v.as_str())
                    .collect();
                let g: Vec<&str> = res
                    .headers()
                    .get_all(h)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect();
                if w != g {
                    problems.push(format!("header {h}: {g:?} != {w:?}"));
                }
            }
            // A real client never sees a body in an answer to HEAD.
            if method != Method::HEAD {
                let ct = res.header("content-type").unwrap_or("").to_string();
                let want_body = decode(&want["body"]);
                // The recorder's client decompresses; so do we.
                let got_body = match res.header("content-encoding") {
                    Some("gzip") => gunzip(res.bytes()),
                    _ => res.bytes().to_vec(),
                };
                if !same_body(&ct, &want_body, &got_body) {
                    problems.push(format!(
                        "body\n      got:  {}\n      want: {}",
                        res.text(),
                        String::from_utf8_lossy(&want_body)
                    ));
                }
            }
            let key = (name.to_string(), case_name.clone());
            let is_listed = listed.contains(&key);
            seen.insert(key);
            match (problems.is_empty(), is_listed) {
                (true, false) => out.identical += 1,
                (true, true) => out.stale.push(format!("{name} / {case_name}")),
                (false, true) => out.deviations += 1,
                (false, false) => out.failing.push(format!(
                    "{name} / {case_name}:\n    {}",
                    problems.join("\n    ")
                )),
            }
        }
    }
    // The rows describe the committed recordings only.
    if only.is_none() {
        for (app_name, case) in listed.difference(&seen) {
            out.stale
                .push(format!("{app_name} / {case} (no such case)"));
        }
    }
    out
}

#[tokio::test]
async fn fastapi_conformance() {
    let out = replay().await;
    for f in &out.failing {
        eprintln!("FAILING {f}");
    }
    for s in &out.stale {
        eprintln!("STALE DEVIATION (now identical or unknown; remove it from DEVIATIONS.md): {s}");
    }
    ferroapi_conformance::score(
        "conformance",
        &format!(
            "{} identical, {} documented deviations, {} failing",
            out.identical,
            out.deviations,
            out.failing.len()
        ),
    );
    assert!(
        out.failing.is_empty() && out.stale.is_empty(),
        "{} failing, {} stale deviations",
        out.failing.len(),
        out.stale.len()
    );
}

#[test]
fn golden_files_keep_the_suite_large_and_mostly_bad_input() {
    let mut total = 0;
    let mut bad = 0;
    for name in APPS {
        let path = format!("{}/golden/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let golden: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        for case in golden["cases"].as_array().unwrap() {
            total += 1;
            bad += usize::from(case["bad"].as_bool().unwrap_or(false));
        }
    }
    assert!(total >= 300, "only {total} cases");
    assert!(
        bad * 2 >= total,
        "only {bad} of {total} cases are bad input"
    );
}

#[test]
fn the_request_helper_builds_requests() {
    // Guards the replay itself: a case with a body must reach the app with it.
    let r = Request::builder()
        .method("POST")
        .uri("/x")
        .body(())
        .unwrap();
    assert_eq!(r.method(), Method::POST);
}
