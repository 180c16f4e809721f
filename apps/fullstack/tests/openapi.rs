//! The served document against the template's (`template-openapi.json`),
//! unit by unit (`info`, each operation, each schema, the security schemes,
//! the path set), key order ignored. Prints the remaining differences; each
//! must be a row of the "## OpenAPI" table in DEVIATIONS.md, and each row
//! must still differ.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

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

fn units(doc: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    out.insert("info".to_string(), doc["info"].clone());
    out.insert("openapi".to_string(), doc["openapi"].clone());
    out.insert(
        "securitySchemes".to_string(),
        doc["components"]["securitySchemes"].clone(),
    );
    let mut paths = Vec::new();
    for (path, ops) in doc["paths"].as_object().into_iter().flatten() {
        paths.push(Value::String(path.clone()));
        for (method, op) in ops.as_object().into_iter().flatten() {
            out.insert(format!("{} {path}", method.to_uppercase()), op.clone());
        }
    }
    out.insert("paths".to_string(), Value::Array(paths));
    for (name, schema) in doc["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        out.insert(format!("schema {name}"), schema.clone());
    }
    out
}

fn listed() -> BTreeSet<String> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/DEVIATIONS.md")).unwrap();
    text.lines()
        .skip_while(|l| !l.starts_with("## OpenAPI"))
        .skip(1)
        .take_while(|l| !l.starts_with("## "))
        .filter_map(|l| {
            let cols: Vec<&str> = l.split('|').map(str::trim).collect();
            (cols.len() >= 3 && cols[1].starts_with('`'))
                .then(|| cols[1].trim_matches('`').to_string())
        })
        .collect()
}

#[tokio::test]
async fn the_document_is_the_templates_but_for_listed_deviations() {
    let h = common::Harness::new().await;
    let res = h.client.get("/api/v1/openapi.json").send().await;
    assert_eq!(res.status(), 200);
    let ours = units(&res.json());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/template-openapi.json");
    let theirs = units(&serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap());
    let listed = listed();
    let (mut identical, mut differing, mut unlisted) = (0, BTreeSet::new(), Vec::new());
    for key in ours.keys().chain(theirs.keys()).collect::<BTreeSet<_>>() {
        let (a, b) = (ours.get(key), theirs.get(key));
        if a.zip(b).is_some_and(|(a, b)| same(a, b)) {
            identical += 1;
            continue;
        }
        println!(
            "differs: {key}\n  template: {}\n  ours:     {}",
            b.map(Value::to_string).unwrap_or_else(|| "(absent)".into()),
            a.map(Value::to_string).unwrap_or_else(|| "(absent)".into())
        );
        differing.insert(key.clone());
        if !listed.contains(key) {
            unlisted.push(key.clone());
        }
    }
    let stale: Vec<&String> = listed.difference(&differing).collect();
    println!(
        "flagship openapi: {identical} identical, {} documented deviations, {} unlisted",
        differing.len() - unlisted.len(),
        unlisted.len()
    );
    assert!(
        unlisted.is_empty(),
        "differences not in DEVIATIONS.md: {unlisted:?}"
    );
    assert!(
        stale.is_empty(),
        "DEVIATIONS.md lists units that no longer differ: {stale:?}"
    );
}

#[tokio::test]
async fn private_routes_exist_only_in_development() {
    let prod = common::settings(&[("FASTAPI_ENV", "")]);
    assert!(!prod.development);
    let h = common::Harness::with(prod).await;
    let doc = h.client.get("/api/v1/openapi.json").send().await.json();
    assert!(doc["paths"].get("/api/v1/private/users/").is_none());
    let res = h
        .client
        .post("/api/v1/private/users/")
        .json(&serde_json::json!({"email": "a@b.com", "password": "x", "full_name": "A"}))
        .send()
        .await;
    assert_eq!(res.status(), 404);
}
