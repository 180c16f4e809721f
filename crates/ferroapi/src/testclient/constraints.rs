//! "Every constraint the document states is enforced", as a test any app can
//! run: read the app's OpenAPI document, and for each parameter, form field
//! and JSON body field that states a rule (`minimum`, `maxLength`, `pattern`,
//! `enum`, `minItems`...), send a value that breaks exactly that rule and
//! expect a 422 naming the field with the error type pydantic gives.

use serde_json::{json, Value};

use crate::validation::probe::{body_fields, nest, valid_value, violations, Defs, Violation};

use super::TestClient;

/// What [`TestClient::check_constraints`] found.
#[derive(Debug, Default)]
pub struct ConstraintReport {
    /// Each rule tried and held: `POST /items body.price exclusiveMinimum`.
    pub held: Vec<String>,
    /// Rules not tried, with the reason (a route that answers 401 first, a
    /// pattern every candidate value matches).
    pub skipped: Vec<String>,
    /// Rules documented and not enforced, with the answer received.
    pub failures: Vec<String>,
}

impl ConstraintReport {
    /// Panics, listing them, when a documented rule was not enforced.
    ///
    /// # Panics
    /// On any failure.
    pub fn assert_held(&self) {
        assert!(
            self.failures.is_empty(),
            "documented rules not enforced:\n{}",
            self.failures.join("\n")
        );
    }
}

/// The text a value is sent as in a query string, header, cookie or form.
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Whether the 422 names `loc` (or something inside it) with one of `kinds`.
fn names(body: &Value, loc: &[Value], kinds: &[&'static str]) -> bool {
    body["detail"].as_array().is_some_and(|items| {
        items.iter().any(|i| {
            let l = i["loc"].as_array().map(Vec::as_slice).unwrap_or(&[]);
            l.len() >= loc.len() && l[..loc.len()] == *loc && kinds.iter().any(|k| i["type"] == *k)
        })
    })
}

/// Adds a tried value to a request (a header, a cookie, a body).
type Build = Box<dyn Fn(crate::RequestBuilder) -> crate::RequestBuilder>;

fn content_is_json(op: &Value) -> bool {
    op["requestBody"]["content"]
        .get("application/json")
        .is_some()
}

impl TestClient {
    /// Reads the app's OpenAPI document at `/openapi.json` and, for every
    /// rule a parameter, form field or JSON body field states, sends a value
    /// breaking it: each must answer 422 naming that field with pydantic's
    /// error type. `headers` go with every request (credentials for
    /// protected routes); a route that answers 401 or 403 is skipped.
    pub async fn check_constraints(&self, headers: &[(&str, &str)]) -> ConstraintReport {
        self.check_constraints_at("/openapi.json", headers).await
    }

    /// [`check_constraints`](Self::check_constraints) for a document served
    /// elsewhere (FastAPI's `openapi_url`).
    pub async fn check_constraints_at(
        &self,
        openapi_url: &str,
        headers: &[(&str, &str)],
    ) -> ConstraintReport {
        let mut report = ConstraintReport::default();
        let res = self.get(openapi_url).send().await;
        let doc: Value = serde_json::from_slice(res.bytes()).unwrap_or_default();
        let defs = Defs::of_document(&doc);
        let Some(paths) = doc["paths"].as_object() else {
            report.skipped.push(format!("no document at {openapi_url}"));
            return report;
        };
        for (template, item) in paths {
            let Some(ops) = item.as_object() else {
                continue;
            };
            for (method, op) in ops {
                let Ok(m) = method.to_ascii_uppercase().parse::<http::Method>() else {
                    continue;
                };
                let params = op["parameters"].as_array().cloned().unwrap_or_default();
                // Path parameters get a plain value unless they are the one tried.
                let path_with = |name: Option<&str>, value: &str| {
                    let mut path = template.clone();
                    for p in params.iter().filter(|p| p["in"] == "path") {
                        let n = p["name"].as_str().unwrap_or_default();
                        let v = if Some(n) == name {
                            encode(value)
                        } else {
                            as_text(&valid_value(defs, &p["schema"]))
                        };
                        path = path.replace(&format!("{{{n}}}"), &v);
                    }
                    path
                };
                let mut tries: Vec<(String, Vec<Value>, Violation, Build)> = Vec::new();
                for p in &params {
                    let (Some(name), Some(place)) = (p["name"].as_str(), p["in"].as_str()) else {
                        continue;
                    };
                    let schema = defs.resolve(&p["schema"]);
                    let mut found = violations(defs, schema);
                    let list = schema.get("type").and_then(Value::as_str) == Some("array");
                    if list {
                        found.extend(
                            schema
                                .get("items")
                                .map(|i| violations(defs, i))
                                .unwrap_or_default(),
                        );
                    }
                    for v in found {
                        let values: Vec<String> = match (&v.value, list) {
                            (Value::Array(items), true) => items.iter().map(as_text).collect(),
                            (other, _) => vec![as_text(other)],
                        };
                        let loc = vec![json!(place), json!(name)];
                        let (name, place) = (name.to_string(), place.to_string());
                        let path = path_with(
                            Some(&name),
                            values.first().map(String::as_str).unwrap_or(""),
                        );
                        let plain = path_with(None, "");
                        let build: Build = Box::new(move |b| {
                            let mut b = b;
                            match place.as_str() {
                                "header" => {
                                    for x in &values {
                                        b = b.header(&name, x);
                                    }
                                }
                                "cookie" => {
                                    b = b.header(
                                        "cookie",
                                        &format!(
                                            "{name}={}",
                                            values.first().cloned().unwrap_or_default()
                                        ),
                                    );
                                }
                                _ => {}
                            }
                            b
                        });
                        let uri = match p["in"].as_str() {
                            Some("query") => {
                                let q: Vec<String> = match (&v.value, list) {
                                    (Value::Array(items), true) => items
                                        .iter()
                                        .map(|x| {
                                            format!(
                                                "{}={}",
                                                encode(p["name"].as_str().unwrap_or_default()),
                                                encode(&as_text(x))
                                            )
                                        })
                                        .collect(),
                                    (other, _) => vec![format!(
                                        "{}={}",
                                        encode(p["name"].as_str().unwrap_or_default()),
                                        encode(&as_text(other))
                                    )],
                                };
                                format!("{plain}?{}", q.join("&"))
                            }
                            Some("path") => path,
                            _ => plain,
                        };
                        tries.push((uri, loc, v, build));
                    }
                }
                let content = op["requestBody"]["content"]
                    .as_object()
                    .cloned()
                    .unwrap_or_default();
                for (ctype, media) in &content {
                    let mut fields = Vec::new();
                    body_fields(defs, &media["schema"], Vec::new(), 0, &mut fields);
                    let form = ctype != "application/json";
                    for (path, schema) in fields {
                        // A form carries the top-level fields only, as text.
                        if form && path.len() != 1 {
                            continue;
                        }
                        for v in violations(defs, &schema) {
                            let mut loc = vec![json!("body")];
                            loc.extend(path.iter().map(|p| json!(p)));
                            let body = nest(&path, v.value.clone());
                            let ct = ctype.clone();
                            let build: Build = if form {
                                let key = path[0].clone();
                                let values: Vec<String> = match &v.value {
                                    Value::Array(items) => items.iter().map(as_text).collect(),
                                    other => vec![as_text(other)],
                                };
                                Box::new(move |b| {
                                    if ct.starts_with("multipart/") {
                                        let mut text = String::new();
                                        for x in &values {
                                            text.push_str(&format!("--ferroapicheck\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n{x}\r\n"));
                                        }
                                        text.push_str("--ferroapicheck--\r\n");
                                        b.header(
                                            "content-type",
                                            "multipart/form-data; boundary=ferroapicheck",
                                        )
                                        .body(text)
                                    } else {
                                        let pairs: Vec<(&str, &str)> = values
                                            .iter()
                                            .map(|x| (key.as_str(), x.as_str()))
                                            .collect();
                                        b.form(&pairs)
                                    }
                                })
                            } else {
                                Box::new(move |b| b.json(&body))
                            };
                            tries.push((path_with(None, ""), loc, v, build));
                        }
                    }
                }
                for (uri, loc, v, build) in tries {
                    // An empty path segment does not route, an empty form value
                    // or an empty list of query values counts as absent: such a
                    // rule cannot be broken from outside.
                    let place = loc[0].as_str().unwrap_or_default();
                    let empty = v.value == json!("") || v.value == json!([]);
                    if empty
                        && (place != "query" || v.value == json!([]))
                        && !(place == "body" && content_is_json(op))
                    {
                        report.skipped.push(format!(
                            "{m} {template} {} {}: an empty value counts as absent",
                            loc.iter().map(as_text).collect::<Vec<_>>().join("."),
                            v.rule
                        ));
                        continue;
                    }
                    let label = format!(
                        "{m} {template} {} {}",
                        loc.iter().map(as_text).collect::<Vec<_>>().join("."),
                        v.rule
                    );
                    let mut req = self.request(m.clone(), &uri);
                    for (k, val) in headers {
                        req = req.header(k, val);
                    }
                    let res = build(req).send().await;
                    match res.status().as_u16() {
                        422 if names(
                            &serde_json::from_slice(res.bytes()).unwrap_or_default(),
                            &loc,
                            &v.kind,
                        ) =>
                        {
                            report.held.push(label)
                        }
                        401 | 403 => report
                            .skipped
                            .push(format!("{label}: answered {} first", res.status())),
                        status => report.failures.push(format!(
                            "{label}: sent {} and got {status} {}",
                            v.value,
                            String::from_utf8_lossy(res.bytes())
                                .chars()
                                .take(300)
                                .collect::<String>()
                        )),
                    }
                }
            }
        }
        report
    }
}
