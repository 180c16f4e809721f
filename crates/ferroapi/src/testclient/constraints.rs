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

/// How a broken value travels in its request.
enum Carrier {
    /// In the path or the query string (already in the URI).
    Uri,
    /// A header, once per value.
    Header(String, Vec<String>),
    /// A cookie.
    Cookie(String, String),
    /// A JSON body.
    Json(Value),
    /// A form field, once per value; `true`: multipart.
    Form(bool, String, Vec<String>),
}

impl Carrier {
    fn apply(&self, mut b: crate::RequestBuilder) -> crate::RequestBuilder {
        match self {
            Carrier::Uri => b,
            Carrier::Header(name, values) => {
                for v in values {
                    b = b.header(name, v);
                }
                b
            }
            Carrier::Cookie(name, value) => b.header("cookie", &format!("{name}={value}")),
            Carrier::Json(body) => b.json(body),
            Carrier::Form(false, key, values) => {
                let pairs: Vec<(&str, &str)> =
                    values.iter().map(|v| (key.as_str(), v.as_str())).collect();
                b.form(&pairs)
            }
            Carrier::Form(true, key, values) => {
                let mut text = String::new();
                for v in values {
                    text.push_str(&format!(
                        "--ferroapicheck\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n{v}\r\n"
                    ));
                }
                text.push_str("--ferroapicheck--\r\n");
                b.header(
                    "content-type",
                    "multipart/form-data; boundary=ferroapicheck",
                )
                .body(text)
            }
        }
    }
}

/// One request that breaks one documented rule.
struct Try {
    uri: String,
    /// Where the 422 must name the field.
    loc: Vec<Value>,
    violation: Violation,
    carrier: Carrier,
}

/// The path with every parameter filled in: `tried` gets its broken value,
/// the others a valid one.
fn fill_path(
    defs: Defs<'_>,
    template: &str,
    params: &[Value],
    tried: Option<(&str, &str)>,
) -> String {
    let mut path = template.to_string();
    for p in params.iter().filter(|p| p["in"] == "path") {
        let name = p["name"].as_str().unwrap_or_default();
        let value = match tried {
            Some((n, v)) if n == name => encode(v),
            _ => encode(&as_text(&valid_value(defs, &p["schema"]))),
        };
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    path
}

/// A try for each rule of each path, query, header and cookie parameter (a
/// list's items' rules too).
fn parameter_tries(defs: Defs<'_>, template: &str, params: &[Value]) -> Vec<Try> {
    let mut out = Vec::new();
    for p in params {
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
        for violation in found {
            let values: Vec<String> = match (&violation.value, list) {
                (Value::Array(items), true) => items.iter().map(as_text).collect(),
                (other, _) => vec![as_text(other)],
            };
            let first = values.first().cloned().unwrap_or_default();
            let plain = fill_path(defs, template, params, None);
            let (uri, carrier) = match place {
                "path" => (
                    fill_path(defs, template, params, Some((name, &first))),
                    Carrier::Uri,
                ),
                "query" => {
                    let pairs: Vec<String> = values
                        .iter()
                        .map(|v| format!("{}={}", encode(name), encode(v)))
                        .collect();
                    (format!("{plain}?{}", pairs.join("&")), Carrier::Uri)
                }
                "header" => (plain, Carrier::Header(name.to_string(), values)),
                "cookie" => (plain, Carrier::Cookie(name.to_string(), first)),
                _ => continue,
            };
            out.push(Try {
                uri,
                loc: vec![json!(place), json!(name)],
                violation,
                carrier,
            });
        }
    }
    out
}

/// A try for each rule of each JSON body field (nested models too) and each
/// form field.
fn body_tries(defs: Defs<'_>, uri: &str, content: &serde_json::Map<String, Value>) -> Vec<Try> {
    let mut out = Vec::new();
    for (ctype, media) in content {
        let mut fields = Vec::new();
        body_fields(defs, &media["schema"], Vec::new(), 0, &mut fields);
        let form = ctype != "application/json";
        for (path, schema) in fields {
            // A form carries its top-level fields only, as text.
            if form && path.len() != 1 {
                continue;
            }
            for violation in violations(defs, &schema) {
                let mut loc = vec![json!("body")];
                loc.extend(path.iter().map(|p| json!(p)));
                let carrier = if form {
                    let values = match &violation.value {
                        Value::Array(items) => items.iter().map(as_text).collect(),
                        other => vec![as_text(other)],
                    };
                    Carrier::Form(ctype.starts_with("multipart/"), path[0].clone(), values)
                } else {
                    Carrier::Json(nest(&path, violation.value.clone()))
                };
                out.push(Try {
                    uri: uri.to_string(),
                    loc,
                    violation,
                    carrier,
                });
            }
        }
    }
    out
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
            for (method, op) in item.as_object().into_iter().flatten() {
                let Ok(m) = method.to_ascii_uppercase().parse::<http::Method>() else {
                    continue;
                };
                let params = op["parameters"].as_array().cloned().unwrap_or_default();
                let json_body = op["requestBody"]["content"]
                    .get("application/json")
                    .is_some();
                let mut tries = parameter_tries(defs, template, &params);
                if let Some(content) = op["requestBody"]["content"].as_object() {
                    let uri = fill_path(defs, template, &params, None);
                    tries.extend(body_tries(defs, &uri, content));
                }
                for t in tries {
                    let label = format!(
                        "{m} {template} {} {}",
                        t.loc.iter().map(as_text).collect::<Vec<_>>().join("."),
                        t.violation.rule
                    );
                    // An empty path segment does not route; an empty form or
                    // header value, or an empty list of query values, counts
                    // as absent: such a rule cannot be broken from outside.
                    let place = t.loc[0].as_str().unwrap_or_default();
                    let v = &t.violation.value;
                    let empty = *v == json!("") || *v == json!([]);
                    if empty
                        && (place != "query" || *v == json!([]))
                        && !(place == "body" && json_body)
                    {
                        report
                            .skipped
                            .push(format!("{label}: an empty value counts as absent"));
                        continue;
                    }
                    let mut req = self.request(m.clone(), &t.uri);
                    for (k, val) in headers {
                        req = req.header(k, val);
                    }
                    let res = t.carrier.apply(req).send().await;
                    let body: Value = serde_json::from_slice(res.bytes()).unwrap_or_default();
                    match res.status().as_u16() {
                        422 if names(&body, &t.loc, &t.violation.kind) => report.held.push(label),
                        401 | 403 => report
                            .skipped
                            .push(format!("{label}: answered {} first", res.status())),
                        status => {
                            let text: String = String::from_utf8_lossy(res.bytes())
                                .chars()
                                .take(300)
                                .collect();
                            report
                                .failures
                                .push(format!("{label}: sent {v} and got {status} {text}"));
                        }
                    }
                }
            }
        }
        report
    }
}
