//! Assembles the OpenAPI 3.1 document from the routes' parts, with FastAPI's
//! naming rules. Runs once, when the app becomes a router.

use http::Method;
use serde_json::{json, Map, Value};

use super::additional::{deep_update, status_text};
use super::parts::{py_title, BodyDoc, OperationDoc};
use super::schema::pydantic_style;
use crate::routing::RouteMeta;
use crate::spec::{BodyKind, Location};

/// The document's `info` (FastAPI's `title`, `version`, `description`, `summary`).
#[derive(Debug, Clone)]
pub struct Info {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.summary`.
    pub summary: Option<String>,
    /// `info.termsOfService`.
    pub terms_of_service: Option<String>,
    /// `info.contact`.
    pub contact: Option<Value>,
    /// `info.license`.
    pub license: Option<Value>,
    /// Top-level `servers`.
    pub servers: Vec<Value>,
    /// FastAPI's `root_path` (a proxy's prefix, a mount path): listed first
    /// among the servers.
    pub root_path: Option<String>,
    /// Top-level `tags` (tag metadata).
    pub tags: Vec<Value>,
    /// FastAPI's `separate_input_output_schemas` (on by default): a model
    /// that reads and writes differently becomes `Name-Input`/`Name-Output`;
    /// off, every model is documented as it is read.
    pub separate_input_output_schemas: bool,
}

/// Rewrites `$ref`s to renamed components.
/// Component renames, old name to new.
type Renames = Vec<(String, String)>;

fn rename_refs(v: &mut Value, renames: &[(String, String)]) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get_mut("$ref") {
                if let Some(name) = r.strip_prefix("#/components/schemas/") {
                    if let Some((_, new)) = renames.iter().find(|(old, _)| old == name) {
                        *r = format!("#/components/schemas/{new}");
                    }
                }
            }
            o.values_mut().for_each(|x| rename_refs(x, renames));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rename_refs(x, renames)),
        _ => {}
    }
}

/// Adds one route's named schemas (pydantic-styled, titled) to one side's map.
/// Each route has its own schema generator, so a name another route already
/// used for a different schema (two instances of one generic type) is renamed
/// as schemars does within one generator (`Page2`). Returns the renames.
fn merge_definitions(
    side: &mut Map<String, Value>,
    defs: &Map<String, Value>,
) -> Vec<(String, String)> {
    let mut styled: Vec<(String, Value)> = defs
        .iter()
        .map(|(name, schema)| {
            let mut s = schema.clone();
            pydantic_style(&mut s);
            // pydantic titles every model with its class name.
            if let Value::Object(o) = &mut s {
                o.entry("title")
                    .or_insert_with(|| Value::String(name.clone()));
            }
            (name.clone(), s)
        })
        .collect();
    let mut renames = Vec::new();
    for (name, schema) in &styled {
        if side.get(name).is_some_and(|existing| existing != schema) {
            let new = (2..)
                .map(|i| format!("{name}{i}"))
                .find(|n| side.get(n).is_none_or(|e| e == schema))
                .unwrap_or_else(|| name.clone());
            renames.push((name.clone(), new));
        }
    }
    for (name, schema) in &mut styled {
        rename_refs(schema, &renames);
        if let Some((_, new)) = renames.iter().find(|(old, _)| old == name) {
            *name = new.clone();
        }
    }
    for (name, schema) in styled {
        side.entry(name).or_insert(schema);
    }
    renames
}

/// pydantic documents an output model's fields as required only when they have
/// no default, and keeps `extra="forbid"`; serde's serialize contract marks every
/// written field required. Take `required` and `additionalProperties` from the
/// deserialize reading (fields only ever written stay required).
fn pydantic_required(
    written: &Map<String, Value>,
    read: &Map<String, Value>,
) -> Map<String, Value> {
    written
        .iter()
        .map(|(name, schema)| {
            let mut s = schema.clone();
            if let (Value::Object(w), Some(Value::Object(r))) = (&mut s, read.get(name)) {
                let read_props = r.get("properties").and_then(Value::as_object);
                let read_required: Vec<&Value> = r
                    .get("required")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().collect())
                    .unwrap_or_default();
                if let Some(props) = w.get("properties").and_then(Value::as_object) {
                    // A field only ever written (`readOnly`: pydantic's
                    // `computed_field`) is required; one written under
                    // another name than it is read (`#[serde(rename(serialize
                    // = ..))]`) is, unless it has a default.
                    let required: Vec<Value> = props
                        .iter()
                        .filter(|(k, p)| {
                            let key = Value::String((*k).clone());
                            read_required.contains(&&key)
                                || (read_props.is_none_or(|r| !r.contains_key(*k))
                                    && (p.get("readOnly") == Some(&Value::Bool(true))
                                        || p.get("default").is_none()))
                        })
                        .map(|(k, _)| k)
                        .map(|k| Value::String(k.clone()))
                        .collect();
                    if required.is_empty() {
                        w.remove("required");
                    } else {
                        w.insert("required".into(), Value::Array(required));
                    }
                }
                match r.get("additionalProperties") {
                    Some(a) => {
                        w.insert("additionalProperties".into(), a.clone());
                    }
                    None => {
                        w.remove("additionalProperties");
                    }
                }
            }
            (name.clone(), s)
        })
        .collect()
}

/// A schema without the keys the two serde contracts legitimately disagree on.
fn contract_shape(v: &Value) -> Value {
    match v {
        Value::Object(o) => Value::Object(
            o.iter()
                .filter(|(k, _)| {
                    !matches!(k.as_str(), "required" | "additionalProperties" | "default")
                })
                .map(|(k, x)| (k.clone(), contract_shape(x)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(contract_shape).collect()),
        other => other.clone(),
    }
}

fn refs_of(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            if let Some(Value::String(r)) = o.get("$ref") {
                if let Some(name) = r.strip_prefix("#/components/schemas/") {
                    out.push(name.to_string());
                }
            }
            o.values().for_each(|x| refs_of(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| refs_of(x, out)),
        _ => {}
    }
}

/// FastAPI's separate input and output schemas: a model whose schema differs
/// between reading (deserialize) and writing (serialize) — or that contains
/// one that does — becomes `Name-Input` and `Name-Output` (titles stay `Name`).
/// Fills `components`; returns the renames for input and for output refs.
fn split_input_output(
    inputs: &Map<String, Value>,
    outputs: &Map<String, Value>,
    components: &mut Map<String, Value>,
) -> (Renames, Renames) {
    // Serialization always writes every field, so the output contract marks all
    // fields required and drops `additionalProperties`; pydantic does not split
    // a model for that alone. Compare what is left.
    let mut split: Vec<String> = inputs
        .iter()
        .filter(|(name, schema)| {
            outputs
                .get(*name)
                .is_some_and(|o| contract_shape(o) != contract_shape(schema))
        })
        .map(|(name, _)| name.clone())
        .collect();
    loop {
        let mut grew = false;
        for (name, schema) in inputs.iter().chain(outputs.iter()) {
            if split.contains(name) || !(inputs.contains_key(name) && outputs.contains_key(name)) {
                continue;
            }
            let mut refs = Vec::new();
            refs_of(schema, &mut refs);
            if refs.iter().any(|r| split.contains(r)) {
                split.push(name.clone());
                grew = true;
            }
        }
        if !grew {
            break;
        }
    }
    let in_renames: Vec<(String, String)> = split
        .iter()
        .map(|n| (n.clone(), format!("{n}-Input")))
        .collect();
    let out_renames: Vec<(String, String)> = split
        .iter()
        .map(|n| (n.clone(), format!("{n}-Output")))
        .collect();
    for (name, schema) in inputs {
        let mut s = schema.clone();
        rename_refs(&mut s, &in_renames);
        let key = if split.contains(name) {
            format!("{name}-Input")
        } else {
            name.clone()
        };
        components.entry(key).or_insert(s);
    }
    for (name, schema) in outputs {
        let mut s = schema.clone();
        rename_refs(&mut s, &out_renames);
        let key = if split.contains(name) {
            format!("{name}-Output")
        } else {
            name.clone()
        };
        components.entry(key).or_insert(s);
    }
    (in_renames, out_renames)
}

/// FastAPI's default operationId: the function name and the path with every
/// non-word character as `_`, then `_` and the method (`read_item_items__item_id__get`).
pub fn operation_id(name: &str, path: &str, method: &Method) -> String {
    let mut out: String = format!("{name}{path}")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    out.push('_');
    out.push_str(&method.as_str().to_ascii_lowercase());
    out
}

/// `{file_path:path}` → `{file_path}`, as FastAPI writes paths in the document.
fn document_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    let mut skipping = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push(c);
            }
            '}' => {
                in_param = false;
                skipping = false;
                out.push(c);
            }
            ':' if in_param => skipping = true,
            _ if skipping => {}
            _ => out.push(c),
        }
    }
    out
}

fn schema_value(s: &schemars::Schema) -> Value {
    let mut v = s.as_value().clone();
    pydantic_style(&mut v);
    v
}

fn is_ref(v: &Value) -> bool {
    v.get("$ref").is_some()
}

/// Writes a parameter's declared constraints into its schema (inside the
/// non-null branch of an optional value, as pydantic does).
fn apply_constraints(v: &mut Value, c: &crate::spec::Constraints) {
    if let Some(Value::Array(branches)) = v.get_mut("anyOf") {
        if let Some(b) = branches
            .iter_mut()
            .find(|b| b.get("type") != Some(&json!("null")))
        {
            apply_constraints(b, c);
        }
        return;
    }
    let Value::Object(obj) = v else { return };
    let is_array = obj.get("type") == Some(&json!("array"));
    let num = |x: f64| {
        if x.fract() == 0.0 && x.abs() < 1e15 {
            json!(x as i64)
        } else {
            json!(x)
        }
    };
    for (key, value) in [
        ("exclusiveMinimum", c.gt),
        ("minimum", c.ge),
        ("exclusiveMaximum", c.lt),
        ("maximum", c.le),
        ("multipleOf", c.multiple_of),
    ] {
        if let Some(x) = value {
            obj.insert(key.into(), num(x));
        }
    }
    let is_object = obj.get("type") == Some(&json!("object"));
    let (min_key, max_key) = if is_array {
        ("minItems", "maxItems")
    } else if is_object {
        ("minProperties", "maxProperties")
    } else {
        ("minLength", "maxLength")
    };
    if let Some(n) = c.min_length {
        obj.insert(min_key.into(), json!(n));
    }
    if let Some(n) = c.max_length {
        obj.insert(max_key.into(), json!(n));
    }
    if let Some(p) = &c.pattern {
        obj.insert("pattern".into(), json!(p.text()));
    }
}

/// A parameter or body-field schema: the type's schema with its declared
/// constraints, FastAPI's title (unless it is a plain reference) and the
/// declared default.
/// A parameter's schema title: the declared one (`#[param(title = ..)]`), or
/// pydantic's from its name.
fn param_title(spec: &crate::spec::ParamSpec, name: &str) -> String {
    spec.title.map_or_else(|| py_title(name), str::to_string)
}

fn field_schema(
    schema: &schemars::Schema,
    spec: &crate::spec::ParamSpec,
    title: &str,
    default: Option<&Value>,
) -> Value {
    let mut v = schema_value(schema);
    apply_constraints(&mut v, &spec.constraints);
    if let Value::Object(obj) = &mut v {
        if !spec.examples.is_empty() {
            let examples: Vec<Value> = spec
                .examples
                .iter()
                .filter_map(|e| serde_json::from_str(e).ok())
                .collect();
            obj.insert("examples".into(), Value::Array(examples));
        }
        if let Some(d) = default {
            obj.insert("default".into(), d.clone());
        }
        // A declared title wins over one the schema brought.
        if !is_ref(&Value::Object(obj.clone()))
            && (spec.title.is_some() || !obj.contains_key("title"))
        {
            obj.insert("title".into(), Value::String(title.to_string()));
        }
    }
    v
}

fn location_str(l: Location) -> &'static str {
    l.as_str()
}

fn validation_schemas() -> (Value, Value) {
    (
        json!({
            "properties": {
                "detail": {
                    "items": {"$ref": "#/components/schemas/ValidationError"},
                    "type": "array",
                    "title": "Detail"
                }
            },
            "type": "object",
            "title": "HTTPValidationError"
        }),
        json!({
            "properties": {
                "loc": {
                    "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]},
                    "type": "array",
                    "title": "Location"
                },
                "msg": {"type": "string", "title": "Message"},
                "type": {"type": "string", "title": "Error Type"},
                "input": {"title": "Input"},
                "ctx": {"type": "object", "title": "Context"}
            },
            "type": "object",
            "required": ["loc", "msg", "type"],
            "title": "ValidationError"
        }),
    )
}

/// What the document needs to know of one route.
#[derive(Debug)]
pub struct RouteEntry<'a> {
    /// The full path template.
    pub path: &'a str,
    /// The methods.
    pub methods: &'a [Method],
    /// The metadata.
    pub meta: &'a RouteMeta,
}

fn request_body(
    doc: &OperationDoc,
    op_id: &str,
    embed: bool,
    components: &mut Map<String, Value>,
) -> Option<Value> {
    if doc.body.is_empty() {
        return None;
    }
    let kind = doc
        .body
        .iter()
        .map(|b| b.kind)
        .max()
        .unwrap_or(BodyKind::Json);
    let media = match kind {
        BodyKind::File => "multipart/form-data",
        BodyKind::Form => "application/x-www-form-urlencoded",
        _ => "application/json",
    };
    if kind == BodyKind::Json && !embed {
        let b: &BodyDoc = &doc.body[0];
        let mut schema = schema_value(&b.schema);
        if !is_ref(&schema) {
            // `Body(gt=0)` on a lone body: FastAPI writes the bounds as floats.
            apply_constraints(&mut schema, &b.spec.constraints);
            if let Value::Object(o) = &mut schema {
                for key in [
                    "exclusiveMinimum",
                    "minimum",
                    "exclusiveMaximum",
                    "maximum",
                    "multipleOf",
                ] {
                    if let Some(x) = o.get(key).and_then(Value::as_f64) {
                        o.insert(key.into(), json!(x));
                    }
                }
                o.entry("title")
                    .or_insert_with(|| Value::String(py_title(&b.name)));
            }
        }
        if !b.required {
            schema = json!({"anyOf": [schema, {"type": "null"}], "title": py_title(&b.name)});
        }
        let mut body = json!({"content": {media: {"schema": schema}}});
        if let Some(e) = &b.openapi_examples {
            body["content"][media]["examples"] = e.clone();
        }
        if b.required {
            body["required"] = Value::Bool(true);
        }
        return Some(body);
    }
    if let [b] = doc.body.as_slice() {
        if b.model {
            return Some(json!({
                "content": {media: {"schema": schema_value(&b.schema)}},
                "required": true,
            }));
        }
    }
    // FastAPI's synthetic model for embedded, merged, form and file bodies.
    let name = format!("Body_{op_id}");
    let mut props = Map::new();
    let mut required = Vec::new();
    for b in &doc.body {
        let title = param_title(b.spec, &b.name);
        let mut s = field_schema(&b.schema, b.spec, &title, b.default.as_ref());
        if b.password {
            if let Value::Object(o) = &mut s {
                o.insert("format".into(), Value::String("password".into()));
            }
        }
        if !b.required && b.kind == BodyKind::Json {
            s = json!({"anyOf": [s, {"type": "null"}], "title": title});
        }
        if let (Some(d), Value::Object(o)) = (b.spec.description, &mut s) {
            o.insert("description".into(), Value::String(d.into()));
        }
        props.insert(b.name.clone(), s);
        if b.required {
            required.push(Value::String(b.name.clone()));
        }
    }
    let mut model = Map::new();
    model.insert("properties".into(), Value::Object(props));
    model.insert("type".into(), Value::String("object".into()));
    if !required.is_empty() {
        model.insert("required".into(), Value::Array(required.clone()));
    }
    model.insert("title".into(), Value::String(name.clone()));
    components.insert(name.clone(), Value::Object(model));
    let mut body =
        json!({"content": {media: {"schema": {"$ref": format!("#/components/schemas/{name}")}}}});
    if !required.is_empty() {
        body["required"] = Value::Bool(true);
    }
    Some(body)
}

/// Renames references in an operation: its inputs with `inputs`, its
/// responses with `outputs`, and its callbacks' operations alike.
fn rename_operation(op: &mut Value, inputs: &[(String, String)], outputs: &[(String, String)]) {
    for key in ["parameters", "requestBody"] {
        if let Some(v) = op.get_mut(key) {
            rename_refs(v, inputs);
        }
    }
    if let Some(v) = op.get_mut("responses") {
        rename_refs(v, outputs);
    }
    if let Some(Value::Object(callbacks)) = op.get_mut("callbacks") {
        for paths in callbacks.values_mut() {
            for ops in paths
                .as_object_mut()
                .into_iter()
                .flat_map(|p| p.values_mut())
            {
                for op in ops.as_object_mut().into_iter().flat_map(|o| o.values_mut()) {
                    rename_operation(op, inputs, outputs);
                }
            }
        }
    }
}

/// Builds the document. `operation_id` overrides FastAPI's default rule
/// (the flagship uses `{tag}-{name}`).
pub fn build(
    info: &Info,
    routes: &[RouteEntry<'_>],
    operation_id_fn: Option<&crate::routing::OperationIdFn>,
) -> Value {
    let mut paths = Map::new();
    let mut webhooks = Map::new();
    let mut st = Assembly::default();
    for route in routes {
        if !route.meta.include_in_schema {
            continue;
        }
        let target = if route.meta.webhook {
            &mut webhooks
        } else {
            &mut paths
        };
        for (path, method, op) in
            st.route_ops(route.path, route.methods, route.meta, operation_id_fn)
        {
            let entry = target
                .entry(path)
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(ops) = entry {
                ops.insert(method, op);
            }
        }
    }
    let Assembly {
        mut components,
        inputs,
        outputs,
        security_schemes,
        needs_validation,
    } = st;
    let (in_split, out_split) = if info.separate_input_output_schemas {
        split_input_output(&inputs, &outputs, &mut components)
    } else {
        // Every model as it is read; a model only ever written as it is written.
        for (name, schema) in inputs.iter().chain(&outputs) {
            components
                .entry(name.clone())
                .or_insert_with(|| schema.clone());
        }
        (Vec::new(), Vec::new())
    };
    for ops in paths.values_mut().chain(webhooks.values_mut()) {
        for op in ops.as_object_mut().into_iter().flat_map(|o| o.values_mut()) {
            rename_operation(op, &in_split, &out_split);
        }
    }
    if needs_validation {
        let (http, item) = validation_schemas();
        components.insert("HTTPValidationError".into(), http);
        components.insert("ValidationError".into(), item);
    }
    let mut sorted: Vec<(String, Value)> = components.into_iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let paths = Value::Object(paths);
    let webhooks = Value::Object(webhooks);
    super::schema::tag_members(&mut sorted, &paths);
    super::schema::tag_members(&mut sorted, &webhooks);
    let mut info_obj = Map::new();
    info_obj.insert("title".into(), Value::String(info.title.clone()));
    if let Some(s) = &info.summary {
        info_obj.insert("summary".into(), Value::String(s.clone()));
    }
    if let Some(d) = &info.description {
        info_obj.insert("description".into(), Value::String(d.clone()));
    }
    if let Some(t) = &info.terms_of_service {
        info_obj.insert("termsOfService".into(), Value::String(t.clone()));
    }
    if let Some(c) = &info.contact {
        info_obj.insert("contact".into(), c.clone());
    }
    if let Some(l) = &info.license {
        info_obj.insert("license".into(), l.clone());
    }
    info_obj.insert("version".into(), Value::String(info.version.clone()));
    let mut doc = Map::new();
    doc.insert("openapi".into(), Value::String("3.1.0".into()));
    doc.insert("info".into(), Value::Object(info_obj));
    // FastAPI adds the root path's server to the finished document: the
    // `servers` key stays where declared servers put it, else comes last.
    let mut servers = info.servers.clone();
    if let Some(root) = &info.root_path {
        if !servers.iter().any(|s| s["url"] == root.as_str()) {
            servers.insert(0, json!({ "url": root }));
        }
    }
    if !info.servers.is_empty() {
        doc.insert("servers".into(), Value::Array(servers.clone()));
    }
    doc.insert("paths".into(), paths);
    if webhooks.as_object().is_some_and(|w| !w.is_empty()) {
        doc.insert("webhooks".into(), webhooks);
    }
    let mut comps = Map::new();
    if !sorted.is_empty() {
        comps.insert(
            "schemas".into(),
            Value::Object(sorted.into_iter().collect()),
        );
    }
    if !security_schemes.is_empty() {
        comps.insert("securitySchemes".into(), Value::Object(security_schemes));
    }
    if !comps.is_empty() {
        doc.insert("components".into(), Value::Object(comps));
    }
    if !info.tags.is_empty() {
        doc.insert("tags".into(), Value::Array(info.tags.clone()));
    }
    if info.servers.is_empty() && !servers.is_empty() {
        doc.insert("servers".into(), Value::Array(servers));
    }
    Value::Object(doc)
}

/// A stream's media type object, as FastAPI writes it: `itemSchema` (an
/// inline item schema titled `StreamItem_{operationId}`); for server-sent
/// events the event's own schema, with the item as the `data`'s
/// `contentSchema`.
fn stream_item(doc: &OperationDoc, media: &str, op_id: &str) -> Value {
    let item = doc.response.schema.as_ref().map(|s| {
        let mut v = schema_value(s);
        if let Value::Object(m) = &mut v {
            if !m.is_empty() && !m.contains_key("$ref") && !m.contains_key("title") {
                m.insert(
                    "title".into(),
                    Value::String(py_title(&format!("StreamItem_{op_id}"))),
                );
            }
        }
        v
    });
    if media != "text/event-stream" {
        return json!({"itemSchema": item.unwrap_or_else(|| json!({}))});
    }
    let mut event = json!({
        "type": "object",
        "properties": {
            "data": {"type": "string"},
            "event": {"type": "string"},
            "id": {"type": "string"},
            "retry": {"type": "integer", "minimum": 0},
        },
    });
    if let Some(content) = item {
        event["required"] = json!(["data"]);
        event["properties"]["data"] = json!({
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": content,
        });
    }
    json!({"itemSchema": event})
}

/// The document being assembled: the named schemas met so far (as read and
/// as written), the synthetic components, the security schemes.
#[derive(Default)]
struct Assembly {
    components: Map<String, Value>,
    inputs: Map<String, Value>,
    outputs: Map<String, Value>,
    security_schemes: Map<String, Value>,
    needs_validation: bool,
}

impl Assembly {
    /// One route's operations, one per method: (path, method, operation).
    /// A callback's routes are documented inside the operation, by the same rules.
    fn route_ops(
        &mut self,
        route_path: &str,
        methods: &[Method],
        meta: &RouteMeta,
        operation_id_fn: Option<&crate::routing::OperationIdFn>,
    ) -> Vec<(String, String, Value)> {
        let mut out = Vec::new();
        // A webhook's "path" is its name, written as given.
        let path = if meta.webhook {
            route_path.to_string()
        } else {
            document_path(route_path)
        };
        let doc = &meta.doc;
        let st = self;
        let in_renames = merge_definitions(&mut st.inputs, &doc.definitions);
        let out_defs = pydantic_required(&doc.output_definitions, &doc.output_read_definitions);
        let out_renames = merge_definitions(&mut st.outputs, &out_defs);
        // All methods of one route share one operationId (FastAPI uses the
        // first of a set; sorted here, see DEVIATIONS.md).
        let mut sorted: Vec<&Method> = methods.iter().collect();
        sorted.sort_by_key(|m| m.as_str().to_string());
        let first = sorted.first().copied().cloned().unwrap_or(Method::GET);
        let rule = meta.unique_id.as_ref().map(|u| &*u.0).or(operation_id_fn);
        let op_id = match (meta.operation_id, rule) {
            (Some(id), _) => id.to_string(),
            (None, Some(f)) => f(meta, &path, &first),
            (None, None) => operation_id(meta.name, &path, &first),
        };
        for method in methods {
            let mut op = Map::new();
            if !meta.tags.is_empty() {
                op.insert("tags".into(), json!(meta.tags));
            }
            op.insert(
                "summary".into(),
                Value::String(
                    meta.summary
                        .map(str::to_string)
                        .unwrap_or_else(|| py_title(meta.name)),
                ),
            );
            if let Some(d) = meta.description {
                let d = d.split('\u{c}').next().unwrap_or(d).trim_end();
                op.insert("description".into(), Value::String(d.to_string()));
            }
            op.insert("operationId".into(), Value::String(op_id.clone()));
            if meta.deprecated {
                op.insert("deprecated".into(), Value::Bool(true));
            }
            if !doc.security.is_empty() {
                let reqs: Vec<Value> = doc
                    .security
                    .iter()
                    .map(|(name, scheme, scopes)| {
                        st.security_schemes
                            .entry(name.clone())
                            .or_insert_with(|| scheme.clone());
                        json!({ name: scopes })
                    })
                    .collect();
                op.insert("security".into(), Value::Array(reqs));
            }
            let mut params: Vec<Value> = Vec::new();
            for loc in [
                Location::Path,
                Location::Query,
                Location::Header,
                Location::Cookie,
            ] {
                for p in doc.parameters.iter().filter(|p| p.location == loc) {
                    if !p.spec.include_in_schema {
                        continue;
                    }
                    let mut param = Map::new();
                    param.insert("name".into(), Value::String(p.name.clone()));
                    param.insert("in".into(), Value::String(location_str(loc).into()));
                    param.insert(
                        "required".into(),
                        Value::Bool(p.required || loc == Location::Path),
                    );
                    let title = param_title(p.spec, &p.name);
                    let mut schema = field_schema(&p.schema, p.spec, &title, p.default.as_ref());
                    if let Some(d) = p.spec.description {
                        param.insert("description".into(), Value::String(d.into()));
                        if let Value::Object(o) = &mut schema {
                            o.insert("description".into(), Value::String(d.into()));
                        }
                    }
                    if p.spec.deprecated {
                        param.insert("deprecated".into(), Value::Bool(true));
                        if let Value::Object(o) = &mut schema {
                            o.insert("deprecated".into(), Value::Bool(true));
                        }
                    }
                    param.insert("schema".into(), schema);
                    if let Some(e) = &p.openapi_examples {
                        param.insert("examples".into(), e.clone());
                    }
                    params.push(Value::Object(param));
                }
            }
            let body = request_body(doc, &op_id, route_embeds(doc), &mut st.components);
            // Every parameter validates, documented or not (FastAPI keeps the 422).
            let validates = !doc.parameters.is_empty() || body.is_some();
            if !params.is_empty() {
                op.insert("parameters".into(), Value::Array(params));
            }
            if let Some(b) = body {
                op.insert("requestBody".into(), b);
            }
            let mut responses = Map::new();
            let status = meta.status.as_u16().to_string();
            let mut ok = Map::new();
            ok.insert(
                "description".into(),
                Value::String(
                    meta.response_description
                        .unwrap_or("Successful Response")
                        .into(),
                ),
            );
            let media = doc.response.media_type.unwrap_or("application/json");
            let redirect = doc.response.redirect && meta.status.is_redirection();
            if !crate::error::is_bodiless(meta.status) && doc.response.stream {
                let item = stream_item(doc, media, &op_id);
                ok.insert("content".into(), json!({media: item}));
            } else if !crate::error::is_bodiless(meta.status) && !redirect {
                let mut schema = match &doc.response.schema {
                    Some(s) if media == "application/json" => schema_value(s),
                    _ if media == "application/json" => json!({}),
                    _ => json!({"type": "string"}),
                };
                // FastAPI's response field is named `Response_{operationId}`:
                // an inline schema (not a model, not "any") takes its title.
                if media == "application/json" {
                    if let Value::Object(m) = &mut schema {
                        if !m.is_empty() && !m.contains_key("$ref") && !m.contains_key("title") {
                            m.insert(
                                "title".into(),
                                Value::String(py_title(&format!("Response_{op_id}"))),
                            );
                        }
                    }
                }
                ok.insert("content".into(), json!({media: {"schema": schema}}));
            }
            responses.insert(status, Value::Object(ok));
            for extra in &meta.responses {
                let mut process = Value::Object(extra.extra.clone());
                if let Some(model) = &extra.model {
                    let defs = pydantic_required(&model.definitions, &model.read_definitions);
                    let renames = merge_definitions(&mut st.outputs, &defs);
                    let mut schema = model.schema.clone();
                    pydantic_style(&mut schema);
                    rename_refs(&mut schema, &renames);
                    let slot = process
                        .as_object_mut()
                        .map(|p| p.entry("content").or_insert_with(|| json!({})));
                    if let Some(Value::Object(content)) = slot {
                        let entry = content
                            .entry(media.to_string())
                            .or_insert_with(|| json!({}));
                        let mut with_schema = json!({"schema": schema});
                        if let Some(existing) = entry.get("schema") {
                            // FastAPI merges the model's schema into one written by hand.
                            let mut merged = existing.clone();
                            deep_update(&mut merged, &with_schema["schema"]);
                            with_schema = json!({"schema": merged});
                        }
                        deep_update(entry, &with_schema);
                    }
                }
                let slot = responses
                    .entry(extra.status.clone())
                    .or_insert_with(|| json!({}));
                let description = extra
                    .description
                    .clone()
                    .or_else(|| {
                        slot.get("description")
                            .and_then(Value::as_str)
                            .map(str::to_string)
                    })
                    .unwrap_or_else(|| status_text(&extra.status).to_string());
                deep_update(slot, &process);
                slot["description"] = Value::String(description);
            }
            // FastAPI documents the 422 unless a 422, a 4XX or a default
            // answer already covers it.
            let covered = ["422", "4XX", "default"]
                .iter()
                .any(|k| responses.contains_key(*k));
            if validates {
                st.needs_validation = true;
            }
            if validates && !covered {
                responses.insert(
                    "422".into(),
                    json!({
                        "description": "Validation Error",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}
                    }),
                );
            }
            op.insert("responses".into(), Value::Object(responses));
            for key in ["parameters", "requestBody"] {
                if let Some(v) = op.get_mut(key) {
                    rename_refs(v, &in_renames);
                }
            }
            if let Some(v) = op.get_mut("responses") {
                rename_refs(v, &out_renames);
            }
            if !meta.callbacks.is_empty() {
                let mut callbacks = Map::new();
                for cb in &meta.callbacks {
                    let mut paths = Map::new();
                    for (cb_path, cb_method, cb_op) in
                        st.route_ops(&cb.path, &cb.methods, &cb.meta, operation_id_fn)
                    {
                        let entry = paths.entry(cb_path).or_insert_with(|| json!({}));
                        entry[cb_method] = cb_op;
                    }
                    callbacks.insert(cb.meta.name.to_string(), Value::Object(paths));
                }
                op.insert("callbacks".into(), Value::Object(callbacks));
            }
            let mut op = Value::Object(op);
            if let Some(extra) = &meta.openapi_extra {
                deep_update(&mut op, extra);
            }
            out.push((path.clone(), method.as_str().to_ascii_lowercase(), op));
        }
        out
    }
}

fn route_embeds(doc: &OperationDoc) -> bool {
    let json: Vec<&BodyDoc> = doc
        .body
        .iter()
        .filter(|b| b.kind == BodyKind::Json)
        .collect();
    json.len() > 1 || json.iter().any(|b| b.spec.embed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fastapi_names() {
        assert_eq!(py_title("item_id"), "Item Id");
        assert_eq!(py_title("x-token"), "X-Token");
        assert_eq!(py_title("q"), "Q");
        assert_eq!(
            operation_id("read_item", "/items/{item_id}", &Method::GET),
            "read_item_items__item_id__get"
        );
        assert_eq!(operation_id("root", "/", &Method::GET), "root__get");
        assert_eq!(
            document_path("/v1/files/{file_path:path}"),
            "/v1/files/{file_path}"
        );
    }
}
