//! From a JSON Schema that pydantic wrote to the Rust type that makes
//! ferroapi write the same schema and validate as pydantic: the type, its
//! garde rules and what schemars must be told beside them.

use serde_json::{Map, Value};

/// A Rust type for one schema, with what its field or parameter carries.
#[derive(Debug, Clone, Default)]
pub struct Ty {
    /// The type as written in Rust.
    pub rust: String,
    /// garde rules (inside `#[garde(..)]`), for a model's field.
    pub garde: Vec<String>,
    /// schemars attributes (inside `#[schemars(..)]`), for a model's field.
    pub schemars: Vec<String>,
    /// `#[param(..)]` options, for a route's parameter.
    pub param: Vec<String>,
    /// The type holds a model (garde must `dive` into it).
    pub model: bool,
    /// The type is `Option<..>` (absent or `null`).
    pub optional: bool,
}

/// What the schema a type is made from points at: the Rust name of each
/// model (by the schema's own name, `-Input`/`-Output` stripped).
pub trait Names {
    /// The Rust name of the model or enum a `$ref` names (and whether it
    /// is a model, which garde dives into), or why there is none.
    fn model(&self, reference: &str) -> Result<(String, bool), String>;
    /// The Rust name of an inline enum of these values (a `Literal`).
    fn literal(&self, values: &[Value]) -> Result<String, String>;
    /// The Rust name of an untagged enum of these member types.
    fn union(&self, members: &[String]) -> Result<String, String>;
    /// The Rust name of an enum of models told apart by the field `tag`
    /// (a discriminated union): each variant's tag value and `$ref`.
    fn tagged(&self, tag: &str, variants: &[(String, String)]) -> Result<String, String>;
}

/// A discriminated union: its tag field and its members (tag value,
/// `$ref`), in the schema's order.
pub type Discriminated = (String, Vec<(String, String)>);

/// The discriminated union a schema is, if it is one.
pub fn discriminated(obj: &serde_json::Map<String, Value>) -> Option<Discriminated> {
    let one = obj.get("oneOf")?.as_array()?;
    let disc = obj.get("discriminator")?;
    let tag = disc["propertyName"].as_str()?.to_string();
    let mapping = disc["mapping"].as_object()?;
    let mut variants = Vec::new();
    for m in one {
        let r = m["$ref"].as_str()?;
        let mut values = mapping.iter().filter(|(_, v)| v.as_str() == Some(r));
        let (value, _) = values.next()?;
        if values.next().is_some() {
            return None;
        }
        variants.push((value.clone(), r.to_string()));
    }
    Some((tag, variants))
}

/// The type of `schema`. `Err` names what no ferroapi type expresses.
pub fn of(schema: &Value, names: &dyn Names) -> Result<Ty, String> {
    let Some(obj) = schema.as_object() else {
        return match schema {
            Value::Bool(true) => Ok(plain("serde_json::Value")),
            _ => Err(format!("the schema {schema}")),
        };
    };
    if let Some(r) = obj.get("$ref").and_then(Value::as_str) {
        let (name, model) = names.model(r)?;
        let mut t = plain(&name);
        t.model = model;
        return Ok(t);
    }
    if let Some(any) = obj.get("anyOf").and_then(Value::as_array) {
        // pydantic's `Decimal`: a number or its text.
        if any.len() == 2 && any[0]["type"] == "number" && any[1]["type"] == "string" {
            return Ok(decimal(any[0].as_object().into_iter().flatten()));
        }
        let (null, other): (Vec<&Value>, Vec<&Value>) = any
            .iter()
            .partition(|s| s.get("type").and_then(Value::as_str) == Some("null"));
        if null.len() == 1 && other.len() == 1 {
            let mut inner = of(other[0], names)?;
            inner.rust = format!("Option<{}>", inner.rust);
            inner.optional = true;
            return Ok(inner);
        }
        // A union of plain values (`int | str`): serde's untagged enum,
        // tried in order as pydantic's smart mode tries exact types first.
        let members: Result<Vec<Ty>, String> = other.iter().map(|m| of(m, names)).collect();
        let members = members?;
        if null.len() <= 1
            && members
                .iter()
                .all(|m| !m.model && m.garde.is_empty() && !m.optional)
        {
            let union = names.union(&members.iter().map(|m| m.rust.clone()).collect::<Vec<_>>())?;
            let mut t = plain(&union);
            if null.len() == 1 {
                t.rust = format!("Option<{union}>");
                t.optional = true;
            }
            return Ok(t);
        }
        return Err("a union of models or of values with rules: write it as a serde enum".into());
    }
    if let Some(values) = obj.get("enum").and_then(Value::as_array) {
        return Ok(plain(&names.literal(values)?));
    }
    // `Annotated[Union[Cat, Dog], Field(discriminator="pet_type")]`: serde's
    // internally tagged enum.
    if obj.contains_key("discriminator") {
        let (tag, variants) = discriminated(obj).ok_or(
            "a discriminated union whose members are not models each named by one tag value",
        )?;
        let mut t = plain(&names.tagged(&tag, &variants)?);
        t.model = true;
        return Ok(t);
    }
    if let Some(items) = obj.get("prefixItems").and_then(Value::as_array) {
        let each: Result<Vec<Ty>, String> = items.iter().map(|i| of(i, names)).collect();
        let each = each?;
        if each.iter().any(|t| !t.garde.is_empty()) {
            return Err("rules on the items of a tuple".into());
        }
        let mut t = plain(&format!(
            "({},)",
            each.iter()
                .map(|t| t.rust.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
        if each.len() > 1 {
            t.rust = t.rust.replace(",)", ")");
        }
        t.model = each.iter().any(|t| t.model);
        return Ok(t);
    }
    for key in ["allOf", "oneOf", "const", "discriminator", "not"] {
        if obj.contains_key(key) {
            return Err(match key {
                "enum" => "an `Enum` or `Literal`: write it as a Rust enum".into(),
                "prefixItems" => "a tuple: write it as a Rust tuple".into(),
                "const" => "a single-value `Literal`".into(),
                _ => format!("a schema with `{key}`"),
            });
        }
    }
    let kind = obj.get("type").and_then(Value::as_str);
    let mut t = match kind {
        None => plain("serde_json::Value"),
        Some("string") => string(obj)?,
        Some("integer") => numeric("i64", obj, false),
        Some("number") => numeric("f64", obj, true),
        Some("boolean") => plain("bool"),
        Some("array") => array(obj, names)?,
        Some("object") => object(obj, names)?,
        Some(other) => return Err(format!("the JSON type `{other}`")),
    };
    if obj.get("uniqueItems") == Some(&Value::Bool(true)) && kind != Some("array") {
        return Err("`uniqueItems` outside an array".into());
    }
    t.optional = false;
    Ok(t)
}

/// A `Decimal` with the bounds its number branch states (exact: each
/// bound compared as a decimal, as pydantic does).
fn decimal<'a>(bounds: impl Iterator<Item = (&'a String, &'a Value)>) -> Ty {
    let mut t = plain("ferroapi::Decimal");
    for (key, n) in bounds {
        let rule = match key.as_str() {
            "exclusiveMinimum" => "gt",
            "minimum" => "ge",
            "exclusiveMaximum" => "lt",
            "maximum" => "le",
            "multipleOf" => "multiple_of",
            _ => continue,
        };
        t.garde.push(format!(
            "custom(ferroapi::rules::{rule}(ferroapi::Decimal::literal({:?})))",
            n.to_string()
        ));
        t.schemars.push(format!("extend({key:?} = {n})"));
        t.param.push(format!("{rule} = {n}"));
    }
    t
}

/// What the annotation says that the schema cannot: pydantic's date and
/// date-time kinds, `tuple[T, ...]`, a `Decimal`'s digits.
pub fn refine(t: &mut Ty, field: &Value) {
    let annotation = field["annotation"].as_str().unwrap_or("");
    for (py, rust, from) in [
        (
            "FutureDatetime",
            "ferroapi::FutureDatetime",
            "ferroapi::Datetime",
        ),
        (
            "PastDatetime",
            "ferroapi::PastDatetime",
            "ferroapi::Datetime",
        ),
        (
            "AwareDatetime",
            "ferroapi::AwareDatetime",
            "ferroapi::Datetime",
        ),
        (
            "NaiveDatetime",
            "ferroapi::NaiveDatetime",
            "ferroapi::Datetime",
        ),
        ("FutureDate", "ferroapi::FutureDate", "chrono::NaiveDate"),
        ("PastDate", "ferroapi::PastDate", "chrono::NaiveDate"),
    ] {
        if annotation.contains(py) {
            t.rust = t.rust.replace(from, rust);
        }
    }
    if annotation.starts_with("tuple[") && annotation.ends_with(", ...]") {
        if let Some(inner) = t
            .rust
            .strip_prefix("Vec<")
            .and_then(|r| r.strip_suffix('>'))
        {
            t.rust = format!("ferroapi::Tuple<{inner}>");
        }
    }
    for c in field["constraints"].as_array().into_iter().flatten() {
        let c = c.as_str().unwrap_or("");
        let number = |key: &str| {
            c.split(&format!("{key}="))
                .nth(1)
                .and_then(|r| r.split([',', ')']).next())
                .and_then(|n| n.trim().parse::<u32>().ok())
        };
        if let (Some(digits), Some(places)) = (number("max_digits"), number("decimal_places")) {
            t.rust = t.rust.replace(
                "ferroapi::Decimal",
                &format!("ferroapi::Condecimal<{digits}, {places}>"),
            );
        }
    }
}

fn plain(rust: &str) -> Ty {
    Ty {
        rust: rust.to_string(),
        ..Ty::default()
    }
}

/// Lengths and patterns of a text, from its schema.
fn string(obj: &Map<String, Value>) -> Result<Ty, String> {
    // FastAPI 0.165 writes `bytes` as text of the octet-stream media type.
    let octets =
        obj.get("contentMediaType").and_then(Value::as_str) == Some("application/octet-stream");
    let format = match octets {
        true => Some("binary"),
        false => obj.get("format").and_then(Value::as_str),
    };
    let mut t = match format {
        None => plain("String"),
        Some("date-time") => plain("ferroapi::Datetime"),
        Some("date") => plain("chrono::NaiveDate"),
        Some("time") => plain("ferroapi::Time"),
        Some("duration") => plain("ferroapi::Timedelta"),
        Some("uuid") => plain("uuid::Uuid"),
        Some("uuid1") => plain("ferroapi::Uuid1"),
        Some("uuid3") => plain("ferroapi::Uuid3"),
        Some("uuid4") => plain("ferroapi::Uuid4"),
        Some("uuid5") => plain("ferroapi::Uuid5"),
        Some("email") => plain("ferroapi::EmailStr"),
        Some("ipv4") => plain("std::net::Ipv4Addr"),
        Some("ipv6") => plain("std::net::Ipv6Addr"),
        Some("ipvanyaddress") => plain("std::net::IpAddr"),
        Some("ipv4network") => plain("ferroapi::Ipv4Network"),
        Some("ipv6network") => plain("ferroapi::Ipv6Network"),
        Some("ipvanynetwork") => plain("ferroapi::IpNetwork"),
        Some("ipv4interface") => plain("ferroapi::Ipv4Interface"),
        Some("ipv6interface") => plain("ferroapi::Ipv6Interface"),
        Some("ipvanyinterface") => plain("ferroapi::IpInterface"),
        Some("binary") => plain("ferroapi::Bytes"),
        // pydantic's `AnyUrl`.
        Some("uri")
            if obj.get("minLength") == Some(&Value::from(1)) && obj.get("maxLength").is_none() =>
        {
            return Ok(plain("ferroapi::AnyUrl"));
        }
        Some("password") if obj.get("writeOnly") == Some(&Value::Bool(true)) => {
            plain("ferroapi::SecretStr")
        }
        // pydantic's `HttpUrl`: its lengths are the type's own.
        Some("uri")
            if obj.get("minLength") == Some(&Value::from(1))
                && obj.get("maxLength") == Some(&Value::from(2083)) =>
        {
            return Ok(plain("ferroapi::HttpUrl"));
        }
        Some(other) => return Err(format!("a text of format `{other}`")),
    };
    let min = obj.get("minLength").and_then(Value::as_u64);
    let max = obj.get("maxLength").and_then(Value::as_u64);
    if min.is_some() || max.is_some() {
        // Text is measured in characters, `bytes` in bytes.
        let unit = match format {
            None | Some("email") => "chars, ",
            Some("binary") => "",
            Some(f) => return Err(format!("length bounds on a text of format `{f}`")),
        };
        lengths(&mut t, unit, min, max);
    }
    if let Some(p) = obj.get("pattern").and_then(Value::as_str) {
        t.garde.push(format!("pattern({})", raw_string(p)));
        t.param.push(format!("pattern = {}", raw_string(p)));
    }
    Ok(t)
}

/// Bounds and multiples of a number. garde's own `range` writes a float
/// bound as `1.0` where pydantic wrote `1`: every bound goes through
/// `ferroapi::rules` and is stated to schemars as pydantic wrote it.
fn numeric(rust: &str, obj: &Map<String, Value>, float: bool) -> Ty {
    let mut t = plain(rust);
    for (key, rule, param) in [
        ("exclusiveMinimum", "gt", "gt"),
        ("minimum", "ge", "ge"),
        ("exclusiveMaximum", "lt", "lt"),
        ("maximum", "le", "le"),
        ("multipleOf", "multiple_of", "multiple_of"),
    ] {
        let Some(n) = obj.get(key).filter(|v| v.is_number()) else {
            continue;
        };
        t.garde.push(format!(
            "custom(ferroapi::rules::{rule}({}))",
            literal(n, float)
        ));
        t.schemars.push(format!("extend({key:?} = {n})"));
        t.param.push(format!("{param} = {n}"));
    }
    t
}

/// A JSON number as a Rust literal of an integer or a float type.
fn literal(n: &Value, float: bool) -> String {
    let text = n.to_string();
    match float && !text.contains(['.', 'e', 'E']) {
        true => format!("{text}.0"),
        false if !float && n.as_i64().is_none() => format!("{text} as i64"),
        false => match float && (text.contains('e') || text.contains('E')) && !text.contains('.') {
            true => text.replacen(['e', 'E'], ".0e", 1),
            false => text,
        },
    }
}

/// Length bounds, as garde's rule (measured in `unit`: `"chars, "` or
/// garde's default) and as a parameter's options.
fn lengths(t: &mut Ty, unit: &str, min: Option<u64>, max: Option<u64>) {
    if min.is_none() && max.is_none() {
        return;
    }
    let bounds: Vec<String> = [("min", min), ("max", max)]
        .iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k} = {v}")))
        .collect();
    t.garde.push(format!("length({unit}{})", bounds.join(", ")));
    for (k, v) in [("min_length", min), ("max_length", max)] {
        if let Some(v) = v {
            t.param.push(format!("{k} = {v}"));
        }
    }
}

fn array(obj: &Map<String, Value>, names: &dyn Names) -> Result<Ty, String> {
    let item = match obj.get("items") {
        Some(items) => of(items, names)?,
        None => plain("serde_json::Value"),
    };
    if !item.garde.is_empty() {
        return Err("rules on the items of a list (`list[constr(..)]`)".into());
    }
    let unique = obj.get("uniqueItems") == Some(&Value::Bool(true));
    let mut t = plain(&match unique {
        true => format!("std::collections::BTreeSet<{}>", item.rust),
        false => format!("Vec<{}>", item.rust),
    });
    t.model = item.model;
    let min = obj.get("minItems").and_then(Value::as_u64);
    let max = obj.get("maxItems").and_then(Value::as_u64);
    lengths(&mut t, "", min, max);
    Ok(t)
}

fn object(obj: &Map<String, Value>, names: &dyn Names) -> Result<Ty, String> {
    if obj.contains_key("properties") {
        return Err("an inline object with properties (a `TypedDict`)".into());
    }
    if obj.contains_key("propertyNames") {
        return Err("a `dict` whose keys are not text".into());
    }
    let value = match obj.get("additionalProperties") {
        None | Some(Value::Bool(true)) => plain("serde_json::Value"),
        Some(schema) => of(schema, names)?,
    };
    if !value.garde.is_empty() {
        return Err("rules on the values of a `dict`".into());
    }
    // Keys in the order sent, as a Python dict; garde dives only into a
    // std map.
    let mut t = plain(&match value.model {
        true => format!("std::collections::BTreeMap<String, {}>", value.rust),
        false => format!("indexmap::IndexMap<String, {}>", value.rust),
    });
    t.model = value.model;
    // A parameter's options bound a map's size (a model's field cannot:
    // garde has no rule for a map's size, and the field says so).
    for (k, key) in [
        ("min_length", "minProperties"),
        ("max_length", "maxProperties"),
    ] {
        if let Some(v) = obj.get(key).and_then(Value::as_u64) {
            t.param.push(format!("{k} = {v}"));
        }
    }
    Ok(t)
}

/// A `dict` whose keys the annotation says are integers (JSON Schema
/// cannot): `dict[int, float]`.
pub fn int_keys(t: &mut Ty, annotation: Option<&str>) {
    if annotation.is_some_and(|a| a.starts_with("dict[int,") || a.starts_with("Dict[int,")) {
        t.rust = t.rust.replacen("<String,", "<i64,", 1);
    }
}

/// The JSON Schema pydantic would write for a parameter's annotation and
/// constraints, as the manifest states them, for the simple types a
/// parameter has (`str`, `int`, `float`, `bool`, lists and optionals of
/// them): what a parameter left out of the document is made from.
pub fn from_annotation(field: &Value) -> Option<Value> {
    fn base(text: &str) -> Option<Value> {
        let text = text.trim();
        if let Some(inner) = text
            .strip_prefix("Optional[")
            .and_then(|t| t.strip_suffix(']'))
        {
            return Some(serde_json::json!({"anyOf": [base(inner)?, {"type": "null"}]}));
        }
        if let Some(inner) = text.strip_suffix("| None") {
            return Some(serde_json::json!({"anyOf": [base(inner)?, {"type": "null"}]}));
        }
        if let Some(inner) = text
            .strip_prefix("list[")
            .or_else(|| text.strip_prefix("List["))
            .and_then(|t| t.strip_suffix(']'))
        {
            return Some(serde_json::json!({"type": "array", "items": base(inner)?}));
        }
        let kind = match text {
            "str" => "string",
            "int" => "integer",
            "float" => "number",
            "bool" => "boolean",
            _ => return None,
        };
        Some(serde_json::json!({ "type": kind }))
    }
    let mut schema = base(field["annotation"].as_str()?)?;
    let target = match schema.get("anyOf").is_some() {
        true => &mut schema["anyOf"][0],
        false => &mut schema,
    };
    let array = target["type"] == "array";
    for c in field["constraints"].as_array().into_iter().flatten() {
        let c = c.as_str()?;
        let (_, args) = c.split_once('(')?;
        let (key, value) = args.strip_suffix(')')?.split_once('=')?;
        let number = || value.parse::<serde_json::Number>().ok().map(Value::Number);
        let (k, v) = match key {
            "min_length" if array => ("minItems", number()?),
            "max_length" if array => ("maxItems", number()?),
            "min_length" => ("minLength", number()?),
            "max_length" => ("maxLength", number()?),
            "gt" => ("exclusiveMinimum", number()?),
            "ge" => ("minimum", number()?),
            "lt" => ("exclusiveMaximum", number()?),
            "le" => ("maximum", number()?),
            "multiple_of" => ("multipleOf", number()?),
            "pattern" => ("pattern", Value::String(python_str(value)?)),
            _ => return None,
        };
        target[k] = v;
    }
    Some(schema)
}

/// A Python string literal's value (`'a\\d'` is `a\d`).
fn python_str(repr: &str) -> Option<String> {
    let quote = repr.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = repr.strip_prefix(quote)?.strip_suffix(quote)?;
    let mut out = String::new();
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    Some(out)
}

/// `s` as a Rust raw string literal.
pub fn raw_string(s: &str) -> String {
    let mut hashes = String::from("#");
    while s.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{s}\"{hashes}")
}

/// A JSON default as a Rust expression of type `rust`, when it has one.
pub fn default_expr(value: &Value, rust: &str) -> Option<String> {
    let inner = rust
        .strip_prefix("Option<")
        .and_then(|r| r.strip_suffix('>'));
    if let Some(inner) = inner {
        return match value {
            Value::Null => Some("None".into()),
            v => default_expr(v, inner).map(|e| format!("Some({e})")),
        };
    }
    match (value, rust) {
        (Value::String(s), "String") => Some(format!("{s:?}.to_string()")),
        (Value::Bool(b), "bool") => Some(b.to_string()),
        (Value::Number(n), "i64") if n.is_i64() => Some(n.to_string()),
        (Value::Number(n), "f64") => Some(literal(value, true)).filter(|_| n.as_f64().is_some()),
        (Value::Array(items), r) => {
            let item = r.strip_prefix("Vec<").and_then(|r| r.strip_suffix('>'))?;
            let each: Option<Vec<String>> = items.iter().map(|v| default_expr(v, item)).collect();
            Some(format!("vec![{}]", each?.join(", ")))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Flat;
    impl Names for Flat {
        fn model(&self, r: &str) -> Result<(String, bool), String> {
            Ok((r.rsplit('/').next().unwrap_or(r).to_string(), true))
        }
        fn union(&self, members: &[String]) -> Result<String, String> {
            Ok(members.join("Or"))
        }

        fn tagged(&self, tag: &str, variants: &[(String, String)]) -> Result<String, String> {
            Ok(format!("{tag}{}", variants.len()))
        }
        fn literal(&self, values: &[Value]) -> Result<String, String> {
            match values.iter().all(Value::is_string) {
                true => Ok(values
                    .iter()
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("Or")),
                false => Err("not text".into()),
            }
        }
    }

    #[test]
    fn scalars_containers_and_rules() {
        let t = of(
            &json!({"type": "string", "minLength": 1, "maxLength": 5}),
            &Flat,
        )
        .unwrap();
        assert_eq!(t.rust, "String");
        assert_eq!(t.garde, ["length(chars, min = 1, max = 5)"]);
        assert_eq!(t.param, ["min_length = 1", "max_length = 5"]);
        let t = of(&json!({"type": "number", "exclusiveMinimum": 0}), &Flat).unwrap();
        assert_eq!(t.garde, ["custom(ferroapi::rules::gt(0.0))"]);
        assert_eq!(t.schemars, ["extend(\"exclusiveMinimum\" = 0)"]);
        let t = of(
            &json!({"anyOf": [{"type": "array", "items": {"$ref": "#/$defs/Item"}}, {"type": "null"}]}),
            &Flat,
        )
        .unwrap();
        assert_eq!(t.rust, "Option<Vec<Item>>");
        assert!(t.model && t.optional);
        assert_eq!(
            of(&json!({"enum": ["a", "b"], "type": "string"}), &Flat)
                .unwrap()
                .rust,
            "aOrb"
        );
        assert!(of(&json!({"enum": [1]}), &Flat).is_err());
        assert_eq!(
            of(
                &json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}),
                &Flat
            )
            .unwrap()
            .rust,
            "StringOri64"
        );
        // Models in a union: a serde enum written by hand.
        assert!(of(
            &json!({"anyOf": [{"$ref": "#/$defs/A"}, {"$ref": "#/$defs/B"}]}),
            &Flat
        )
        .is_err());
        let t = of(
            &json!({"type": "object", "additionalProperties": {"type": "integer"}}),
            &Flat,
        )
        .unwrap();
        assert_eq!(t.rust, "indexmap::IndexMap<String, i64>");
    }

    #[test]
    fn defaults_and_literals() {
        assert_eq!(
            default_expr(&json!("a"), "String").unwrap(),
            "\"a\".to_string()"
        );
        assert_eq!(default_expr(&json!(null), "Option<i64>").unwrap(), "None");
        assert_eq!(default_expr(&json!(3), "Option<i64>").unwrap(), "Some(3)");
        assert_eq!(default_expr(&json!(2), "f64").unwrap(), "2.0");
        assert_eq!(
            default_expr(&json!(["x"]), "Vec<String>").unwrap(),
            "vec![\"x\".to_string()]"
        );
        assert!(default_expr(&json!({"a": 1}), "serde_json::Value").is_none());
        assert_eq!(literal(&json!(1e20), true), "1.0e+20");
        assert_eq!(raw_string("a\"#b"), "r##\"a\"#b\"##");
        let made = from_annotation(&json!({"annotation": "str | None", "constraints": ["MaxLen(max_length=3)", "_PydanticGeneralMetadata(pattern='^a\\\\d')"]})).unwrap();
        assert_eq!(
            made,
            json!({"anyOf": [{"type": "string", "maxLength": 3, "pattern": "^a\\d"}, {"type": "null"}]})
        );
        assert!(from_annotation(&json!({"annotation": "Item"})).is_none());
    }
}
