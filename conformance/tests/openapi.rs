//! Compares the OpenAPI document each ferroapi conformance app serves with the
//! one FastAPI wrote for its twin (recorded in `golden/<app>.openapi.json`),
//! unit by unit: `info`, every operation and webhook, `tags`, `servers`,
//! every component schema. Objects are
//! compared without regard to key order, numbers by value (`0` = `0.0`).
//!
//! A unit that differs must be listed under "## OpenAPI" in DEVIATIONS.md.
//! Prints `openapi: N identical, M documented deviations, K failing`.

use std::collections::BTreeSet;

use ferroapi_conformance::{app, APPS};
use serde_json::Value;

/// Rows `| app | unit | reason |` of the "## OpenAPI" section.
fn deviations() -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/DEVIATIONS.md"))
        .expect("DEVIATIONS.md");
    text.lines()
        .skip_while(|l| !l.starts_with("## OpenAPI"))
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('|').map(str::trim).collect();
            (cols.len() >= 4 && APPS.contains(&cols[1]))
                .then(|| (cols[1].to_string(), cols[2].trim_matches('`').to_string()))
        })
        .collect()
}

/// Semantic equality: key order ignored, numbers by value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// The units of a document: `info`, `METHOD path`, `schema Name`, `paths` (the set of paths).
fn units(doc: &Value) -> Vec<(String, Value)> {
    let mut out = vec![("info".to_string(), doc["info"].clone())];
    let mut paths: Vec<Value> = Vec::new();
    if let Some(p) = doc["paths"].as_object() {
        for (path, ops) in p {
            paths.push(Value::String(path.clone()));
            for (method, op) in ops.as_object().into_iter().flatten() {
                out.push((format!("{} {path}", method.to_uppercase()), op.clone()));
            }
        }
    }
    out.push(("paths".to_string(), Value::Array(paths)));
    if let Some(w) = doc["webhooks"].as_object() {
        for (name, ops) in w {
            for (method, op) in ops.as_object().into_iter().flatten() {
                out.push((
                    format!("WEBHOOK {} {name}", method.to_uppercase()),
                    op.clone(),
                ));
            }
        }
    }
    for key in ["tags", "servers"] {
        if !doc[key].is_null() {
            out.push((key.to_string(), doc[key].clone()));
        }
    }
    out.push((
        "securitySchemes".to_string(),
        doc["components"]["securitySchemes"].clone(),
    ));
    if let Some(s) = doc["components"]["schemas"].as_object() {
        for (name, schema) in s {
            out.push((format!("schema {name}"), schema.clone()));
        }
    }
    out
}

#[tokio::test]
async fn openapi_conformance() {
    let listed = deviations();
    let (mut identical, mut deviating, mut failing, mut stale) = (0, 0, Vec::new(), Vec::new());
    let mut seen = BTreeSet::new();
    for name in APPS {
        let path = format!("{}/golden/{name}.openapi.json", env!("CARGO_MANIFEST_DIR"));
        let want: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let client = ferroapi::TestClient::new(app(name).unwrap());
        // Where the FastAPI app serves its document (its `openapi_url`, as
        // the recorder wrote it beside the answers).
        let answers = format!("{}/golden/{name}.json", env!("CARGO_MANIFEST_DIR"));
        let answers: Value =
            serde_json::from_str(&std::fs::read_to_string(answers).unwrap()).unwrap();
        let url = answers["openapi_url"].as_str().unwrap_or("/openapi.json");
        // As the recorder's client asks (the host some apps trust; https for
        // the app that redirects plain HTTP).
        let res = client
            .get(url)
            .header("host", "testserver")
            .header("x-forwarded-proto", "https")
            .send()
            .await;
        assert_eq!(res.status(), 200, "{name}: {url}");
        let got = res.json();
        assert_eq!(got["openapi"], "3.1.0");
        let want_units = units(&want);
        let got_units = units(&got);
        let keys: BTreeSet<&String> = want_units
            .iter()
            .chain(&got_units)
            .map(|(k, _)| k)
            .collect();
        for key in keys {
            let w = want_units.iter().find(|(k, _)| k == key).map(|(_, v)| v);
            let g = got_units.iter().find(|(k, _)| k == key).map(|(_, v)| v);
            let equal = matches!((w, g), (Some(w), Some(g)) if same(w, g));
            let id = (name.to_string(), key.clone());
            seen.insert(id.clone());
            match (equal, listed.contains(&id)) {
                (true, false) => identical += 1,
                (true, true) => stale.push(format!("{name} / {key}")),
                (false, true) => deviating += 1,
                (false, false) => failing.push(format!(
                    "{name} / {key}\n      got:  {}\n      want: {}",
                    g.map(Value::to_string).unwrap_or_else(|| "(absent)".into()),
                    w.map(Value::to_string).unwrap_or_else(|| "(absent)".into()),
                )),
            }
        }
    }
    for (a, u) in listed.difference(&seen) {
        stale.push(format!("{a} / {u} (no such unit)"));
    }
    for f in &failing {
        eprintln!("FAILING {f}");
    }
    for s in &stale {
        eprintln!("STALE OPENAPI DEVIATION: {s}");
    }
    ferroapi_conformance::score(
        "openapi",
        &format!(
            "{identical} identical, {deviating} documented deviations, {} failing",
            failing.len()
        ),
    );
    assert!(failing.is_empty() && stale.is_empty());
}
