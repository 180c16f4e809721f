//! Each pydantic model of the manifest as a Rust struct.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde_json::Value;

use super::types::{self, Names};
use super::{gap, ident, lit, Generated, TODO};

/// The manifest's models, by the name their schemas go by.
pub struct Models<'a> {
    /// Schema title (the component's name) to the model's manifest entry.
    by_title: BTreeMap<String, (&'a str, &'a Value)>,
    /// Titles two models share (FastAPI then names components by module).
    clashes: Vec<String>,
    /// `Enum` classes, by title: their values.
    enums: BTreeMap<String, Vec<Value>>,
    /// Models read as groups of parameters (`Annotated[Model, Query()]`),
    /// by qualified name.
    param_models: BTreeSet<String>,
    /// `Literal`s met while writing: their values and Rust names.
    literals: RefCell<BTreeMap<Vec<String>, Literal>>,
    /// Unions of plain values met while writing: member types to Rust name.
    unions: RefCell<BTreeMap<Vec<String>, String>>,
    /// Models that are members of a discriminated union and nothing else,
    /// by title: the tag field (which serde's tagged enum reads, so the
    /// struct leaves it out) and their tag value.
    tag_members: BTreeMap<String, String>,
    /// Discriminated unions met while writing: (tag, variants) to Rust name.
    tagged: RefCell<BTreeMap<types::Discriminated, String>>,
}

/// Every `$ref` outside a discriminated union's members (the titles a
/// model is used by directly), and each discriminated union.
fn references(
    v: &Value,
    direct: &mut BTreeSet<String>,
    unions: &mut Vec<types::Discriminated>,
    depth: usize,
) {
    // serde_json's own recursion limit bounds the manifest; this the walk.
    if depth > 128 {
        return;
    }
    match v {
        Value::Object(o) => {
            if let Some(union) = types::discriminated(o) {
                unions.push(union);
                for (k, x) in o {
                    if k != "oneOf" && k != "discriminator" {
                        references(x, direct, unions, depth + 1);
                    }
                }
                return;
            }
            if let Some(r) = o.get("$ref").and_then(Value::as_str) {
                direct.insert(title_of(r).to_string());
            }
            for x in o.values() {
                references(x, direct, unions, depth + 1);
            }
        }
        Value::Array(a) => {
            for x in a {
                references(x, direct, unions, depth + 1);
            }
        }
        _ => {}
    }
}

/// A model's own schema (a model that holds itself is a `$ref` into its
/// `$defs`).
fn own_schema(m: &Value) -> &Value {
    let schema = &m["schema"]["validation"];
    match schema["$ref"]
        .as_str()
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        Some(own) => &schema["$defs"][own],
        None => schema,
    }
}

/// An enum's variants: each value and its Rust name (distinct): a text's
/// own, `V5` for the integer 5, `Minus5` for -5.
fn variants(values: &[Value]) -> Vec<(&Value, String)> {
    let mut seen = BTreeSet::new();
    values
        .iter()
        .map(|v| {
            let mut variant = match (v.as_str(), v.as_i64()) {
                (Some(text), _) => rust_name(text),
                (None, Some(n)) if n < 0 => format!("Minus{}", n.unsigned_abs()),
                (None, Some(n)) => format!("V{n}"),
                _ => "Value".to_string(),
            };
            while !seen.insert(variant.clone()) {
                variant.push('_');
            }
            (v, variant)
        })
        .collect()
}

/// An enum of texts (serde's names) or of integers (`serde_repr`), readable
/// as a parameter too; `literal`: documented inline, as pydantic documents a
/// `Literal`.
fn write_enum(
    s: &mut String,
    name: &str,
    rename: Option<&str>,
    values: &[Value],
    literal: bool,
    at: &str,
    out: &mut Generated,
) {
    let ints = !values.is_empty() && values.iter().all(|v| v.as_i64().is_some());
    if !ints && !values.iter().all(Value::is_string) {
        gap(
            out,
            s,
            "",
            at,
            &format!("the enum `{name}` of values of several types"),
        );
    }
    let derive = match ints {
        true => {
            "serde_repr::Deserialize_repr, serde_repr::Serialize_repr, schemars::JsonSchema_repr"
        }
        false => "serde::Deserialize, serde::Serialize, schemars::JsonSchema",
    };
    let _ = writeln!(
        s,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, {derive}, ferroapi::ParamEnum)]"
    );
    if ints {
        s.push_str("#[repr(i64)]\n");
    }
    if let Some(r) = rename {
        let _ = writeln!(s, "#[schemars(rename = {})]", lit(r));
    }
    if literal {
        s.push_str("#[schemars(inline, transform = ferroapi::literal)]\n");
    }
    let _ = writeln!(s, "pub enum {name} {{");
    for (value, variant) in variants(values) {
        match (value.as_str(), ints) {
            (Some(text), false) => {
                let _ = writeln!(s, "    #[serde(rename = {})]\n    {variant},", lit(text));
            }
            (None, true) => {
                let _ = writeln!(s, "    {variant} = {value},");
            }
            _ => {}
        }
    }
    s.push_str("}\n\n");
}

/// A `Literal` met: its Rust name and its values (keyed by their JSON text).
type Literal = (String, Vec<Value>);

/// Every parameter of a dependant, its sub-dependencies' included.
fn each_param<'a>(dependant: &'a Value, found: &mut Vec<&'a Value>) {
    found.extend(dependant["params"].as_array().into_iter().flatten());
    for d in dependant["dependencies"].as_array().into_iter().flatten() {
        each_param(d, found);
    }
}

/// `#/components/schemas/Item-Input` or `#/$defs/Item` to `Item`.
fn title_of(reference: &str) -> &str {
    let last = reference.rsplit('/').next().unwrap_or(reference);
    last.strip_suffix("-Input")
        .or_else(|| last.strip_suffix("-Output"))
        .unwrap_or(last)
}

/// A model's Rust name: its title, when it is an identifier.
pub fn rust_name(title: &str) -> String {
    let mut s = String::new();
    let mut upper = true;
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            s.push(match upper {
                true => c.to_ascii_uppercase(),
                false => c,
            });
            upper = false;
        } else {
            upper = true;
        }
    }
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, 'M');
    }
    s
}

impl<'a> Models<'a> {
    pub fn new(manifest: &'a Value) -> Self {
        let mut by_title = BTreeMap::new();
        let mut clashes = Vec::new();
        if let Some(all) = manifest["models"].as_object() {
            for (qualified, m) in all {
                // FastAPI names a model's component by its class, whatever
                // title its config gives its schema.
                let title = qualified
                    .rsplit('.')
                    .next()
                    .unwrap_or(qualified)
                    .to_string();
                if by_title
                    .insert(title.clone(), (qualified.as_str(), m))
                    .is_some()
                {
                    clashes.push(title);
                }
            }
        }
        // Enums are named schemas without a model of their own: in the
        // document's components and in each model's `$defs`.
        let mut enums = BTreeMap::new();
        let mut add = |schemas: &'a Value| {
            for (name, schema) in schemas.as_object().into_iter().flatten() {
                if let Some(values) = schema["enum"].as_array() {
                    enums.insert(name.clone(), values.clone());
                }
            }
        };
        add(&manifest["openapi"]["components"]["schemas"]);
        for (_, m) in by_title.values() {
            add(&m["schema"]["validation"]["$defs"]);
            add(&m["schema"]["serialization"]["$defs"]);
        }
        let mut params = Vec::new();
        for route in manifest["routes"].as_array().into_iter().flatten() {
            each_param(&route["dependant"], &mut params);
        }
        let param_models = params
            .iter()
            // Parameters and form fields read as a model.
            .filter(|p| {
                p["location"] != "body"
                    || p["media_type"]
                        .as_str()
                        .is_some_and(|m| m != "application/json")
            })
            .filter_map(|p| p["field"]["annotation"].as_str())
            .filter(|a| manifest["models"].get(*a).is_some())
            .map(String::from)
            .collect();
        // Members of discriminated unions used nowhere else: their tag
        // field is the enum's.
        let mut direct = BTreeSet::new();
        let mut unions = Vec::new();
        references(&manifest["openapi"], &mut direct, &mut unions, 0);
        for (_, m) in by_title.values() {
            references(&m["schema"]["validation"], &mut direct, &mut unions, 0);
            references(&m["schema"]["serialization"], &mut direct, &mut unions, 0);
        }
        let mut tag_members = BTreeMap::new();
        for (tag, variants) in &unions {
            let members: Option<Vec<String>> = variants
                .iter()
                .map(|(value, r)| {
                    let title = title_of(r);
                    let (_, m) = by_title.get(title)?;
                    let constant = &own_schema(m)["properties"][tag.as_str()]["const"];
                    (!direct.contains(title) && constant.as_str() == Some(value.as_str()))
                        .then(|| title.to_string())
                })
                .collect();
            for title in members.into_iter().flatten() {
                tag_members.insert(title, tag.clone());
            }
        }
        Models {
            by_title,
            clashes,
            enums,
            param_models,
            literals: RefCell::new(BTreeMap::new()),
            unions: RefCell::new(BTreeMap::new()),
            tag_members,
            tagged: RefCell::new(BTreeMap::new()),
        }
    }

    /// A default of an enum or `Literal` type as its variant.
    pub fn enum_default(&self, rust: &str, value: &Value) -> Option<String> {
        if let Some(inner) = rust
            .strip_prefix("Option<")
            .and_then(|r| r.strip_suffix('>'))
        {
            return self
                .enum_default(inner, value)
                .map(|e| format!("Some({e})"));
        }
        let values: Vec<Value> = match self.enums.iter().find(|(t, _)| rust_name(t) == rust) {
            Some((_, values)) => values.clone(),
            None => self
                .literals
                .borrow()
                .values()
                .find(|(n, _)| n == rust)?
                .1
                .clone(),
        };
        let (_, variant) = variants(&values).into_iter().find(|(v, _)| *v == value)?;
        Some(format!("{rust}::{variant}"))
    }

    /// Whether `annotation` names a model read as parameters.
    pub fn is_param_model(&self, annotation: &str) -> bool {
        self.param_models.contains(annotation)
    }

    /// The Rust name of the model of this qualified name.
    pub fn rust_of(&self, qualified: &str) -> Option<String> {
        self.by_title
            .iter()
            .find(|(_, (q, _))| *q == qualified)
            .map(|(title, _)| rust_name(title))
    }

    fn enumeration(&self, title: &str, values: &[Value], out: &mut Generated, s: &mut String) {
        let name = rust_name(title);
        let _ = writeln!(s, "// The `{title}` enum.");
        let rename = (name != title).then_some(title);
        write_enum(s, &name, rename, values, false, title, out);
    }

    /// Writes `models.rs`.
    pub fn write(&self, out: &mut Generated) -> String {
        let mut s = String::from(
            "//! The app's pydantic models: serde, schemars and garde attributes that\n\
             //! validate and document each as pydantic does.\n\n\
             #![allow(dead_code)]\n\n",
        );
        for title in &self.clashes {
            let mut code = String::new();
            gap(
                out,
                &mut code,
                "",
                title,
                &format!("two models named `{title}`"),
            );
            s.push_str(&code);
        }
        for (title, values) in &self.enums {
            self.enumeration(title, values, out, &mut s);
        }
        let mut structs = String::new();
        for (title, (qualified, m)) in &self.by_title {
            self.model(title, qualified, m, out, &mut structs);
        }
        // Literals met in the models and in the routes (written before).
        for (texts, (name, values)) in self.literals.borrow().iter() {
            let _ = writeln!(s, "// `Literal[{}]`.", texts.join(", "));
            write_enum(&mut s, name, None, values, true, name, out);
        }
        for (members, name) in self.unions.borrow().iter() {
            let _ = writeln!(
                s,
                "// A union of {}, tried in that order.",
                members.join(", ")
            );
            let _ = writeln!(
                s,
                "#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]\n#[serde(untagged)]\n#[schemars(inline)]\npub enum {name} {{"
            );
            for (member, variant) in members.iter().zip(union_variants(members)) {
                let _ = writeln!(s, "    {variant}({member}),");
            }
            s.push_str("}\n\n");
        }
        for ((tag, variants), name) in self.tagged.borrow().iter() {
            let members: Vec<String> = variants
                .iter()
                .map(|(_, r)| rust_name(title_of(r)))
                .collect();
            let _ = writeln!(
                s,
                "// A union of {}, told apart by `{tag}`.\n\
                 #[derive(Debug, Clone, serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]\n\
                 #[serde(tag = {})]\n#[schemars(inline)]\npub enum {name} {{",
                members.join(", "),
                lit(tag)
            );
            for ((value, _), member) in variants.iter().zip(&members) {
                let _ = writeln!(
                    s,
                    "    #[serde(rename = {})]\n    {member}(#[garde(dive)] {member}),",
                    lit(value)
                );
            }
            s.push_str("}\n\n");
        }
        s.push_str(&structs);
        s
    }

    fn model(&self, title: &str, qualified: &str, m: &Value, out: &mut Generated, s: &mut String) {
        let name = rust_name(title);
        let at = m["at"].as_str().unwrap_or(qualified).to_string();
        let mut schema = &m["schema"]["validation"];
        // A model that holds itself: pydantic writes its schema in `$defs`.
        if let Some(own) = schema["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix("#/$defs/"))
        {
            schema = &schema["$defs"][own];
        }
        let mut head = String::new();
        let _ = writeln!(head, "// `{qualified}` ({at}).");
        let derives = match self.param_models.contains(qualified) {
            true => ", ferroapi::ParamModel",
            false => "",
        };
        let _ = writeln!(
            head,
            "#[derive(Debug, Clone, serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate{derives})]"
        );
        let _ = writeln!(head, "#[garde(allow_unvalidated)]");
        if name != title {
            let _ = writeln!(head, "#[schemars(rename = {})]", lit(title));
        }
        if let Some(t) = schema["title"].as_str().filter(|t| *t != title) {
            let _ = writeln!(head, "#[schemars(title = {})]", lit(t));
        }
        if let Some(d) = schema["description"].as_str() {
            let _ = writeln!(head, "#[schemars(description = {})]", lit(d));
        }
        for (key, value) in m["config"].as_object().into_iter().flatten() {
            match (key.as_str(), value) {
                ("extra", Value::String(x)) if x == "forbid" => {
                    let _ = writeln!(head, "#[serde(deny_unknown_fields)]");
                }
                ("extra", Value::String(x)) if x == "ignore" => {}
                // The other keys, kept in order (written after the fields).
                ("extra", Value::String(x)) if x == "allow" => {}
                ("title", _) => {}
                ("strict", Value::Bool(true)) => {
                    let _ = writeln!(head, "#[schemars(transform = ferroapi::strict)]");
                }
                ("strict", Value::Bool(false)) => {}
                ("json_schema_extra", Value::Object(extra)) => {
                    for (k, v) in extra {
                        let _ = writeln!(head, "#[schemars(extend({k:?} = {v}))]");
                    }
                }
                // Python-side only: how instances are made, kept and built.
                (
                    "from_attributes"
                    | "validate_assignment"
                    | "arbitrary_types_allowed"
                    | "frozen"
                    | "use_attribute_docstrings"
                    | "cache_strings"
                    | "defer_build"
                    | "protected_namespaces"
                    | "revalidate_instances"
                    | "validate_return"
                    | "validation_error_cause"
                    | "use_enum_values"
                    | "plugin_settings"
                    // SQLModel's table registry.
                    | "registry"
                    | "table",
                    _,
                ) => {}
                // pydantic's defaults, stated.
                ("loc_by_alias" | "validate_by_alias", Value::Bool(true))
                | ("validate_default" | "validate_by_name", Value::Bool(false)) => {}
                // Read by the Python name too (each field's `alias` above).
                ("populate_by_name" | "validate_by_name", Value::Bool(_)) => {}
                // Applied by pydantic when the class was made: each field's
                // alias in the manifest is what it gave.
                ("alias_generator", _) => {}
                // garde checks a default as any value the body sends.
                ("validate_default", Value::Bool(true)) => {}
                ("regex_engine", Value::String(e)) if e == "rust-regex" => {}
                _ => gap(
                    out,
                    &mut head,
                    "",
                    &at,
                    &format!("`model_config[{key:?}] = {value}`"),
                ),
            }
        }
        // `populate_by_name` / `validate_by_name`: each field is read by its
        // Python name too.
        let by_name = ["populate_by_name", "validate_by_name"]
            .iter()
            .any(|k| m["config"][*k] == Value::Bool(true));
        let mut fields_code = String::new();
        let mut extra_fns = String::new();
        let validators: Vec<&Value> = m["validators"].as_array().into_iter().flatten().collect();
        for v in &validators {
            let kind = v["kind"].as_str().unwrap_or("validator");
            let func = v["function"].as_str().unwrap_or("?");
            let vat = v["at"].as_str().unwrap_or(&at);
            let fields: Vec<&str> = v["fields"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            if fields.is_empty() || kind.starts_with("model") {
                out.stubs += 1;
                let _ = writeln!(
                    head,
                    "// {TODO}: {kind} `{func}` ({vat}): a #[garde(custom(..))] on the struct"
                );
            }
        }
        for fname in m["field_order"].as_array().into_iter().flatten() {
            let Some(fname) = fname.as_str() else {
                continue;
            };
            let field = &m["fields"][fname];
            let names = FieldNames::of(fname, field, by_name);
            let key = names.read.as_str();
            // The tag of the discriminated union this model is a member of:
            // serde's tagged enum reads and writes it.
            if self.tag_members.get(title).is_some_and(|tag| tag == key) {
                continue;
            }
            let Some(prop) = schema["properties"].get(key) else {
                gap(
                    out,
                    &mut fields_code,
                    "    ",
                    &at,
                    &format!("field `{fname}` absent from the schema"),
                );
                continue;
            };
            for v in &validators {
                let named = v["fields"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|f| f == fname);
                let kind = v["kind"].as_str().unwrap_or("validator");
                if named && !kind.starts_with("model") {
                    out.stubs += 1;
                    let _ = writeln!(
                        fields_code,
                        "    // {TODO}: {kind} `{}` ({}): a #[garde(custom(..))] here",
                        v["function"].as_str().unwrap_or("?"),
                        v["at"].as_str().unwrap_or(&at)
                    );
                }
            }
            self.field(
                &name,
                fname,
                &names,
                field,
                prop,
                &at,
                out,
                &mut fields_code,
                &mut extra_fns,
            );
        }
        // A `computed_field`: written, never read (serde skips it on input,
        // the output schema marks it read-only); the handler fills it.
        for (key, value) in m["computed_fields"].as_object().into_iter().flatten() {
            let cat = value["at"].as_str().unwrap_or(&at);
            let prop = &m["schema"]["serialization"]["properties"][key.as_str()];
            let rust = types::of(prop, self).map(|t| t.rust);
            // serde fills a skipped field with its type's `Default`.
            let defaults = |r: &str| {
                matches!(r, "i64" | "f64" | "bool" | "String" | "serde_json::Value")
                    || r.starts_with("Option<")
                    || r.starts_with("Vec<")
                    || r.starts_with("indexmap::IndexMap<")
            };
            match rust {
                Ok(r) if defaults(&r) => {
                    out.stubs += 1;
                    let _ = writeln!(
                        fields_code,
                        "    // {TODO}: computed_field `{key}` ({cat}): set before answering\n    \
                         #[serde(skip_deserializing)]\n    pub {}: {r},",
                        ident(key)
                    );
                }
                _ => gap(
                    out,
                    &mut head,
                    "",
                    cat,
                    &format!("`computed_field` `{key}`"),
                ),
            }
        }
        if m["config"]["extra"] == "allow" {
            let _ = writeln!(
                fields_code,
                "    // The keys beside the fields (`extra=\"allow\"`), in the order sent.\n    \
                 #[serde(flatten)]\n    pub model_extra: indexmap::IndexMap<String, serde_json::Value>,"
            );
        }
        s.push_str(&head);
        let _ = writeln!(s, "pub struct {name} {{");
        s.push_str(&fields_code);
        s.push_str("}\n\n");
        s.push_str(&extra_fns);
    }

    #[allow(clippy::too_many_arguments)]
    fn field(
        &self,
        model: &str,
        fname: &str,
        names: &FieldNames,
        field: &Value,
        prop: &Value,
        at: &str,
        out: &mut Generated,
        code: &mut String,
        fns: &mut String,
    ) {
        let mut t = match types::of(prop, self) {
            Ok(t) => t,
            Err(what) => {
                gap(out, code, "    ", at, &format!("field `{fname}`: {what}"));
                let _ = writeln!(code, "    pub {}: serde_json::Value,", ident(fname));
                return;
            }
        };
        types::int_keys(&mut t, field["annotation"].as_str());
        types::refine(&mut t, field);
        if ["minProperties", "maxProperties"]
            .iter()
            .any(|k| prop.get(*k).is_some())
        {
            gap(
                out,
                code,
                "    ",
                at,
                &format!("field `{fname}`: a `dict`'s size bounds"),
            );
        }
        let rust_field = ident(fname);
        let mut attrs: Vec<String> = Vec::new();
        match (names.read == rust_field, names.written == rust_field) {
            (true, true) => {}
            _ if names.read == names.written => {
                attrs.push(format!("#[serde(rename = {})]", lit(&names.read)));
            }
            _ => attrs.push(format!(
                "#[serde(rename(deserialize = {}, serialize = {}))]",
                lit(&names.read),
                lit(&names.written)
            )),
        }
        // `Field(exclude=True)`: read, never written (schemars then leaves
        // its default out of the document: stated).
        if field["exclude"] == Value::Bool(true) {
            attrs.push("#[serde(skip_serializing)]".into());
            if let Some(d) = prop.get("default") {
                attrs.push(format!("#[schemars(extend(\"default\" = {d}))]"));
            }
        }
        for other in &names.also {
            attrs.push(format!("#[serde(alias = {})]", lit(other)));
        }
        let required = field["required"].as_bool().unwrap_or(true);
        if required && t.optional {
            t.rust = t.rust.replacen("Option<", "ferroapi::Nullable<", 1);
        }
        if !required {
            match prop.get("default") {
                Some(Value::Null) if t.optional => attrs.push("#[serde(default)]".into()),
                Some(default) => {
                    let f = format!("default_{}_{}", model.to_lowercase(), rust_field);
                    let expr = types::default_expr(default, &t.rust)
                        .or_else(|| self.enum_default(&t.rust, default))
                        .unwrap_or_else(|| {
                        format!(
                            "serde_json::from_value(serde_json::json!({default})).expect(\"the default\")"
                        )
                    });
                    let _ = writeln!(fns, "fn {f}() -> {} {{\n    {expr}\n}}\n", t.rust);
                    attrs.push(format!("#[serde(default = {})]", lit(&f)));
                }
                None => {
                    // `default_factory`: made per request, stated nowhere.
                    attrs.push("#[serde(default)]".into());
                    attrs.push("#[schemars(transform = ferroapi::default_factory)]".into());
                    let factory = field["default_factory"]["function"].as_str().unwrap_or("?");
                    if !matches!(
                        factory,
                        "builtins.list" | "builtins.dict" | "builtins.set" | "builtins.str"
                    ) {
                        out.stubs += 1;
                        attrs.push(format!(
                            "// {TODO}: default_factory `{factory}` ({}): #[serde(default = \"..\")]",
                            field["default_factory"]["at"].as_str().unwrap_or(at)
                        ));
                    }
                }
            }
        }
        if let Some(title) = field["title"].as_str() {
            attrs.push(format!("#[schemars(title = {})]", lit(title)));
        }
        if let Some(d) = field["description"].as_str() {
            attrs.push(format!("#[schemars(description = {})]", lit(d)));
        }
        for k in ["examples", "deprecated"] {
            if let Some(v) = prop.get(k) {
                attrs.push(format!("#[schemars(extend({k:?} = {v}))]"));
            }
        }
        if let Some(v) = field["json_schema_extra"].as_object() {
            for (k, v) in v {
                attrs.push(format!("#[schemars(extend({k:?} = {v}))]"));
            }
        }
        for x in &t.schemars {
            attrs.push(format!("#[schemars({x})]"));
        }
        if field["constraints"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c == "AllowInfNan(allow_inf_nan=False)")
        {
            attrs.push("#[schemars(transform = ferroapi::finite)]".into());
        }
        if strict(field) {
            attrs.push("#[schemars(transform = ferroapi::strict)]".into());
        }
        let mut rules = t.garde.clone();
        if t.model {
            rules.push("dive".into());
        }
        if !rules.is_empty() {
            // A custom rule is given the field's own type: inside an
            // `Option`, garde's `inner` hands it the value.
            let custom = rules.iter().any(|r| r.starts_with("custom"));
            if t.optional && custom {
                let (inner, outer): (Vec<String>, Vec<String>) =
                    rules.into_iter().partition(|r| r.starts_with("custom"));
                rules = outer;
                rules.push(format!("inner({})", inner.join(", ")));
            }
            attrs.push(format!("#[garde({})]", rules.join(", ")));
        }
        for a in attrs {
            let _ = writeln!(code, "    {a}");
        }
        let _ = writeln!(code, "    pub {rust_field}: {},", t.rust);
    }
}

/// The names a field is read and written by.
pub struct FieldNames {
    /// In requests (the validation schema's key).
    read: String,
    /// In answers.
    written: String,
    /// Other names it is read by (`AliasChoices`).
    also: Vec<String>,
}

impl FieldNames {
    fn of(name: &str, field: &Value, by_name: bool) -> Self {
        let alias = field["alias"].as_str().unwrap_or(name);
        let mut also = Vec::new();
        let read = match &field["validation_alias"] {
            Value::String(a) => a.clone(),
            // `AliasChoices(choices=['a', 'b'])`: read by each, the first
            // documented.
            Value::Object(o) => {
                let repr = o.get("repr").and_then(Value::as_str).unwrap_or("");
                let choices: Vec<String> = repr
                    .split('\'')
                    .skip(1)
                    .step_by(2)
                    .map(String::from)
                    .collect();
                match choices.split_first() {
                    Some((first, rest)) if repr.starts_with("AliasChoices(") => {
                        also = rest.to_vec();
                        first.clone()
                    }
                    _ => alias.to_string(),
                }
            }
            _ => alias.to_string(),
        };
        let written = field["serialization_alias"]
            .as_str()
            .unwrap_or(alias)
            .to_string();
        if by_name && read != name && !also.iter().any(|a| a == name) {
            also.push(name.to_string());
        }
        FieldNames {
            read,
            written,
            also,
        }
    }
}

/// `Field(strict=True)`, `StrictInt` and kin.
pub fn strict(field: &Value) -> bool {
    field["strict"] == Value::Bool(true)
        || field["constraints"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|c| c == "Strict(strict=True)")
}

/// Each union member's variant name: `Int`, `Float`, `Str`, `Bool`, `List`,
/// `Map`, the type's own name otherwise (distinct).
fn union_variants(members: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    members
        .iter()
        .map(|m| {
            let mut v = match m.as_str() {
                "i64" => "Int".to_string(),
                "f64" => "Float".to_string(),
                "String" => "Str".to_string(),
                "bool" => "Bool".to_string(),
                m if m.starts_with("Vec<") => "List".to_string(),
                m if m.starts_with("indexmap::") || m.starts_with("std::collections::BTreeMap") => {
                    "Map".to_string()
                }
                m => rust_name(m.rsplit("::").next().unwrap_or(m)),
            };
            while !seen.insert(v.clone()) {
                v.push('_');
            }
            v
        })
        .collect()
}

impl Names for Models<'_> {
    fn tagged(&self, tag: &str, variants: &[(String, String)]) -> Result<String, String> {
        for (_, r) in variants {
            let title = title_of(r);
            if self.tag_members.get(title).is_none_or(|t| t != tag) {
                return Err(format!(
                    "a discriminated union whose member `{title}` is used elsewhere too \
                     (its `{tag}` field cannot be the enum's alone): a serde enum to write by hand"
                ));
            }
        }
        let key = (tag.to_string(), variants.to_vec());
        let mut tagged = self.tagged.borrow_mut();
        if let Some(name) = tagged.get(&key) {
            return Ok(name.clone());
        }
        let mut name = variants
            .iter()
            .map(|(_, r)| rust_name(title_of(r)))
            .collect::<Vec<_>>()
            .join("Or");
        while tagged.values().any(|n| *n == name)
            || self.by_title.contains_key(&name)
            || self.unions.borrow().values().any(|n| *n == name)
        {
            name.push('_');
        }
        tagged.insert(key, name.clone());
        Ok(name)
    }

    fn union(&self, members: &[String]) -> Result<String, String> {
        let mut unions = self.unions.borrow_mut();
        if let Some(name) = unions.get(members) {
            return Ok(name.clone());
        }
        let mut name = union_variants(members).join("Or");
        while unions.values().any(|n| *n == name) || self.by_title.contains_key(&name) {
            name.push('_');
        }
        unions.insert(members.to_vec(), name.clone());
        Ok(name)
    }

    fn literal(&self, values: &[Value]) -> Result<String, String> {
        let texts: Vec<String> = values.iter().map(Value::to_string).collect();
        let mut literals = self.literals.borrow_mut();
        if let Some((name, _)) = literals.get(&texts) {
            return Ok(name.clone());
        }
        if !values.iter().all(Value::is_string) && !values.iter().all(|v| v.as_i64().is_some()) {
            return Err("a `Literal` of values that are neither all text nor all integers".into());
        }
        let joined: Vec<String> = variants(values).into_iter().map(|(_, n)| n).collect();
        let mut name = joined.join("Or");
        if name.len() > 40 {
            name = format!("Literal{}", literals.len() + 1);
        }
        while literals.values().any(|(n, _)| *n == name) || self.by_title.contains_key(&name) {
            name.push('_');
        }
        literals.insert(texts, (name.clone(), values.to_vec()));
        Ok(name)
    }

    fn model(&self, reference: &str) -> Result<(String, bool), String> {
        let title = title_of(reference);
        if self.enums.contains_key(title) {
            return Ok((rust_name(title), false));
        }
        match self.by_title.contains_key(title) {
            true => Ok((rust_name(title), true)),
            false => Err(format!(
                "`{title}`, a schema that is not a pydantic model of the app"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(title_of("#/components/schemas/Item-Input"), "Item");
        assert_eq!(title_of("#/$defs/Item"), "Item");
        assert_eq!(rust_name("Page[Item]"), "PageItem");
        assert_eq!(rust_name("user_out"), "UserOut");
    }
}
