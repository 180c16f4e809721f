//! A type's JSON Schema (from schemars), compiled once at start-up into a small
//! tree that re-reads a refused input with pydantic's semantics: fields in
//! declaration order, one error per field, the enclosing object as the `input` of
//! a missing field, extras reported after the fields.

use std::collections::HashMap;

use regex::Regex;
use serde_json::Value;

use super::{expected_list, kinds, lax, ErrorItem, Kind, Loc, LocPart, PyValue};

/// How leaf values arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// JSON bodies: types must match (ferroapi is strict where pydantic is lax,
    /// see conformance/DEVIATIONS.md).
    Json,
    /// Query, header, cookie and form values: every leaf is text, coerced the
    /// way pydantic coerces strings.
    Strings,
}

/// Numeric bounds (`gt`, `ge`, `lt`, `le`, `multiple_of`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bounds {
    /// Exclusive minimum.
    pub gt: Option<f64>,
    /// Inclusive minimum.
    pub ge: Option<f64>,
    /// Exclusive maximum.
    pub lt: Option<f64>,
    /// Inclusive maximum.
    pub le: Option<f64>,
    /// The value must be a multiple of this.
    pub multiple_of: Option<f64>,
}

impl Bounds {
    /// Checks a number against the bounds in pydantic's order
    /// (multiple_of, le, lt, ge, gt); `int` picks the `ctx` number type.
    // The negated comparisons are the point: NaN fails every bound.
    #[allow(clippy::neg_cmp_op_on_partial_ord)]
    pub fn check(&self, v: f64, int: bool) -> Option<Kind> {
        if let Some(m) = self.multiple_of {
            if m != 0.0 && (v % m).abs() > f64::EPSILON * v.abs().max(1.0) {
                return Some(kinds::multiple_of(m, int));
            }
        }
        if let Some(le) = self.le {
            // Negated, as pydantic-core writes them: NaN fails every bound.
            if !(v <= le) {
                return Some(kinds::less_than_equal(le, int));
            }
        }
        if let Some(lt) = self.lt {
            if !(v < lt) {
                return Some(kinds::less_than(lt, int));
            }
        }
        if let Some(ge) = self.ge {
            if !(v >= ge) {
                return Some(kinds::greater_than_equal(ge, int));
            }
        }
        if let Some(gt) = self.gt {
            if !(v > gt) {
                return Some(kinds::greater_than(gt, int));
            }
        }
        None
    }
}

/// String constraints.
#[derive(Debug, Clone, Default)]
pub struct StrRules {
    /// Minimum length in characters.
    pub min_length: Option<usize>,
    /// Maximum length in characters.
    pub max_length: Option<usize>,
    /// A pattern searched (not anchored) in the value, as pydantic does.
    pub pattern: Option<(String, Regex)>,
}

impl StrRules {
    /// Checks a string in pydantic's order: too short, too long, pattern.
    pub fn check(&self, s: &str) -> Option<Kind> {
        if self.min_length.is_some() || self.max_length.is_some() {
            let n = s.chars().count();
            if let Some(min) = self.min_length {
                if n < min {
                    return Some(kinds::string_too_short(min));
                }
            }
            if let Some(max) = self.max_length {
                if n > max {
                    return Some(kinds::string_too_long(max));
                }
            }
        }
        if let Some((text, re)) = &self.pattern {
            if !re.is_match(s) {
                return Some(kinds::string_pattern_mismatch(text));
            }
        }
        None
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StrFormat {
    Plain,
    Uuid,
    Date,
    DateTime,
    Email,
}

#[derive(Debug)]
enum Node {
    Any,
    Null,
    Nullable(usize),
    Bool,
    Int(Bounds, Option<(i128, i128)>),
    Float(Bounds),
    Str(StrRules, StrFormat),
    Enum(Vec<PyValue>, String, bool),
    List(usize, Option<usize>, Option<usize>),
    Object(Vec<Field>, bool),
    Dict(usize),
    Union(Vec<usize>),
    /// Reserved while a `$ref` target is being compiled (recursion).
    Pending,
    /// A `$ref` to another node: pydantic's definition reference, whose
    /// nesting it bounds (`recursion_depth_exceeded`).
    Ref(usize),
}

/// Nested references walked at most: where pydantic-core answers
/// `recursion_depth_exceeded` (a recursive model 255 levels deep, measured
/// on FastAPI 0.165 / pydantic-core 2.50). It also bounds the walker's own
/// recursion on any recursive schema.
const MAX_REF_DEPTH: usize = 253;

/// Stack left before a reference is walked on a new segment.
const STACK_RED_ZONE: usize = 64 * 1024;
/// The size of such a segment.
const STACK_SEGMENT: usize = 1024 * 1024;

#[derive(Debug)]
struct Field {
    name: String,
    node: usize,
    required: bool,
}

/// A compiled schema: re-validates a value and lists pydantic-shaped errors.
#[derive(Debug)]
pub struct Diagnoser {
    nodes: Vec<Node>,
    root: usize,
}

struct Compiler<'a> {
    defs: Option<&'a serde_json::Map<String, Value>>,
    nodes: Vec<Node>,
    by_ref: HashMap<String, usize>,
}

/// The range of the Rust integer type behind a schemars `format`.
fn int_range(format: Option<&str>) -> Option<(i128, i128)> {
    Some(match format? {
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "int64" | "int" => (i64::MIN.into(), i64::MAX.into()),
        "uint8" => (0, u8::MAX.into()),
        "uint16" => (0, u16::MAX.into()),
        "uint32" => (0, u32::MAX.into()),
        "uint64" | "uint" => (0, u64::MAX.into()),
        _ => return None,
    })
}

fn range_check(n: &PyValue, range: Option<(i128, i128)>) -> Option<Kind> {
    let (lo, hi) = range?;
    match n {
        PyValue::Int(i) if *i > hi => Some(kinds::int_above_max(hi)),
        PyValue::Int(i) if *i < lo => Some(kinds::int_below_min(lo)),
        PyValue::BigInt(s) if s.starts_with('-') => Some(kinds::int_below_min(lo)),
        PyValue::BigInt(_) => Some(kinds::int_above_max(hi)),
        _ => None,
    }
}

fn bounds_of(s: &serde_json::Map<String, Value>) -> Bounds {
    let f = |k: &str| s.get(k).and_then(Value::as_f64);
    Bounds {
        gt: f("exclusiveMinimum"),
        ge: f("minimum"),
        lt: f("exclusiveMaximum"),
        le: f("maximum"),
        multiple_of: f("multipleOf"),
    }
}

impl Compiler<'_> {
    fn push(&mut self, n: Node) -> usize {
        self.nodes.push(n);
        self.nodes.len() - 1
    }

    fn compile(&mut self, schema: &Value) -> usize {
        let Some(s) = schema.as_object() else {
            return self.push(Node::Any);
        };
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            if let Some(&i) = self.by_ref.get(r) {
                return i;
            }
            let name = r.rsplit('/').next().unwrap_or(r);
            let Some(target) = self.defs.and_then(|d| d.get(name)) else {
                return self.push(Node::Any);
            };
            let slot = self.push(Node::Pending);
            self.by_ref.insert(r.to_string(), slot);
            let compiled = self.compile(target);
            self.nodes[slot] = Node::Ref(compiled);
            return slot;
        }
        if let Some(c) = s.get("const") {
            let v = PyValue::from_json(c);
            let expected = expected_list(std::slice::from_ref(&v));
            return self.push(Node::Enum(vec![v], expected, true));
        }
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            let vals: Vec<PyValue> = values.iter().map(PyValue::from_json).collect();
            let expected = expected_list(&vals);
            return self.push(Node::Enum(vals, expected, false));
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(branches) = s.get(key).and_then(Value::as_array) {
                let (nulls, others): (Vec<&Value>, Vec<&Value>) = branches
                    .iter()
                    .partition(|b| b.get("type").and_then(Value::as_str) == Some("null"));
                // Unit-variant enums with docs come out as oneOf of consts.
                if others.iter().all(|b| b.get("const").is_some()) && !others.is_empty() {
                    let vals: Vec<PyValue> = others
                        .iter()
                        .map(|b| PyValue::from_json(&b["const"]))
                        .collect();
                    let expected = expected_list(&vals);
                    let e = self.push(Node::Enum(vals, expected, false));
                    return if nulls.is_empty() {
                        e
                    } else {
                        self.push(Node::Nullable(e))
                    };
                }
                let compiled: Vec<usize> = others.iter().map(|b| self.compile(b)).collect();
                let inner = if compiled.len() == 1 {
                    compiled[0]
                } else {
                    self.push(Node::Union(compiled))
                };
                return if nulls.is_empty() {
                    inner
                } else {
                    self.push(Node::Nullable(inner))
                };
            }
        }
        if let Some(all) = s.get("allOf").and_then(Value::as_array) {
            if all.len() == 1 {
                return self.compile(&all[0]);
            }
        }
        let types: Vec<&str> = match s.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let nullable = types.contains(&"null");
        let main: Vec<&str> = types.iter().copied().filter(|t| *t != "null").collect();
        let node = match main.first().copied() {
            None if nullable => return self.push(Node::Null),
            None if s.contains_key("properties") => self.object(s),
            None => Node::Any,
            Some("boolean") => Node::Bool,
            Some("integer") => Node::Int(
                bounds_of(s),
                int_range(s.get("format").and_then(Value::as_str)),
            ),
            Some("number") => Node::Float(bounds_of(s)),
            Some("string") => {
                let rules = StrRules {
                    min_length: s
                        .get("minLength")
                        .and_then(Value::as_u64)
                        .map(|n| n as usize),
                    max_length: s
                        .get("maxLength")
                        .and_then(Value::as_u64)
                        .map(|n| n as usize),
                    pattern: s
                        .get("pattern")
                        .and_then(Value::as_str)
                        .and_then(|p| Regex::new(p).ok().map(|re| (p.to_string(), re))),
                };
                let format = match s.get("format").and_then(Value::as_str) {
                    Some("uuid") => StrFormat::Uuid,
                    Some("date") => StrFormat::Date,
                    Some("date-time") => StrFormat::DateTime,
                    Some("email") => StrFormat::Email,
                    _ => StrFormat::Plain,
                };
                Node::Str(rules, format)
            }
            Some("array") => {
                let items = match s.get("items") {
                    Some(i) => self.compile(i),
                    None => self.push(Node::Any),
                };
                Node::List(
                    items,
                    s.get("minItems")
                        .and_then(Value::as_u64)
                        .map(|n| n as usize),
                    s.get("maxItems")
                        .and_then(Value::as_u64)
                        .map(|n| n as usize),
                )
            }
            Some("object") => self.object(s),
            Some(_) => Node::Any,
        };
        let i = self.push(node);
        if nullable {
            self.push(Node::Nullable(i))
        } else {
            i
        }
    }

    fn object(&mut self, s: &serde_json::Map<String, Value>) -> Node {
        let required: Vec<&str> = s
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        match s.get("properties").and_then(Value::as_object) {
            Some(props) => {
                let fields = props
                    .iter()
                    .map(|(name, sub)| Field {
                        name: name.clone(),
                        node: self.compile(sub),
                        required: required.contains(&name.as_str()),
                    })
                    .collect();
                let forbid = s.get("additionalProperties") == Some(&Value::Bool(false));
                Node::Object(fields, forbid)
            }
            None => match s.get("additionalProperties") {
                Some(v @ Value::Object(_)) => Node::Dict(self.compile(v)),
                _ => Node::Dict(usize::MAX),
            },
        }
    }
}

impl Diagnoser {
    /// Compiles a schemars root schema (with `$defs`).
    pub fn new(root: &Value) -> Self {
        let mut c = Compiler {
            defs: root.get("$defs").and_then(Value::as_object),
            nodes: Vec::new(),
            by_ref: HashMap::new(),
        };
        // schemars writes a type's reference to itself as `"$ref": "#"`.
        let own = c.push(Node::Pending);
        c.by_ref.insert("#".to_string(), own);
        let root = c.compile(root);
        c.nodes[own] = Node::Ref(root);
        Diagnoser {
            nodes: c.nodes,
            root,
        }
    }

    /// Compiles the schema of `T`.
    pub fn of<T: schemars::JsonSchema>() -> Self {
        let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
        Self::new(&schema.to_value())
    }

    /// Whether the schema states a rule that a successful serde pass does not
    /// check: numeric bounds, string lengths or patterns, list lengths (the
    /// rules a model documents with `#[schemars(range/length/regex)]`).
    pub fn constrained(&self) -> bool {
        self.nodes.iter().any(|n| match n {
            Node::Int(b, _) | Node::Float(b) => {
                b.gt.is_some()
                    || b.ge.is_some()
                    || b.lt.is_some()
                    || b.le.is_some()
                    || b.multiple_of.is_some()
            }
            Node::Str(r, _) => {
                r.min_length.is_some() || r.max_length.is_some() || r.pattern.is_some()
            }
            Node::List(_, min, max) => min.is_some() || max.is_some(),
            _ => false,
        })
    }

    /// The names of the root object's fields, in declaration order (for models
    /// read from query, header, cookie or form sources).
    pub fn field_names(&self) -> Vec<(&str, bool)> {
        match self.resolve(self.root) {
            Node::Object(fields, _) => fields
                .iter()
                .map(|f| {
                    (
                        f.name.as_str(),
                        matches!(self.resolve(f.node), Node::List(..)),
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn resolve(&self, mut i: usize) -> &Node {
        loop {
            match &self.nodes[i] {
                Node::Union(v) if v.len() == 1 => i = v[0],
                Node::Ref(target) => i = *target,
                n => return n,
            }
        }
    }

    /// Validates `value`, appending an error for each problem found.
    pub fn diagnose(&self, value: &PyValue, loc: &mut Loc, mode: Mode, out: &mut Vec<ErrorItem>) {
        self.walk(self.root, value, loc, mode, 0, out);
    }

    fn err(out: &mut Vec<ErrorItem>, k: Kind, loc: &Loc, input: &PyValue) {
        out.push(ErrorItem::from_kind(k, loc.clone(), input.clone()));
    }

    fn walk(
        &self,
        node: usize,
        v: &PyValue,
        loc: &mut Loc,
        mode: Mode,
        refs: usize,
        out: &mut Vec<ErrorItem>,
    ) {
        match &self.nodes[node] {
            Node::Ref(target) => {
                if refs >= MAX_REF_DEPTH {
                    return Self::err(out, kinds::recursion_depth_exceeded(), loc, v);
                }
                // Each reference is a level of a possibly recursive model: the
                // stack grows on the heap rather than overflow, whatever the
                // build's frame sizes.
                stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
                    self.walk(*target, v, loc, mode, refs + 1, out);
                });
            }
            Node::Any | Node::Pending => {}
            Node::Nullable(inner) => {
                if *v != PyValue::Null {
                    self.walk(*inner, v, loc, mode, refs, out);
                }
            }
            Node::Null
            | Node::Bool
            | Node::Int(..)
            | Node::Float(_)
            | Node::Str(..)
            | Node::Enum(..) => self.scalar(node, v, loc, mode, out),
            // Kept as text by the decoder's budget: the kind is right, the
            // entries are not looked at.
            Node::Dict(_) | Node::Object(..) if matches!(v, PyValue::RawDict(_)) => {}
            Node::List(items, min, max) => {
                let len = match v {
                    PyValue::List(list) => {
                        let before = out.len();
                        for (i, item) in list.iter().enumerate() {
                            loc.push(LocPart::Index(i));
                            self.walk(*items, item, loc, mode, refs, out);
                            loc.pop();
                        }
                        if out.len() != before {
                            return;
                        }
                        list.len()
                    }
                    // Kept as text by the decoder's budget: its length is known,
                    // its items are not looked at.
                    PyValue::RawList(_, len) => *len,
                    _ => return Self::err(out, kinds::list_type(), loc, v),
                };
                if let Some(min) = min.filter(|m| len < *m) {
                    Self::err(out, kinds::too_short(min, len), loc, v);
                } else if let Some(max) = max.filter(|m| len > *m) {
                    Self::err(out, kinds::too_long(max, len), loc, v);
                }
            }
            Node::Dict(values) => {
                let PyValue::Dict(entries) = v else {
                    return Self::err(out, kinds::dict_type(), loc, v);
                };
                if *values != usize::MAX {
                    for (k, item) in entries {
                        loc.push(LocPart::Key(k.clone().into()));
                        self.walk(*values, item, loc, mode, refs, out);
                        loc.pop();
                    }
                }
            }
            Node::Object(fields, forbid) => {
                let PyValue::Dict(entries) = v else {
                    return Self::err(out, kinds::model_attributes_type(), loc, v);
                };
                for f in fields {
                    loc.push(LocPart::Key(f.name.clone().into()));
                    match v.get(&f.name) {
                        Some(item) => self.walk(f.node, item, loc, mode, refs, out),
                        None if f.required => out.push(ErrorItem::missing(loc.clone(), v.clone())),
                        None => {}
                    }
                    loc.pop();
                }
                if *forbid {
                    for (k, item) in entries {
                        if !fields.iter().any(|f| f.name == *k) {
                            loc.push(LocPart::Key(k.clone().into()));
                            Self::err(out, kinds::extra_forbidden(), loc, item);
                            loc.pop();
                        }
                    }
                }
            }
            Node::Union(branches) => {
                let mut first: Option<Vec<ErrorItem>> = None;
                for b in branches {
                    let mut errs = Vec::new();
                    self.walk(*b, v, loc, mode, refs, &mut errs);
                    if errs.is_empty() {
                        return;
                    }
                    first.get_or_insert(errs);
                }
                out.extend(first.unwrap_or_default());
            }
        }
    }

    /// The checks of one scalar node: kept out of `walk` so that the
    /// recursive walk's stack frame stays small (it is entered once per
    /// level of a deep input).
    #[inline(never)]
    fn scalar(&self, node: usize, v: &PyValue, loc: &Loc, mode: Mode, out: &mut Vec<ErrorItem>) {
        match &self.nodes[node] {
            Node::Null if *v != PyValue::Null => {
                Self::err(out, kinds::value_error("Input should be None"), loc, v);
            }
            Node::Bool => match (v, mode) {
                (PyValue::Bool(_), _) => {}
                (PyValue::Str(s), Mode::Strings) => {
                    if let Err(k) = lax::parse_bool(s) {
                        Self::err(out, k, loc, v);
                    }
                }
                (PyValue::Str(s), Mode::Json) => match lax::parse_bool(s) {
                    Ok(_) => Self::err(out, kinds::bool_type(), loc, v),
                    Err(k) => Self::err(out, k, loc, v),
                },
                _ => Self::err(out, kinds::bool_type(), loc, v),
            },
            Node::Int(bounds, range) => {
                let n: Result<PyValue, Kind> = match (v, mode) {
                    (PyValue::Int(_) | PyValue::BigInt(_), _) => Ok(v.clone()),
                    (PyValue::Float(f), Mode::Json) if f.fract() != 0.0 => {
                        Err(kinds::int_from_float())
                    }
                    (PyValue::Str(s), Mode::Strings) => lax::parse_int(s).map(PyValue::Int),
                    // In JSON, pydantic parses numeric strings; ferroapi is strict
                    // (DEVIATIONS.md), but an unparseable string fails the same way.
                    (PyValue::Str(s), Mode::Json) => match lax::parse_int(s) {
                        Ok(_) => Err(kinds::int_type()),
                        Err(k) => Err(k),
                    },
                    _ => Err(kinds::int_type()),
                };
                match n {
                    Err(k) => Self::err(out, k, loc, v),
                    Ok(n) => {
                        let f = match &n {
                            PyValue::Int(i) => *i as f64,
                            PyValue::BigInt(s) => s.parse::<f64>().unwrap_or(f64::INFINITY),
                            _ => 0.0,
                        };
                        if let Some(k) = bounds.check(f, true).or_else(|| range_check(&n, *range)) {
                            Self::err(out, k, loc, v);
                        }
                    }
                }
            }
            Node::Float(bounds) => {
                let n: Result<f64, Kind> = match (v, mode) {
                    (PyValue::Int(i), _) => Ok(*i as f64),
                    (PyValue::BigInt(s), _) => Ok(s.parse::<f64>().unwrap_or(f64::INFINITY)),
                    (PyValue::Float(f), _) if f.is_finite() => Ok(*f),
                    (PyValue::Float(_), _) => Err(kinds::finite_number()),
                    (PyValue::Str(s), Mode::Strings) => lax::parse_float(s),
                    (PyValue::Str(s), Mode::Json) => match lax::parse_float(s) {
                        Ok(_) => Err(kinds::float_type()),
                        Err(k) => Err(k),
                    },
                    _ => Err(kinds::float_type()),
                };
                match n {
                    Err(k) => Self::err(out, k, loc, v),
                    Ok(n) => {
                        if let Some(k) = bounds.check(n, false) {
                            Self::err(out, k, loc, v);
                        }
                    }
                }
            }
            Node::Str(rules, format) => {
                let PyValue::Str(s) = v else {
                    let k = match format {
                        StrFormat::Uuid => kinds::uuid_type(),
                        StrFormat::Date => kinds::date_type(),
                        StrFormat::DateTime => kinds::datetime_type(),
                        StrFormat::Plain | StrFormat::Email => kinds::string_type(),
                    };
                    return Self::err(out, k, loc, v);
                };
                let parsed = match format {
                    StrFormat::Plain => Ok(()),
                    StrFormat::Uuid => lax::parse_uuid(s).map(drop),
                    StrFormat::Date => lax::parse_date(s).map(drop),
                    StrFormat::DateTime => lax::parse_fixed_datetime(s).map(drop),
                    StrFormat::Email => super::email::validate_email(s)
                        .map(drop)
                        .map_err(|reason| kinds::email(&reason)),
                };
                if let Some(k) = parsed.err().or_else(|| rules.check(s)) {
                    Self::err(out, k, loc, v);
                }
            }
            Node::Enum(values, expected, literal) => {
                let ok = values.iter().any(|allowed| {
                    allowed == v
                        || (mode == Mode::Strings
                            && matches!(v, PyValue::Str(s) if enum_text(allowed).as_deref() == Some(s.as_str())))
                });
                if !ok {
                    Self::err(out, kinds::enumeration(expected, *literal), loc, v);
                }
            }
            _ => {}
        }
    }
}

/// The compiled schema of `T`, built once per type and shared.
pub fn cached<T: schemars::JsonSchema + 'static>() -> std::sync::Arc<Diagnoser> {
    use std::any::TypeId;
    use std::sync::{Arc, OnceLock, RwLock};
    static CACHE: OnceLock<RwLock<HashMap<TypeId, Arc<Diagnoser>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(d) = cache
        .read()
        .ok()
        .and_then(|c| c.get(&TypeId::of::<T>()).cloned())
    {
        return d;
    }
    let d = Arc::new(Diagnoser::of::<T>());
    if let Ok(mut c) = cache.write() {
        c.entry(TypeId::of::<T>()).or_insert_with(|| d.clone());
    }
    d
}

fn enum_text(v: &PyValue) -> Option<String> {
    match v {
        PyValue::Str(s) => Some(s.clone()),
        PyValue::Int(i) => Some(i.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::{detail_json, pyjson};

    fn diagnose(schema: Value, input: &str) -> String {
        let d = Diagnoser::new(&schema);
        let v = pyjson::loads(input).unwrap();
        let mut out = Vec::new();
        d.diagnose(&v, &mut vec!["body".into()], Mode::Json, &mut out);
        detail_json(&out)
    }

    #[test]
    fn object_fields_in_order_with_missing_and_extra() {
        let schema = serde_json::json!({
            "type": "object",
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "price": {"type": "number", "exclusiveMinimum": 0},
                "tags": {"type": "array", "items": {"type": "string"}}
            },
            "required": ["name", "price"],
            "additionalProperties": false
        });
        assert_eq!(
            diagnose(schema, r#"{"name":"","tags":[1],"x":true}"#),
            concat!(
                r#"{"detail":[{"type":"string_too_short","loc":["body","name"],"msg":"String should have at least 1 character","input":"","ctx":{"min_length":1}},"#,
                r#"{"type":"missing","loc":["body","price"],"msg":"Field required","input":{"name":"","tags":[1],"x":true}},"#,
                r#"{"type":"string_type","loc":["body","tags",0],"msg":"Input should be a valid string","input":1},"#,
                r#"{"type":"extra_forbidden","loc":["body","x"],"msg":"Extra inputs are not permitted","input":true}]}"#
            )
        );
    }

    #[test]
    fn refs_nullable_and_int_ranges() {
        let schema = serde_json::json!({
            "$ref": "#/$defs/A",
            "$defs": {"A": {"type": "object", "properties": {
                "n": {"type": ["integer", "null"], "format": "uint8", "minimum": 0},
                "child": {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "null"}]}
            }}}
        });
        let out = diagnose(schema, r#"{"n":300,"child":{"n":1.5}}"#);
        assert!(
            out.contains(r#""type":"less_than_equal","loc":["body","n"]"#),
            "{out}"
        );
        assert!(
            out.contains(r#""type":"int_from_float","loc":["body","child","n"]"#),
            "{out}"
        );
    }

    #[test]
    fn recursion_stops_where_pydantic_does_on_a_small_stack() {
        // A self-referencing model as schemars writes it (`"$ref": "#"`).
        let schema = serde_json::json!({
            "type": "object",
            "properties": {
                "value": {"type": "integer"},
                "children": {"type": "array", "items": {"$ref": "#"}}
            },
            "required": ["value"]
        });
        let tree = |n: usize| {
            format!(
                "{}{{\"value\":\"x\"}}{}",
                "{\"value\":1,\"children\":[".repeat(n),
                "]}".repeat(n)
            )
        };
        // However small the thread's stack, unoptimised.
        let out = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                (
                    diagnose(schema.clone(), &tree(253)),
                    diagnose(schema, &tree(400)),
                )
            })
            .unwrap()
            .join()
            .unwrap();
        assert!(
            out.0.contains(r#""type":"int_parsing""#),
            "{}",
            &out.0[..200]
        );
        assert!(
            out.1.contains(r#""type":"recursion_depth_exceeded""#),
            "{}",
            &out.1[..200]
        );
        let loc = format!("\"loc\":[\"body\"{}],", ",\"children\",0".repeat(254));
        assert!(out.1.contains(&loc), "{}", &out.1[..200]);
    }
}
