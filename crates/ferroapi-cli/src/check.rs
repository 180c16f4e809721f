//! `ferroapi contract check`: what a new OpenAPI 3.1 document breaks for
//! the clients of an old one.
//!
//! A request must still be accepted: no operation, method or response
//! status is removed, no parameter or body becomes required, no request
//! schema is tightened (a type changed, an enum value removed, a bound
//! raised or lowered towards the value, a property made required). An answer
//! must still be read: no response property is removed or made optional, no
//! response type changes, no enum value appears that a client never saw.
//! Schemas are compared through their `$ref`s (each pair once).

use std::collections::BTreeSet;

use serde_json::{Map, Value};

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Which side of the exchange a schema describes: what tightens a request
/// loosens an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// The changes found: those that break a client, and the others.
#[derive(Debug, Default)]
pub struct Changes {
    /// Changes a client of the old document may fail on.
    pub breaking: Vec<String>,
    /// Additions and loosenings: safe for existing clients.
    pub other: Vec<String>,
}

struct Compare<'a> {
    old: &'a Value,
    new: &'a Value,
    out: Changes,
    /// Pairs of component names already compared on a side.
    seen: BTreeSet<(String, String, bool)>,
}

/// Compares two documents.
pub fn check(old: &Value, new: &Value) -> Changes {
    let mut c = Compare {
        old,
        new,
        out: Changes::default(),
        seen: BTreeSet::new(),
    };
    let empty = Map::new();
    let old_paths = old["paths"].as_object().unwrap_or(&empty);
    let new_paths = new["paths"].as_object().unwrap_or(&empty);
    for (path, old_item) in old_paths {
        for m in METHODS {
            let Some(old_op) = old_item.get(m) else {
                continue;
            };
            let here = format!("{} {path}", m.to_uppercase());
            match new_paths.get(path).and_then(|i| i.get(m)) {
                None => c.out.breaking.push(format!("{here}: operation removed")),
                Some(new_op) => c.operation(&here, old_item, old_op, &new_paths[path], new_op),
            }
        }
    }
    for (path, new_item) in new_paths {
        for m in METHODS {
            if new_item.get(m).is_some() && old_paths.get(path).and_then(|i| i.get(m)).is_none() {
                c.out
                    .other
                    .push(format!("{} {path}: operation added", m.to_uppercase()));
            }
        }
    }
    c.out
}

/// A parameter's identity: where it is and its name.
fn params(item: &Value, op: &Value) -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::new();
    for p in item["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(op["parameters"].as_array().into_iter().flatten())
    {
        let key = format!(
            "{} {}",
            p["in"].as_str().unwrap_or("?"),
            p["name"].as_str().unwrap_or("?")
        );
        out.retain(|(k, _)| *k != key);
        out.push((key, p.clone()));
    }
    out
}

fn required(v: &Value) -> bool {
    v["required"].as_bool().unwrap_or(false)
}

impl Compare<'_> {
    fn operation(
        &mut self,
        here: &str,
        old_item: &Value,
        old_op: &Value,
        new_item: &Value,
        new_op: &Value,
    ) {
        // Parameters.
        let old_params = params(old_item, old_op);
        let new_params = params(new_item, new_op);
        for (key, np) in &new_params {
            match old_params.iter().find(|(k, _)| k == key) {
                None if required(np) => self
                    .out
                    .breaking
                    .push(format!("{here}: required parameter {key} added")),
                None => self
                    .out
                    .other
                    .push(format!("{here}: parameter {key} added")),
                Some((_, op)) => {
                    if required(np) && !required(op) {
                        self.out
                            .breaking
                            .push(format!("{here}: parameter {key} made required"));
                    }
                    self.schema(
                        &format!("{here}: parameter {key}"),
                        &op["schema"],
                        &np["schema"],
                        Side::Request,
                    );
                }
            }
        }
        for (key, _) in &old_params {
            if !new_params.iter().any(|(k, _)| k == key) {
                self.out
                    .other
                    .push(format!("{here}: parameter {key} removed (now ignored)"));
            }
        }
        // Request body.
        let (ob, nb) = (&old_op["requestBody"], &new_op["requestBody"]);
        if !nb.is_null() {
            if ob.is_null() && required(nb) {
                self.out
                    .breaking
                    .push(format!("{here}: required request body added"));
            } else if required(nb) && !required(ob) {
                self.out
                    .breaking
                    .push(format!("{here}: request body made required"));
            }
            let empty = Map::new();
            let old_content = ob["content"].as_object().unwrap_or(&empty);
            for (media, old_media) in old_content {
                match nb["content"].get(media) {
                    None => self
                        .out
                        .breaking
                        .push(format!("{here}: request body no longer accepts {media}")),
                    Some(new_media) => self.schema(
                        &format!("{here}: request body ({media})"),
                        &old_media["schema"],
                        &new_media["schema"],
                        Side::Request,
                    ),
                }
            }
        }
        // Responses.
        let empty = Map::new();
        let old_res = old_op["responses"].as_object().unwrap_or(&empty);
        let new_res = new_op["responses"].as_object().unwrap_or(&empty);
        for (status, old_r) in old_res {
            let Some(new_r) = new_res.get(status) else {
                self.out
                    .breaking
                    .push(format!("{here}: response {status} removed"));
                continue;
            };
            let empty = Map::new();
            for (media, old_media) in old_r["content"].as_object().unwrap_or(&empty) {
                match new_r["content"].get(media) {
                    None => self
                        .out
                        .breaking
                        .push(format!("{here}: response {status} no longer {media}")),
                    Some(new_media) => {
                        let key = |m: &Value| {
                            if m.get("itemSchema").is_some() {
                                "itemSchema"
                            } else {
                                "schema"
                            }
                        };
                        self.schema(
                            &format!("{here}: response {status} ({media})"),
                            &old_media[key(old_media)],
                            &new_media[key(new_media)],
                            Side::Response,
                        )
                    }
                }
            }
        }
        for status in new_res.keys() {
            if !old_res.contains_key(status) {
                self.out
                    .other
                    .push(format!("{here}: response {status} added"));
            }
        }
    }

    /// Follows `$ref`s in `doc`; the component's name when there was one.
    fn resolve<'v>(doc: &'v Value, mut s: &'v Value) -> (&'v Value, Option<String>) {
        let mut name = None;
        for _ in 0..32 {
            let Some(r) = s.get("$ref").and_then(Value::as_str) else {
                break;
            };
            let n = r.rsplit('/').next().unwrap_or(r);
            name = Some(n.to_string());
            s = &doc["components"]["schemas"][n];
        }
        (s, name)
    }

    /// The JSON types a schema accepts (`null` included), through unions.
    fn types(doc: &Value, s: &Value, depth: usize) -> BTreeSet<String> {
        let (s, _) = Self::resolve(doc, s);
        let mut out = BTreeSet::new();
        if depth > 16 {
            return out;
        }
        match &s["type"] {
            Value::String(t) => {
                out.insert(t.clone());
            }
            Value::Array(ts) => out.extend(ts.iter().filter_map(|t| t.as_str().map(String::from))),
            _ => {}
        }
        for key in ["anyOf", "oneOf"] {
            for m in s[key].as_array().into_iter().flatten() {
                out.extend(Self::types(doc, m, depth + 1));
            }
        }
        if out.is_empty() && s.get("properties").is_some() {
            out.insert("object".into());
        }
        if out.is_empty() && (s.get("const").is_some() || s.get("enum").is_some()) {
            out.insert("enum".into());
        }
        out
    }

    fn push(&mut self, breaking: bool, msg: String) {
        match breaking {
            true => self.out.breaking.push(msg),
            false => self.out.other.push(msg),
        }
    }

    fn schema(&mut self, here: &str, old: &Value, new: &Value, side: Side) {
        self.schema_at(here, old, new, side, 0);
    }

    fn schema_at(&mut self, here: &str, old: &Value, new: &Value, side: Side, depth: usize) {
        if depth > 32 {
            return;
        }
        let (o, on) = Self::resolve(self.old, old);
        let (n, nn) = Self::resolve(self.new, new);
        if let (Some(on), Some(nn)) = (&on, &nn) {
            if !self
                .seen
                .insert((on.clone(), nn.clone(), side == Side::Request))
            {
                return;
            }
        }
        let (ot, nt) = (Self::types(self.old, o, 0), Self::types(self.new, n, 0));
        let (any_old, any_new) = (ot.is_empty(), nt.is_empty());
        if !any_old && !any_new && ot != nt {
            let lost: Vec<&String> = ot.difference(&nt).collect();
            let gained: Vec<&String> = nt.difference(&ot).collect();
            // A request that loses a type, or an answer that gains one.
            let breaking = match side {
                Side::Request => !lost.is_empty(),
                Side::Response => !gained.is_empty(),
            };
            self.push(breaking, format!("{here}: type {ot:?} -> {nt:?}"));
        } else if any_new && !any_old && side == Side::Response {
            self.push(true, format!("{here}: type {ot:?} -> any"));
        } else if any_old && !any_new && side == Side::Request {
            self.push(true, format!("{here}: type any -> {nt:?}"));
        }
        self.enums(here, o, n, side);
        self.bounds(here, o, n, side);
        self.properties(here, o, n, side, depth);
        // Items of a list.
        if o.get("items").is_some() && n.get("items").is_some() {
            self.schema_at(
                &format!("{here}[]"),
                &o["items"],
                &n["items"],
                side,
                depth + 1,
            );
        }
        // Members of a union, matched by position when both have the same
        // number (FastAPI writes `anyOf: [T, null]` for `Optional[T]`).
        for key in ["anyOf", "oneOf"] {
            if let (Some(a), Some(b)) = (o[key].as_array(), n[key].as_array()) {
                if a.len() == b.len() {
                    for (x, y) in a.iter().zip(b) {
                        self.schema_at(here, x, y, side, depth + 1);
                    }
                }
            }
        }
    }

    fn enums(&mut self, here: &str, o: &Value, n: &Value, side: Side) {
        let values = |s: &Value| -> Option<Vec<Value>> {
            match (s.get("enum"), s.get("const")) {
                (Some(Value::Array(v)), _) => Some(v.clone()),
                (_, Some(c)) => Some(vec![c.clone()]),
                _ => None,
            }
        };
        let (Some(ov), Some(nv)) = (values(o), values(n)) else {
            return;
        };
        for v in &ov {
            if !nv.contains(v) {
                self.push(
                    side == Side::Request,
                    format!("{here}: enum value {v} removed"),
                );
            }
        }
        for v in &nv {
            if !ov.contains(v) {
                self.push(
                    side == Side::Response,
                    format!("{here}: enum value {v} added"),
                );
            }
        }
    }

    fn bounds(&mut self, here: &str, o: &Value, n: &Value, side: Side) {
        // (keyword, whether a larger value is tighter)
        const BOUNDS: [(&str, bool); 8] = [
            ("minimum", true),
            ("exclusiveMinimum", true),
            ("minLength", true),
            ("minItems", true),
            ("maximum", false),
            ("exclusiveMaximum", false),
            ("maxLength", false),
            ("maxItems", false),
        ];
        for (key, larger_is_tighter) in BOUNDS {
            let (a, b) = (o[key].as_f64(), n[key].as_f64());
            let tighter = match (a, b) {
                (None, Some(_)) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) if a == b => continue,
                (Some(a), Some(b)) => (b > a) == larger_is_tighter,
                (None, None) => continue,
            };
            let show = |v: Option<f64>| v.map_or("none".to_string(), |v| v.to_string());
            // A tighter request bound refuses what was accepted; a looser
            // answer bound sends what a client never saw.
            let breaking = match side {
                Side::Request => tighter,
                Side::Response => !tighter,
            };
            self.push(
                breaking,
                format!("{here}: {key} {} -> {}", show(a), show(b)),
            );
        }
        if o.get("pattern") != n.get("pattern") && n.get("pattern").is_some() {
            self.push(
                side == Side::Request,
                format!(
                    "{here}: pattern {} -> {}",
                    o.get("pattern").unwrap_or(&Value::Null),
                    n["pattern"]
                ),
            );
        }
    }

    fn properties(&mut self, here: &str, o: &Value, n: &Value, side: Side, depth: usize) {
        let (Some(op), Some(np)) = (o["properties"].as_object(), n["properties"].as_object())
        else {
            return;
        };
        let req = |s: &Value| -> BTreeSet<String> {
            s["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        };
        let (or, nr) = (req(o), req(n));
        for (name, old_prop) in op {
            let at = format!("{here}: .{name}");
            match np.get(name) {
                None => self.push(
                    // An answer without a field a client reads; a request
                    // field the server now ignores (or refuses, with
                    // `extra=forbid`: that shows as additionalProperties).
                    side == Side::Response,
                    format!("{at} removed"),
                ),
                Some(new_prop) => {
                    match (or.contains(name), nr.contains(name)) {
                        (false, true) => {
                            self.push(side == Side::Request, format!("{at} made required"))
                        }
                        (true, false) => {
                            self.push(side == Side::Response, format!("{at} made optional"))
                        }
                        _ => {}
                    }
                    self.schema_at(&at, old_prop, new_prop, side, depth + 1);
                }
            }
        }
        for name in np.keys() {
            if !op.contains_key(name) {
                self.push(
                    side == Side::Request && nr.contains(name),
                    format!(
                        "{here}: .{name} added{}",
                        if nr.contains(name) { " (required)" } else { "" }
                    ),
                );
            }
        }
        if o.get("additionalProperties") != Some(&Value::Bool(false))
            && n.get("additionalProperties") == Some(&Value::Bool(false))
        {
            self.push(
                side == Side::Request,
                format!("{here}: extra properties now refused"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn doc(item: Value, components: Value) -> Value {
        json!({"openapi": "3.1.0", "paths": {"/items/": {"post": item}}, "components": {"schemas": components}})
    }

    fn op(body: Value, response: Value) -> Value {
        json!({
            "parameters": [{"name": "q", "in": "query", "required": false, "schema": {"type": "string", "maxLength": 10}}],
            "requestBody": {"required": true, "content": {"application/json": {"schema": body}}},
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": response}}}}
        })
    }

    fn item(price_max: f64, required: &[&str], kinds: &[&str]) -> Value {
        json!({
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "price": {"type": "number", "maximum": price_max},
                "kind": {"enum": kinds},
            },
            "required": required,
        })
    }

    fn base() -> Value {
        doc(
            op(
                json!({"$ref": "#/components/schemas/Item"}),
                json!({"$ref": "#/components/schemas/Item"}),
            ),
            json!({"Item": item(100.0, &["name"], &["a", "b"])}),
        )
    }

    #[test]
    fn a_document_breaks_nothing_of_itself() {
        let c = check(&base(), &base());
        assert!(c.breaking.is_empty() && c.other.is_empty(), "{c:?}");
    }

    fn breaking(new: &Value) -> Vec<String> {
        check(&base(), new).breaking
    }

    #[test]
    fn each_kind_of_break_is_found() {
        // An operation removed.
        let mut d = base();
        d["paths"]["/items/"]["post"].take();
        d["paths"]["/items/"] = json!({});
        assert_eq!(breaking(&d), ["POST /items/: operation removed"]);
        // A bound tightened: in the request a break; in the answer a
        // tightening is safe.
        let mut d = base();
        d["components"]["schemas"]["Item"]["properties"]["price"]["maximum"] = json!(50.0);
        assert_eq!(
            breaking(&d),
            ["POST /items/: request body (application/json): .price: maximum 100 -> 50"]
        );
        // An enum value removed (request) and added (answer): both sides.
        let mut d = base();
        d["components"]["schemas"]["Item"]["properties"]["kind"]["enum"] = json!(["a", "c"]);
        let b = breaking(&d);
        assert!(
            b.iter()
                .any(|m| m.contains("request body") && m.contains("\"b\" removed")),
            "{b:?}"
        );
        assert!(
            b.iter()
                .any(|m| m.contains("response 200") && m.contains("\"c\" added")),
            "{b:?}"
        );
        // A property made required: the request breaks.
        let mut d = base();
        d["components"]["schemas"]["Item"]["required"] = json!(["name", "price"]);
        assert_eq!(
            breaking(&d),
            ["POST /items/: request body (application/json): .price made required"]
        );
        // A property removed: the answer breaks.
        let mut d = base();
        d["components"]["schemas"]["Item"]["properties"]
            .as_object_mut()
            .unwrap()
            .shift_remove("name");
        let b = breaking(&d);
        assert_eq!(
            b,
            ["POST /items/: response 200 (application/json): .name removed"]
        );
        // A type changed.
        let mut d = base();
        d["components"]["schemas"]["Item"]["properties"]["price"]["type"] = json!("string");
        assert_eq!(breaking(&d).len(), 2, "{:?}", breaking(&d));
        // A parameter made required, its bound tightened; a response removed.
        let mut d = base();
        d["paths"]["/items/"]["post"]["parameters"][0]["required"] = json!(true);
        d["paths"]["/items/"]["post"]["parameters"][0]["schema"]["maxLength"] = json!(5);
        d["paths"]["/items/"]["post"]["responses"] = json!({"201": {"description": "Created"}});
        let b = breaking(&d);
        assert!(
            b.contains(&"POST /items/: parameter query q made required".to_string()),
            "{b:?}"
        );
        assert!(
            b.contains(&"POST /items/: parameter query q: maxLength 10 -> 5".to_string()),
            "{b:?}"
        );
        assert!(
            b.contains(&"POST /items/: response 200 removed".to_string()),
            "{b:?}"
        );
    }

    #[test]
    fn loosening_a_request_and_adding_are_safe() {
        let mut d = base();
        d["components"]["schemas"]["Item"]["properties"]["price"]["maximum"] = json!(200.0);
        d["paths"]["/other"] = json!({"get": {"responses": {}}});
        let c = check(&base(), &d);
        // The answer's bound loosened: a client may see 150.
        assert_eq!(
            c.breaking,
            ["POST /items/: response 200 (application/json): .price: maximum 100 -> 200"]
        );
        assert!(
            c.other.iter().any(|m| m == "GET /other: operation added"),
            "{c:?}"
        );
    }

    /// Any JSON, as either document: no panic, and a document breaks
    /// nothing of itself.
    mod garbage {
        use super::*;
        use proptest::prelude::*;

        fn json() -> impl Strategy<Value = Value> {
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                prop_oneof![
                    Just("paths"),
                    Just("get"),
                    Just("$ref"),
                    Just("#/components/schemas/A"),
                    Just("components"),
                    Just("schemas"),
                    Just("A"),
                    Just("properties"),
                    Just("type"),
                    Just("string"),
                    Just("required"),
                    Just("anyOf"),
                    Just("enum"),
                    Just("maximum"),
                    Just("items"),
                    Just("parameters"),
                    Just("responses"),
                    Just("content"),
                    Just("application/json"),
                    Just("schema"),
                    Just("200"),
                ]
                .prop_map(Value::from),
            ];
            leaf.prop_recursive(6, 96, 6, |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                    prop::collection::vec(
                        (
                            prop_oneof![
                                Just("paths"),
                                Just("/a"),
                                Just("get"),
                                Just("post"),
                                Just("$ref"),
                                Just("components"),
                                Just("schemas"),
                                Just("A"),
                                Just("properties"),
                                Just("type"),
                                Just("required"),
                                Just("anyOf"),
                                Just("enum"),
                                Just("const"),
                                Just("maximum"),
                                Just("minLength"),
                                Just("items"),
                                Just("parameters"),
                                Just("requestBody"),
                                Just("responses"),
                                Just("content"),
                                Just("application/json"),
                                Just("schema"),
                                Just("200"),
                                Just("in"),
                                Just("name"),
                                Just("additionalProperties"),
                            ],
                            inner,
                        ),
                        0..6,
                    )
                    .prop_map(|kv| {
                        Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
                    }),
                ]
            })
        }

        proptest! {
            #[test]
            fn any_documents_compare_without_panic(old in json(), new in json()) {
                let _ = check(&old, &new);
                let same = check(&old, &old);
                prop_assert!(same.breaking.is_empty(), "{:?}", same.breaking);
            }
        }
    }
}
