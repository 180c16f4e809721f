//! Makes schemars' JSON Schema read like pydantic's: property titles, `anyOf`
//! with `{"type": "null"}` for optional values, no numeric `format`s, no
//! `default: null`, `{}` for "any value".

use serde_json::{Map, Value};

use super::py_title;

/// A decimal's bounds as pydantic documents them: on the number it may be
/// read from, none on the string it is written as.
fn decimal_bounds(obj: &mut Map<String, Value>) {
    // pydantic sorts a schema's keywords.
    let keys = [
        "exclusiveMaximum",
        "exclusiveMinimum",
        "maximum",
        "minimum",
        "multipleOf",
    ];
    let bounds: Vec<(&str, Value)> = keys
        .iter()
        .filter_map(|k| obj.remove(*k).map(|v| (*k, v)))
        .collect();
    let number = obj
        .get_mut("anyOf")
        .and_then(Value::as_array_mut)
        .and_then(|b| {
            b.iter_mut()
                .find(|b| b.get("type") == Some(&Value::from("number")))
        })
        .and_then(Value::as_object_mut);
    if let Some(number) = number {
        let ty = number.remove("type");
        for (k, v) in bounds {
            number.insert(k.to_string(), v);
        }
        if let Some(ty) = ty {
            number.insert("type".into(), ty);
        }
    }
}

/// Rewrites one schema (and everything inside it) in pydantic's style.
pub fn pydantic_style(schema: &mut Value) {
    match schema {
        Value::Bool(true) => *schema = Value::Object(Map::new()),
        Value::Object(obj) => {
            obj.remove(crate::validation::schema::STRICT_KEYWORD);
            obj.remove(crate::validation::schema::FINITE_KEYWORD);
            obj.remove(crate::validation::schema::LITERAL_KEYWORD);
            obj.remove(crate::types::HTTP_URL_KEYWORD);
            obj.remove(crate::types::TUPLE_KEYWORD);
            obj.remove(crate::datetime::AS_SENT_KEYWORD);
            obj.remove(crate::datetime::TEMPORAL_KEYWORD);
            if obj.remove(crate::decimal::DECIMAL_KEYWORD).is_some() {
                decimal_bounds(obj);
            }
            // `dict[int, V]`: pydantic writes `additionalProperties: V`.
            if let Some(v) = crate::validation::schema::int_keyed(obj).cloned() {
                obj.remove("patternProperties");
                obj.insert("additionalProperties".into(), v);
            }
            discriminated(obj);
            consts_to_enum(obj);
            nullable_to_any_of(obj);
            if matches!(obj.get("format").and_then(Value::as_str), Some(f) if is_numeric_format(f))
            {
                obj.remove("format");
            }
            if obj.get("format") == Some(&Value::String("partial-date-time".into())) {
                // A naive date-time: pydantic documents every datetime as `date-time`.
                obj.insert("format".into(), Value::String("date-time".into()));
            }
            if obj.get("format") == Some(&Value::String("ip".into())) {
                // `std::net::IpAddr`: pydantic's `IPvAnyAddress`.
                obj.insert("format".into(), Value::String("ipvanyaddress".into()));
            }
            if obj.get("format") == Some(&Value::String("partial-time".into())) {
                // chrono's `NaiveTime`: pydantic documents a time as `time`.
                obj.insert("format".into(), Value::String("time".into()));
            }
            if obj.get("default") == Some(&Value::Null) {
                obj.remove("default");
            }
            // A field never read (`#[serde(skip_deserializing)]`, pydantic's
            // `@computed_field`) has no default to document.
            if obj.get("readOnly") == Some(&Value::Bool(true)) {
                obj.remove("default");
            }
            if let Some(Value::Object(props)) = obj.get_mut("properties") {
                for (name, prop) in props.iter_mut() {
                    pydantic_style(prop);
                    if let Value::Object(p) = prop {
                        // A field never written (`#[serde(skip_serializing)]`,
                        // pydantic's `Field(exclude=True)`): pydantic marks
                        // nothing; its `writeOnly` is a secret's alone.
                        if p.get("writeOnly") == Some(&Value::Bool(true))
                            && p.get("format") != Some(&Value::String("password".into()))
                        {
                            p.remove("writeOnly");
                        }
                        if !p.contains_key("$ref") && !p.contains_key("title") && !nullable_ref(p) {
                            p.insert("title".into(), Value::String(py_title(name)));
                        }
                    }
                }
            }
            for key in ["items", "additionalProperties", "not"] {
                if let Some(v) = obj.get_mut(key) {
                    if v.is_object() {
                        pydantic_style(v);
                    }
                }
            }
            for key in ["anyOf", "oneOf", "allOf", "prefixItems"] {
                if let Some(Value::Array(list)) = obj.get_mut(key) {
                    list.iter_mut().for_each(pydantic_style);
                }
            }
            // `Optional[Union[A, B]]`: pydantic writes one flat `anyOf`.
            if let Some(Value::Array(list)) = obj.get_mut("anyOf") {
                let nested = |b: &Value| {
                    b.as_object().is_some_and(|o| {
                        o.len() == 1 && o.get("anyOf").is_some_and(Value::is_array)
                    })
                };
                if list.iter().any(nested) {
                    let flat: Vec<Value> = std::mem::take(list)
                        .into_iter()
                        .flat_map(|b| match b {
                            Value::Object(mut o)
                                if o.len() == 1 && o.get("anyOf").is_some_and(Value::is_array) =>
                            {
                                match o.remove("anyOf") {
                                    Some(Value::Array(inner)) => inner,
                                    _ => Vec::new(),
                                }
                            }
                            other => vec![other],
                        })
                        .collect();
                    *list = flat;
                }
            }
            for key in ["$defs", "definitions"] {
                if let Some(Value::Object(defs)) = obj.get_mut(key) {
                    defs.values_mut().for_each(pydantic_style);
                }
            }
        }
        _ => {}
    }
}

/// serde's internally tagged enum (`#[serde(tag = "pet_type")]`), which
/// schemars writes as a `oneOf` of references each with its tag as a
/// `const` property: pydantic's discriminated union, a `oneOf` of the
/// members and a `discriminator` with the mapping. The members get their
/// tag property back in [`tag_members`].
fn discriminated(obj: &mut Map<String, Value>) {
    let Some(Value::Array(branches)) = obj.get("oneOf") else {
        return;
    };
    let mut key: Option<&str> = None;
    let mut mapping = Map::new();
    let mut refs = Vec::new();
    for b in branches {
        let (Some(r), Some(props)) = (
            b.get("$ref").and_then(Value::as_str),
            b.get("properties").and_then(Value::as_object),
        ) else {
            return;
        };
        let Some((k, v)) = props.iter().find_map(|(k, p)| {
            p.get("const")
                .and_then(Value::as_str)
                .map(|c| (k.as_str(), c))
        }) else {
            return;
        };
        if key.is_some_and(|x| x != k) {
            return;
        }
        key = Some(k);
        mapping.insert(v.to_string(), Value::String(r.to_string()));
        refs.push(serde_json::json!({ "$ref": r }));
    }
    let Some(key) = key.map(str::to_string) else {
        return;
    };
    obj.insert("oneOf".into(), Value::Array(refs));
    obj.insert(
        "discriminator".into(),
        serde_json::json!({"propertyName": key, "mapping": mapping}),
    );
}

/// Every member of a discriminated union gets its tag as its first property
/// (`{"type": "string", "const": "cat"}`) and first required field, as the
/// pydantic model that declares `pet_type: Literal["cat"]` is written.
pub(crate) fn tag_members(schemas: &mut [(String, Value)], paths: &Value) {
    fn collect(v: &Value, out: &mut Vec<(String, String, String)>) {
        match v {
            Value::Object(o) => {
                if let Some(d) = o.get("discriminator") {
                    let key = d["propertyName"].as_str().unwrap_or_default();
                    for (tag, r) in d["mapping"].as_object().into_iter().flatten() {
                        if let Some(name) = r
                            .as_str()
                            .and_then(|r| r.strip_prefix("#/components/schemas/"))
                        {
                            out.push((name.to_string(), key.to_string(), tag.clone()));
                        }
                    }
                }
                o.values().for_each(|x| collect(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    collect(paths, &mut found);
    for (_, s) in schemas.iter() {
        collect(s, &mut found);
    }
    for (name, key, tag) in found {
        let Some((_, Value::Object(member))) = schemas.iter_mut().find(|(n, _)| *n == name) else {
            continue;
        };
        let mut props = Map::new();
        props.insert(
            key.clone(),
            serde_json::json!({"type": "string", "const": tag, "title": py_title(&key)}),
        );
        if let Some(Value::Object(old)) = member.remove("properties") {
            props.extend(old.into_iter().filter(|(k, _)| *k != key));
        }
        member.insert("properties".into(), Value::Object(props));
        let mut required = vec![Value::String(key.clone())];
        if let Some(Value::Array(old)) = member.remove("required") {
            required.extend(old.into_iter().filter(|k| *k != key));
        }
        member.insert("required".into(), Value::Array(required));
    }
}

/// `Optional[Model]`: pydantic gives a nullable model reference no title,
/// as it gives none to the reference itself.
fn nullable_ref(p: &Map<String, Value>) -> bool {
    match p.get("anyOf").and_then(Value::as_array) {
        Some(branches) if branches.len() == 2 => {
            branches.iter().any(|b| b.get("$ref").is_some())
                && branches
                    .iter()
                    .any(|b| b.get("type").and_then(Value::as_str) == Some("null"))
        }
        _ => false,
    }
}

/// Documented unit variants come out of schemars as `oneOf` of `const`s;
/// pydantic writes an enum as `{"type": ..., "enum": [...]}`.
fn consts_to_enum(obj: &mut Map<String, Value>) {
    let Some(Value::Array(branches)) = obj.get("oneOf") else {
        return;
    };
    let consts: Option<Vec<Value>> = branches.iter().map(|b| b.get("const").cloned()).collect();
    let Some(values) = consts.filter(|v| !v.is_empty()) else {
        return;
    };
    let types: Vec<Option<&Value>> = branches.iter().map(|b| b.get("type")).collect();
    let same_type = types.windows(2).all(|w| w[0] == w[1]);
    let ty = types.first().copied().flatten().cloned();
    obj.remove("oneOf");
    if let (true, Some(t)) = (same_type, ty) {
        obj.insert("type".into(), t);
    }
    obj.insert("enum".into(), Value::Array(values));
}

fn is_numeric_format(f: &str) -> bool {
    matches!(
        f,
        "int8"
            | "int16"
            | "int32"
            | "int64"
            | "int128"
            | "int"
            | "uint8"
            | "uint16"
            | "uint32"
            | "uint64"
            | "uint128"
            | "uint"
            | "float"
            | "double"
    )
}

/// `{"type": ["string", "null"], ...}` → `{"anyOf": [{"type": "string", ...}, {"type": "null"}]}`
/// with titles, defaults and descriptions kept outside.
fn nullable_to_any_of(obj: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = obj.get("type") else {
        return;
    };
    if !types.iter().any(|t| t == "null") {
        return;
    }
    let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
    let mut inner = Map::new();
    let mut outer = Map::new();
    for (k, v) in std::mem::take(obj) {
        match k.as_str() {
            "type" => {}
            // `SecretStr`'s `writeOnly` stays with the string (pydantic).
            "title" | "default" | "description" | "examples" | "deprecated" | "readOnly" => {
                outer.insert(k, v);
            }
            // An enum that allows null lists `null` among its values.
            "enum" => {
                let vals: Vec<Value> = v
                    .as_array()
                    .map(|a| a.iter().filter(|x| !x.is_null()).cloned().collect())
                    .unwrap_or_default();
                inner.insert(k, Value::Array(vals));
            }
            _ => {
                inner.insert(k, v);
            }
        }
    }
    inner.insert(
        "type".into(),
        if others.len() == 1 {
            others[0].clone()
        } else {
            Value::Array(others)
        },
    );
    let mut any_of = vec![Value::Object(inner)];
    any_of.push(serde_json::json!({"type": "null"}));
    obj.insert("anyOf".into(), Value::Array(any_of));
    obj.extend(outer);
}

/// pydantic's `Field(default_factory=...)`, as a schemars transform on a
/// field with `#[serde(default)]` or `#[serde(default = "f")]`: the value is
/// made per request, so the document states no `default` (pydantic writes
/// none; schemars would write the value the function returned once).
///
/// ```
/// #[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate)]
/// #[garde(allow_unvalidated)]
/// struct Post {
///     #[serde(default)]
///     #[schemars(transform = ferroapi::default_factory)]
///     tags: Vec<String>,
/// }
/// let schema = schemars::schema_for!(Post).to_value();
/// assert!(schema["properties"]["tags"].get("default").is_none());
/// ```
pub fn default_factory(schema: &mut schemars::Schema) {
    schema.remove("default");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_like_pydantic() {
        let mut s = json!({
            "type": "object",
            "title": "Item",
            "properties": {
                "item_id": {"type": "integer", "format": "int64"},
                "note": {"type": ["string", "null"], "default": null},
                "other": {"$ref": "#/components/schemas/Other"},
                "any": true
            }
        });
        pydantic_style(&mut s);
        assert_eq!(
            s,
            json!({
                "type": "object",
                "title": "Item",
                "properties": {
                    "item_id": {"type": "integer", "title": "Item Id"},
                    "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "title": "Note"},
                    "other": {"$ref": "#/components/schemas/Other"},
                    "any": {"title": "Any"}
                }
            })
        );
    }
}
