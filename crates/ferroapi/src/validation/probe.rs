//! Values that break a schema's rules, one rule at a time: what proves that
//! every rule a document states is enforced. Used at start-up on each JSON
//! body type (a rule its garde attributes do not check is then checked by
//! the schema walker) and by `TestClient::check_constraints` on a whole
//! app's document.

use serde_json::{json, Map, Value};

/// Where a schema's `$ref`s point: an OpenAPI document's
/// `components/schemas`, or a schemars root's `$defs` (and `#`, the root).
#[derive(Debug, Clone, Copy)]
pub struct Defs<'a> {
    /// The referenced schemas, by name.
    pub defs: Option<&'a Map<String, Value>>,
    /// What `#` refers to.
    pub root: &'a Value,
}

impl<'a> Defs<'a> {
    /// The references of an OpenAPI document.
    pub fn of_document(doc: &'a Value) -> Self {
        Defs {
            defs: doc["components"]["schemas"].as_object(),
            root: doc,
        }
    }

    /// The references of a schemars root schema.
    pub fn of_root(root: &'a Value) -> Self {
        Defs {
            defs: root.get("$defs").and_then(Value::as_object),
            root,
        }
    }

    /// Follows references, and `Optional[X]` to X (at most 16 steps, so a
    /// schema that refers to itself ends).
    pub fn resolve(&self, mut s: &'a Value) -> &'a Value {
        for _ in 0..16 {
            if let Some(r) = s.get("$ref").and_then(Value::as_str) {
                let target = match r {
                    "#" => Some(self.root),
                    _ => {
                        let name = r.rsplit('/').next().unwrap_or(r);
                        self.defs.and_then(|d| d.get(name))
                    }
                };
                match target {
                    Some(t) => s = t,
                    None => return s,
                }
                continue;
            }
            let Some(branches) = s.get("anyOf").and_then(Value::as_array) else {
                return s;
            };
            let mut others = branches
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"));
            match (others.next(), others.next()) {
                (Some(only), None) => s = only,
                _ => return s,
            }
        }
        s
    }
}

/// One rule broken on purpose: the value that breaks it and the error type
/// pydantic answers.
#[derive(Debug)]
pub struct Violation {
    /// The JSON Schema keyword broken.
    pub rule: &'static str,
    /// The value that breaks it.
    pub value: Value,
    /// The error types pydantic may answer.
    pub kind: Vec<&'static str>,
}

/// Nested models are followed this deep into a body.
pub const MAX_DEPTH: usize = 4;

/// A value of the schema that breaks none of its rules, for list items.
pub fn valid_value(doc: Defs<'_>, s: &Value) -> Value {
    valid_at(doc, s, 0)
}

fn valid_at(doc: Defs<'_>, s: &Value, depth: usize) -> Value {
    let s = doc.resolve(s);
    if let Some(e) = s
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return e.clone();
    }
    match s.get("type").and_then(Value::as_str) {
        Some("integer") | Some("number") => {
            let lo = s
                .get("minimum")
                .and_then(Value::as_f64)
                .or_else(|| {
                    s.get("exclusiveMinimum")
                        .and_then(Value::as_f64)
                        .map(|m| m + 1.0)
                })
                .unwrap_or(1.0);
            json!(lo.ceil() as i64)
        }
        Some("boolean") => json!(true),
        Some("array") => json!([]),
        // An object with its required fields.
        _ if depth < MAX_DEPTH && s.get("properties").is_some() => {
            let required: Vec<&str> = s["required"]
                .as_array()
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let props = s["properties"].as_object().cloned().unwrap_or_default();
            Value::Object(
                props
                    .iter()
                    .filter(|(k, _)| required.contains(&k.as_str()))
                    .map(|(k, sub)| (k.clone(), valid_at(doc, sub, depth + 1)))
                    .collect(),
            )
        }
        Some("object") => json!({}),
        _ => {
            // A string of a known format is one the format's type reads (a
            // date for `NaiveDate`): without it no probe of the body starts.
            let known = match s.get("format").and_then(Value::as_str) {
                Some("date") => Some("2024-01-02"),
                Some("date-time") => Some("2024-01-02T03:04:05Z"),
                Some("time") => Some("03:04:05"),
                Some("partial-time") => Some("03:04:05"),
                Some("uuid") => Some("12345678-1234-5678-1234-567812345678"),
                Some("email") => Some("user@example.com"),
                Some("uri") => Some("https://example.com/"),
                Some("ipv4") => Some("192.0.2.1"),
                Some("ipv6") => Some("2001:db8::1"),
                Some("duration") => Some("P1D"),
                _ => None,
            };
            match known {
                Some(v) => json!(v),
                None => {
                    let n = s.get("minLength").and_then(Value::as_u64).unwrap_or(1) as usize;
                    json!("a".repeat(n.max(1)))
                }
            }
        }
    }
}

fn num(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Every rule of one (resolved) schema, each with a value breaking it.
pub fn violations(doc: Defs<'_>, s: &Value) -> Vec<Violation> {
    let s = doc.resolve(s);
    let mut out = Vec::new();
    let integer = s.get("type").and_then(Value::as_str) == Some("integer");
    let number = |x: f64| {
        if integer {
            json!(x as i64)
        } else {
            json!(x)
        }
    };
    let step = if integer { 1.0 } else { 0.5 };
    if let Some(m) = s.get("minimum").and_then(num) {
        out.push(Violation {
            rule: "minimum",
            value: number(m - step),
            kind: vec!["greater_than_equal"],
        });
    }
    if let Some(m) = s.get("exclusiveMinimum").and_then(num) {
        out.push(Violation {
            rule: "exclusiveMinimum",
            value: number(m),
            kind: vec!["greater_than"],
        });
    }
    if let Some(m) = s.get("maximum").and_then(num) {
        out.push(Violation {
            rule: "maximum",
            value: number(m + step),
            kind: vec!["less_than_equal"],
        });
    }
    if let Some(m) = s.get("exclusiveMaximum").and_then(num) {
        out.push(Violation {
            rule: "exclusiveMaximum",
            value: number(m),
            kind: vec!["less_than"],
        });
    }
    // A value below one bound may break another too (a `u32` documents
    // `minimum: 0` beside `exclusiveMinimum: 0`): any of their errors names
    // the rule, in pydantic's order.
    let bounds = [
        ("maximum", "less_than_equal"),
        ("exclusiveMaximum", "less_than"),
        ("minimum", "greater_than_equal"),
        ("exclusiveMinimum", "greater_than"),
    ];
    for v in &mut out {
        let x = v.value.as_f64().unwrap_or(f64::NAN);
        for (rule, kind) in bounds {
            let Some(b) = s.get(rule).and_then(num) else {
                continue;
            };
            let broken = match rule {
                "maximum" => x > b,
                "exclusiveMaximum" => x >= b,
                "minimum" => x < b,
                _ => x <= b,
            };
            if broken && !v.kind.contains(&kind) {
                v.kind.push(kind);
            }
        }
    }
    if let Some(m) = s.get("multipleOf").and_then(num) {
        let lo = s
            .get("minimum")
            .or_else(|| s.get("exclusiveMinimum"))
            .and_then(num)
            .unwrap_or(0.0)
            .max(0.0);
        // The first non-multiple above the lower bound.
        let base = (lo / m).ceil() * m + m;
        let v = if integer && m >= 2.0 {
            json!(base as i64 + 1)
        } else if integer {
            // Every integer is a multiple of 1.
            Value::Null
        } else {
            json!(base + m / 2.0)
        };
        if !v.is_null() {
            out.push(Violation {
                rule: "multipleOf",
                value: v,
                kind: vec!["multiple_of"],
            });
        }
    }
    if let Some(n) = s
        .get("minLength")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0)
    {
        out.push(Violation {
            rule: "minLength",
            value: json!("a".repeat(n as usize - 1)),
            kind: vec!["string_too_short"],
        });
    }
    if let Some(n) = s.get("maxLength").and_then(Value::as_u64) {
        out.push(Violation {
            rule: "maxLength",
            value: json!("a".repeat(n as usize + 1)),
            kind: vec!["string_too_long"],
        });
    }
    if let Some(p) = s.get("pattern").and_then(Value::as_str) {
        if let Ok(re) = regex::Regex::new(p) {
            // Within the length bounds, so that only the pattern is broken.
            let min = s.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
            let max = s
                .get("maxLength")
                .and_then(Value::as_u64)
                .map(|m| m as usize);
            let candidates = ["!", "~~", "0", "a", "-", "ZZZZ", "\u{e9}", " ", ""]
                .iter()
                .map(|c| {
                    let n = c.chars().count().max(1);
                    c.repeat(min.div_ceil(n).max(1))
                })
                .filter(|c| {
                    let n = c.chars().count();
                    n >= min && max.is_none_or(|m| n <= m)
                });
            if let Some(c) = candidates.into_iter().find(|c| !re.is_match(c)) {
                out.push(Violation {
                    rule: "pattern",
                    value: json!(c),
                    kind: vec!["string_pattern_mismatch"],
                });
            }
        }
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        let outside = if values.iter().any(Value::is_string) {
            json!("not-one-of-them")
        } else {
            json!(987_654_321)
        };
        out.push(Violation {
            rule: "enum",
            value: outside,
            kind: vec!["enum", "literal_error"],
        });
    }
    let item = || {
        s.get("items")
            .map(|i| valid_value(doc, i))
            .unwrap_or(json!(1))
    };
    if let Some(n) = s.get("minItems").and_then(Value::as_u64).filter(|n| *n > 0) {
        out.push(Violation {
            rule: "minItems",
            value: Value::Array(vec![item(); n as usize - 1]),
            // A tuple's missing position is `missing` there, as pydantic.
            kind: if s.get("prefixItems").is_some() {
                vec!["missing"]
            } else {
                vec!["too_short"]
            },
        });
    }
    if let Some(n) = s.get("maxItems").and_then(Value::as_u64) {
        out.push(Violation {
            rule: "maxItems",
            value: Value::Array(vec![item(); n as usize + 1]),
            kind: vec!["too_long"],
        });
    }
    let entries = |n: usize| {
        let v = s
            .get("additionalProperties")
            .filter(|a| a.is_object())
            .map(|a| valid_value(doc, a))
            .unwrap_or(json!(1));
        Value::Object((0..n).map(|i| (format!("k{i}"), v.clone())).collect())
    };
    if let Some(n) = s
        .get("minProperties")
        .and_then(Value::as_u64)
        .filter(|n| *n > 0)
    {
        out.push(Violation {
            rule: "minProperties",
            value: entries(n as usize - 1),
            kind: vec!["too_short"],
        });
    }
    if let Some(n) = s.get("maxProperties").and_then(Value::as_u64) {
        out.push(Violation {
            rule: "maxProperties",
            value: entries(n as usize + 1),
            kind: vec!["too_long"],
        });
    }
    // A string of a special kind may answer its own words for a broken
    // length: an email's `value_error`, a URL checked before its length,
    // `bytes` counted in bytes.
    let own: &[&'static str] = match (
        s.get("format").and_then(Value::as_str),
        s.get("contentMediaType").and_then(Value::as_str),
    ) {
        (_, Some("application/octet-stream")) => &["bytes_too_short", "bytes_too_long"],
        (Some("email"), _) => &["value_error"],
        (Some("uri"), _) => &["url_parsing", "url_too_long"],
        _ => &[],
    };
    for v in &mut out {
        v.kind.extend(own);
    }
    out
}

/// Every field of a body schema (nested models too, to `MAX_DEPTH`) with
/// its path; the body itself first, at the empty path.
pub fn body_fields(
    doc: Defs<'_>,
    s: &Value,
    path: Vec<String>,
    depth: usize,
    out: &mut Vec<(Vec<String>, Value)>,
) {
    let s = doc.resolve(s);
    out.push((path.clone(), s.clone()));
    if depth >= MAX_DEPTH {
        return;
    }
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            let mut p = path.clone();
            p.push(name.clone());
            body_fields(doc, sub, p, depth + 1, out);
        }
    }
}

/// Puts `value` at `path` inside an empty object.
pub fn nest(path: &[String], value: Value) -> Value {
    path.iter().rev().fold(value, |inner, key| {
        Value::Object(Map::from_iter([(key.clone(), inner)]))
    })
}

/// Puts `value` at `path` inside `target`, creating objects on the way;
/// false when something on the way is not an object.
pub fn set_path(target: &mut Value, path: &[String], value: Value) -> bool {
    let Some((last, parents)) = path.split_last() else {
        *target = value;
        return true;
    };
    let mut at = target;
    for key in parents {
        let Some(obj) = at.as_object_mut() else {
            return false;
        };
        at = obj.entry(key.clone()).or_insert_with(|| json!({}));
    }
    match at.as_object_mut() {
        Some(obj) => {
            obj.insert(last.clone(), value);
            true
        }
        None => false,
    }
}
