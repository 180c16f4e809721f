//! A type's JSON Schema (from schemars), compiled once at start-up into a small
//! tree that re-reads a refused input with pydantic's semantics: fields in
//! declaration order, one error per field, the enclosing object as the `input` of
//! a missing field, extras reported after the fields.

use std::collections::HashMap;

use regex::Regex;
use serde_json::Value;

use super::{expected_list, kinds, lax, ErrorItem, Kind, Loc, LocPart, PyValue};

mod aliases;
mod repair;
pub(crate) use aliases::Reader;
pub(crate) use repair::{garde_loc, loc_order, on_one_branch, GardeParts};

/// How leaf values arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// JSON bodies: pydantic's lax mode for JSON input (`"5"` and `5.0` for an
    /// int, `1`/`"yes"` for a bool, numeric strings for a float), unless the
    /// schema is marked strict (`ferroapi::strict`).
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
    /// Checks an integer exactly (a float's 53 bits cannot tell
    /// 9007199254740992 from its neighbours), in pydantic's order; bounds
    /// with a fraction are compared as floats.
    pub fn check_int(&self, i: i128) -> Option<Kind> {
        let whole = |b: f64| (b.fract() == 0.0 && b.abs() < 1e36).then_some(b as i128);
        let bounds = [self.multiple_of, self.le, self.lt, self.ge, self.gt];
        if !bounds.iter().flatten().all(|b| whole(*b).is_some()) {
            return self.check(i as f64, true);
        }
        if let Some(m) = self.multiple_of {
            if whole(m).is_some_and(|m_int| m_int != 0 && i % m_int != 0) {
                return Some(kinds::multiple_of(m, true));
            }
        }
        if let Some(le) = self.le.filter(|b| whole(*b).is_some_and(|b| i > b)) {
            return Some(kinds::less_than_equal(le, true));
        }
        if let Some(lt) = self.lt.filter(|b| whole(*b).is_some_and(|b| i >= b)) {
            return Some(kinds::less_than(lt, true));
        }
        if let Some(ge) = self.ge.filter(|b| whole(*b).is_some_and(|b| i < b)) {
            return Some(kinds::greater_than_equal(ge, true));
        }
        if let Some(gt) = self.gt.filter(|b| whole(*b).is_some_and(|b| i <= b)) {
            return Some(kinds::greater_than(gt, true));
        }
        None
    }

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
    /// A date's or date-time's rule beyond its format (pydantic's
    /// `AwareDatetime`, `PastDate` and kin).
    pub temporal: Option<crate::datetime::Temporal>,
}

impl StrRules {
    /// Checks a string in pydantic's order: too short, too long, pattern.
    pub fn check(&self, s: &str) -> Option<Kind> {
        let lengths = || s.chars().count();
        self.lengths(lengths, kinds::string_too_short, kinds::string_too_long)
            .or_else(|| match &self.pattern {
                Some((text, re)) if !re.is_match(s) => Some(kinds::string_pattern_mismatch(text)),
                _ => None,
            })
    }

    /// pydantic's `bytes`: lengths counted in UTF-8 bytes, in its own words.
    fn check_bytes(&self, s: &str) -> Option<Kind> {
        self.lengths(|| s.len(), kinds::bytes_too_short, kinds::bytes_too_long)
    }

    /// The length rules, the length counted only when there is one.
    fn lengths(
        &self,
        len: impl FnOnce() -> usize,
        short: fn(usize) -> Kind,
        long: fn(usize) -> Kind,
    ) -> Option<Kind> {
        if self.min_length.is_none() && self.max_length.is_none() {
            return None;
        }
        let n = len();
        match (self.min_length, self.max_length) {
            (Some(min), _) if n < min => Some(short(min)),
            (_, Some(max)) if n > max => Some(long(max)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StrFormat {
    Plain,
    Uuid,
    Date,
    DateTime,
    Email,
    /// `timedelta` ([`crate::Timedelta`]).
    Duration,
    /// A date-time without offset (chrono's `NaiveDateTime`).
    NaiveDateTime,
    /// A UUID of one version (`format: uuid4`).
    UuidVersion(u8),
    /// A URL (`format: uri`); `true`: an `HttpUrl`.
    Url(bool),
    /// `bytes` (`contentMediaType: application/octet-stream`): text whose
    /// length counts in UTF-8 bytes.
    Binary,
    /// A time of day (`format: partial-time`, chrono's `NaiveTime`).
    Time,
    /// A date-time naive or aware as sent ([`crate::Datetime`]).
    DatetimeAsSent,
    /// A time naive or aware as sent ([`crate::Time`]).
    TimeAsSent,
    /// An IP address: `Some(false)` IPv4, `Some(true)` IPv6, `None` either.
    Ip(Option<bool>),
    /// An IP network (`false`) or interface (`true`) of those families
    /// ([`crate::ip`]).
    IpNet(Option<bool>, bool),
}

/// What an array is to pydantic: a `list`, a `set` (`uniqueItems`, a
/// `BTreeSet`) or a `tuple[T, ...]` ([`crate::Tuple`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seq {
    List,
    Set,
    Tuple,
}

/// The schema keyword that marks a schema (and everything compiled inside it,
/// up to the next model reference) strict, as pydantic's `strict=True`. It is
/// never written into the OpenAPI document: pydantic documents strict types
/// exactly as lax ones.
pub const STRICT_KEYWORD: &str = "x-ferroapi-strict";

/// The schema keyword that marks a float finite (pydantic's
/// `allow_inf_nan=False`); never written into the document.
pub const FINITE_KEYWORD: &str = "x-ferroapi-finite";

/// pydantic's `Field(allow_inf_nan=False)` (and `FiniteFloat`), as a
/// schemars transform on an `f64` field: `Infinity`, `-Infinity`, `NaN` and
/// numbers too large for a float (`1e400`), which Python's JSON decoder
/// reads, answer `finite_number`. The document is unchanged, as pydantic's.
///
/// ```
/// #[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate)]
/// struct Reading {
///     #[schemars(transform = ferroapi::finite)]
///     #[garde(skip)]
///     celsius: f64,
/// }
/// let err = ferroapi::validate_json::<Reading>(&serde_json::json!({"celsius": 1e308}), &["body"]);
/// assert!(err.is_ok());
/// ```
pub fn finite(schema: &mut schemars::Schema) {
    schema.insert(FINITE_KEYWORD.into(), Value::Bool(true));
}

/// pydantic's `strict=True`, as a schemars transform: on a field
/// (`#[schemars(transform = ferroapi::strict)]`) it makes that field strict,
/// on a struct every field of it (nested models keep their own setting). A
/// strict int refuses `"5"`, `true` and `2.0` (`int_type`), a strict float
/// refuses strings and bools (`float_type`), a strict bool anything but
/// `true`/`false` (`bool_type`), as pydantic's `StrictInt`, `StrictFloat`,
/// `StrictBool` do. JSON bodies only: query, header, cookie and form values
/// are text, which pydantic always parses. The document is unchanged, as
/// pydantic documents strict types.
///
/// ```
/// #[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate)]
/// struct Transfer {
///     #[schemars(transform = ferroapi::strict)]
///     #[garde(skip)]
///     cents: i64,
/// }
/// ```
pub fn strict(schema: &mut schemars::Schema) {
    schema.insert(STRICT_KEYWORD.into(), Value::Bool(true));
}

/// The schema keyword that marks an enum as pydantic's `Literal[...]`
/// (`literal_error` rather than `enum`); never written into the document.
pub const LITERAL_KEYWORD: &str = "x-ferroapi-literal";

/// pydantic's `Literal["a", "b"]`, as a schemars transform on a unit-variant
/// enum: a value outside it answers `literal_error` (an `Enum` class answers
/// `enum`), in bodies, parameters and parameter models. With
/// `#[schemars(inline)]` the document writes the values where the field is,
/// as FastAPI writes a `Literal`, instead of a component.
///
/// ```
/// #[derive(serde::Deserialize, schemars::JsonSchema, ferroapi::ParamEnum)]
/// #[serde(rename_all = "lowercase")]
/// #[schemars(inline, transform = ferroapi::literal)]
/// enum Side {
///     Buy,
///     Sell,
/// }
/// ```
pub fn literal(schema: &mut schemars::Schema) {
    schema.insert(LITERAL_KEYWORD.into(), Value::Bool(true));
}

#[derive(Debug)]
enum Node {
    Any,
    Null,
    Nullable(usize),
    /// `true`: strict.
    Bool(bool),
    /// Bounds, the Rust type's range, strict.
    Int(Bounds, Option<(i128, i128)>, bool),
    /// Bounds, strict, finite (pydantic's `allow_inf_nan=False`).
    Float(Bounds, bool, bool),
    Str(StrRules, StrFormat),
    Enum(Vec<PyValue>, String, bool),
    /// Items, minimum and maximum length, and what pydantic calls it.
    List(usize, Option<usize>, Option<usize>, Seq),
    /// A fixed-length tuple (`prefixItems`): each position's node.
    Tuple(Vec<usize>),
    Object(Vec<Field>, bool),
    /// Values (`usize::MAX`: any), and whether keys are integers (schemars
    /// writes `dict[int, V]` as `patternProperties` on `^-?\d+$`).
    Dict(usize, bool),
    /// A smart-mode union: its members, and each member's name as pydantic
    /// puts it in the location of that member's errors (`int`, `str`, `Cat`).
    Union(Vec<usize>, Vec<String>),
    /// A discriminated union (serde's internally tagged enum, pydantic's
    /// `Field(discriminator=...)`): the tag key, each tag value and its
    /// member, the expected tags as pydantic writes them.
    Tagged(String, Vec<(String, usize)>, String),
    /// Reserved while a `$ref` target is being compiled (recursion).
    Pending,
    /// A `$ref` to another node: pydantic's definition reference, whose
    /// nesting it bounds (`recursion_depth_exceeded`).
    Ref(usize),
    /// A decimal ([`crate::Decimal`]) and its rules.
    Decimal(Box<crate::decimal::Rules>),
}

/// Nested references walked at most: where pydantic-core answers
/// `recursion_depth_exceeded` (a recursive model 255 levels deep, measured
/// on FastAPI 0.165 / pydantic-core 2.50). It also bounds the walker's own
/// recursion on any recursive schema.
const MAX_REF_DEPTH: usize = 253;

/// Stack left before a reference is walked on a new segment.
pub(crate) const STACK_RED_ZONE: usize = 64 * 1024;
/// The size of such a segment.
pub(crate) const STACK_SEGMENT: usize = 1024 * 1024;

/// Stack kept free before a container is copied into an error's `input`.
const ECHO_RED_ZONE: usize = 1024 * 1024;

/// A copy of an input for an error item. A container is copied recursively,
/// one level of stack per level of nesting, from wherever the walk found the
/// error (deep inside the input, on a nearly spent stack segment): it is
/// copied on a fresh segment when less than [`ECHO_RED_ZONE`] is left.
fn echo(v: &PyValue) -> PyValue {
    match v {
        PyValue::List(_) | PyValue::Dict(_) => {
            stacker::maybe_grow(ECHO_RED_ZONE, 2 * ECHO_RED_ZONE, || v.clone())
        }
        _ => v.clone(),
    }
}

#[derive(Debug)]
struct Field {
    /// Kept for the life of the process, as the compiled schema is (one per
    /// type, see [`cached`]): a location names it without a copy.
    name: &'static str,
    node: usize,
    required: bool,
}

/// A compiled schema: re-validates a value and lists pydantic-shaped errors.
#[derive(Debug)]
pub struct Diagnoser {
    nodes: Vec<Node>,
    root: usize,
    /// The body type's reader, which knows serde's other names of fields.
    reader: std::sync::OnceLock<Reader>,
    /// Input keys asked of it, per model node: the field each names.
    aliases: std::sync::RwLock<HashMap<usize, HashMap<String, Option<usize>>>>,
}

struct Compiler<'a> {
    defs: Option<&'a serde_json::Map<String, Value>>,
    nodes: Vec<Node>,
    by_ref: HashMap<String, usize>,
    /// Inside a schema marked strict.
    strict: bool,
}

/// A union member's name as pydantic writes it in an error's location.
fn member_label(s: &Value) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    let ty = match s.get("type") {
        Some(Value::String(t)) => t.as_str(),
        _ => "",
    };
    if s.get("contentMediaType").is_some() {
        return "bytes".into();
    }
    match (ty, s.get("format").and_then(Value::as_str)) {
        ("integer", _) => "int".into(),
        ("number", _) => "float".into(),
        ("boolean", _) => "bool".into(),
        ("string", Some("uuid" | "uuid1" | "uuid3" | "uuid4" | "uuid5")) => "uuid".into(),
        ("string", Some("date")) => "date".into(),
        ("string", Some("date-time" | "partial-date-time")) => "datetime".into(),
        ("string", Some("duration")) => "timedelta".into(),

        ("string", _) => "str".into(),
        ("null", _) => "none".into(),
        ("array", _) => format!(
            "list[{}]",
            s.get("items")
                .map(member_label)
                .unwrap_or_else(|| "any".into())
        ),
        ("object", _) => match s.get("additionalProperties") {
            Some(v @ Value::Object(_)) => format!("dict[str,{}]", member_label(v)),
            _ => "dict[str,any]".into(),
        },
        _ => "any".into(),
    }
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

/// The value schema of a map with integer keys, as schemars writes it
/// (`patternProperties` on one integer pattern, nothing else allowed).
pub(crate) fn int_keyed(s: &serde_json::Map<String, Value>) -> Option<&Value> {
    let patterns = s.get("patternProperties")?.as_object()?;
    match patterns.iter().next() {
        Some((p, v)) if patterns.len() == 1 && (p == r"^-?\d+$" || p == r"^\d+$") => Some(v),
        _ => None,
    }
}

/// A decimal's rules: its digit limits (the keyword) and bounds, wherever
/// the schema states them (beside `anyOf`, or on its number).
fn decimal_rules(s: &serde_json::Map<String, Value>, limits: &Value) -> crate::decimal::Rules {
    use crate::decimal::Decimal;
    let number = s
        .get("anyOf")
        .and_then(Value::as_array)
        .and_then(|b| {
            b.iter()
                .find(|b| b.get("type") == Some(&Value::from("number")))
        })
        .and_then(Value::as_object);
    let bound = |k: &str| {
        let v = s.get(k).or_else(|| number.and_then(|n| n.get(k)))?;
        match (v.as_i64(), v.as_u64(), v.as_f64()) {
            (Some(i), _, _) => Some(Decimal::from_int(i.into())),
            (_, Some(u), _) => Some(Decimal::from_int(u.into())),
            (_, _, Some(f)) => Decimal::from_f64(f).ok(),
            _ => None,
        }
    };
    let limit = |k: &str| limits.get(k).and_then(Value::as_u64).map(|n| n as u32);
    crate::decimal::Rules {
        max_digits: limit("max_digits"),
        decimal_places: limit("decimal_places"),
        multiple_of: bound("multipleOf"),
        le: bound("maximum"),
        lt: bound("exclusiveMaximum"),
        ge: bound("minimum"),
        gt: bound("exclusiveMinimum"),
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
        let outer = self.strict;
        if s.get(STRICT_KEYWORD) == Some(&Value::Bool(true)) {
            self.strict = true;
        }
        let node = self.compile_inner(s);
        self.strict = outer;
        node
    }

    fn compile_inner(&mut self, s: &serde_json::Map<String, Value>) -> usize {
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
            // A referenced model has its own configuration (pydantic).
            let outer = std::mem::replace(&mut self.strict, false);
            let compiled = self.compile(target);
            self.strict = outer;
            self.nodes[slot] = Node::Ref(compiled);
            return slot;
        }
        if let Some(limits) = s.get(crate::decimal::DECIMAL_KEYWORD) {
            return self.push(Node::Decimal(Box::new(decimal_rules(s, limits))));
        }
        if let Some(c) = s.get("const") {
            let v = PyValue::from_json(c);
            let expected = expected_list(std::slice::from_ref(&v));
            return self.push(Node::Enum(vec![v], expected, true));
        }
        let literal = s.get(LITERAL_KEYWORD) == Some(&Value::Bool(true));
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            // `Option<Enum>`: schemars lists `null` among the values; pydantic
            // names only the others.
            let vals: Vec<PyValue> = values
                .iter()
                .filter(|v| !v.is_null())
                .map(PyValue::from_json)
                .collect();
            let expected = expected_list(&vals);
            let e = self.push(Node::Enum(vals, expected, literal));
            return if values.iter().any(Value::is_null) {
                self.push(Node::Nullable(e))
            } else {
                e
            };
        }
        if let Some(node) = self.tagged(s) {
            return node;
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
                    let e = self.push(Node::Enum(vals, expected, literal));
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
                    let labels = others.iter().map(|b| member_label(b)).collect();
                    self.push(Node::Union(compiled, labels))
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
            Some("boolean") => Node::Bool(self.strict),
            Some("integer") => Node::Int(
                bounds_of(s),
                int_range(s.get("format").and_then(Value::as_str)),
                self.strict,
            ),
            Some("number") => Node::Float(
                bounds_of(s),
                self.strict,
                s.get(FINITE_KEYWORD) == Some(&Value::Bool(true)),
            ),
            Some("string") => {
                let rules = StrRules {
                    temporal: s
                        .get(crate::datetime::TEMPORAL_KEYWORD)
                        .and_then(Value::as_str)
                        .and_then(crate::datetime::Temporal::from_name),
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
                let binary = s.get("contentMediaType").and_then(Value::as_str)
                    == Some("application/octet-stream");
                let format = match s.get("format").and_then(Value::as_str) {
                    _ if binary => StrFormat::Binary,
                    Some("uuid") => StrFormat::Uuid,
                    Some("date") => StrFormat::Date,
                    Some("date-time")
                        if s.get(crate::datetime::AS_SENT_KEYWORD) == Some(&Value::Bool(true)) =>
                    {
                        StrFormat::DatetimeAsSent
                    }
                    Some("date-time") => StrFormat::DateTime,
                    Some("email") => StrFormat::Email,
                    Some("duration") => StrFormat::Duration,
                    Some("partial-date-time") => StrFormat::NaiveDateTime,
                    Some("time")
                        if s.get(crate::datetime::AS_SENT_KEYWORD) == Some(&Value::Bool(true)) =>
                    {
                        StrFormat::TimeAsSent
                    }
                    Some("partial-time" | "time") => StrFormat::Time,
                    Some("ipv4") => StrFormat::Ip(Some(false)),
                    Some("ipv6") => StrFormat::Ip(Some(true)),
                    Some("ip" | "ipvanyaddress") => StrFormat::Ip(None),
                    Some(f) if super::lax::ip_net_format(f).is_some() => {
                        let (v6, interface) = super::lax::ip_net_format(f).unwrap_or((None, false));
                        StrFormat::IpNet(v6, interface)
                    }
                    Some("uri") => StrFormat::Url(
                        s.get(crate::types::HTTP_URL_KEYWORD) == Some(&Value::Bool(true)),
                    ),
                    Some(f @ ("uuid1" | "uuid3" | "uuid4" | "uuid5")) => {
                        StrFormat::UuidVersion(f.as_bytes()[4] - b'0')
                    }
                    _ => StrFormat::Plain,
                };
                Node::Str(rules, format)
            }
            // A Rust tuple: each position has its own schema.
            Some("array") if s.get("prefixItems").is_some_and(Value::is_array) => {
                let positions = s["prefixItems"].as_array().cloned().unwrap_or_default();
                Node::Tuple(positions.iter().map(|p| self.compile(p)).collect())
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
                    if s.get("uniqueItems") == Some(&Value::Bool(true)) {
                        Seq::Set
                    } else if s.get(crate::types::TUPLE_KEYWORD) == Some(&Value::Bool(true)) {
                        Seq::Tuple
                    } else {
                        Seq::List
                    },
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

    /// A `oneOf` whose members all carry one property with a `const` string
    /// (serde's `#[serde(tag = "...")]`): a discriminated union.
    fn tagged(&mut self, s: &serde_json::Map<String, Value>) -> Option<usize> {
        let branches = s.get("oneOf")?.as_array()?;
        let tag_of = |b: &Value| -> Option<(String, String)> {
            let props = b.get("properties")?.as_object()?;
            props.iter().find_map(|(k, p)| {
                let c = p.get("const")?.as_str()?;
                let required = b
                    .get("required")
                    .and_then(Value::as_array)
                    .is_some_and(|r| r.iter().any(|x| x == k));
                required.then(|| (k.clone(), c.to_string()))
            })
        };
        let tags: Vec<(String, String)> = branches.iter().map(tag_of).collect::<Option<_>>()?;
        let key = tags.first()?.0.clone();
        if branches.len() < 2 || tags.iter().any(|(k, _)| *k != key) {
            return None;
        }
        let members = branches
            .iter()
            .zip(tags)
            .map(|(b, (_, value))| {
                // The member is what the branch refers to (or the branch
                // itself, its tag property read as any other).
                let node = match b.get("$ref") {
                    Some(r) => self.compile(&serde_json::json!({ "$ref": r })),
                    None => self.compile(b),
                };
                (value, node)
            })
            .collect::<Vec<_>>();
        let expected = members
            .iter()
            .map(|(v, _)| format!("'{v}'"))
            .collect::<Vec<_>>()
            .join(", ");
        Some(self.push(Node::Tagged(key, members, expected)))
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
                        name: Box::leak(name.clone().into_boxed_str()),
                        node: self.compile(sub),
                        required: required.contains(&name.as_str()),
                    })
                    .collect();
                let forbid = s.get("additionalProperties") == Some(&Value::Bool(false));
                Node::Object(fields, forbid)
            }
            None => {
                if let Some(v) = int_keyed(s) {
                    return Node::Dict(self.compile(v), true);
                }
                match s.get("additionalProperties") {
                    Some(v @ Value::Object(_)) => Node::Dict(self.compile(v), false),
                    _ => Node::Dict(usize::MAX, false),
                }
            }
        }
    }
}

impl Diagnoser {
    /// Compiles a schemars root schema (with `$defs`). A compiled schema is
    /// meant to be kept for the life of the process (see [`cached`]): its
    /// field names are, so that error locations name them without a copy.
    pub fn new(root: &Value) -> Self {
        let mut c = Compiler {
            defs: root.get("$defs").and_then(Value::as_object),
            nodes: Vec::new(),
            by_ref: HashMap::new(),
            strict: false,
        };
        // schemars writes a type's reference to itself as `"$ref": "#"`.
        let own = c.push(Node::Pending);
        c.by_ref.insert("#".to_string(), own);
        let root = c.compile(root);
        c.nodes[own] = Node::Ref(root);
        Diagnoser {
            nodes: c.nodes,
            root,
            reader: std::sync::OnceLock::new(),
            aliases: Default::default(),
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
            Node::Int(b, _, _) | Node::Float(b, _, _) => {
                b.gt.is_some()
                    || b.ge.is_some()
                    || b.lt.is_some()
                    || b.le.is_some()
                    || b.multiple_of.is_some()
            }
            Node::Str(r, _) => {
                r.min_length.is_some() || r.max_length.is_some() || r.pattern.is_some()
            }
            Node::List(_, min, max, _) => min.is_some() || max.is_some(),
            // Digit limits are checked by the type; bounds are not.
            Node::Decimal(r) => {
                r.multiple_of.is_some()
                    || r.le.is_some()
                    || r.lt.is_some()
                    || r.ge.is_some()
                    || r.gt.is_some()
            }
            _ => false,
        })
    }

    /// The names of the root object's fields, in declaration order (for models
    /// read from query, header, cookie or form sources).
    pub fn field_names(&self) -> Vec<(&str, bool)> {
        match self.resolve(self.root) {
            Node::Object(fields, _) => fields
                .iter()
                .map(|f| (f.name, matches!(self.resolve(f.node), Node::List(..))))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the root is a number (or an optional one): `Some(true)` for
    /// an integer, `Some(false)` for a float. pydantic writes an integer
    /// field's bounds in `ctx` as ints, whatever the input was.
    pub fn number_root(&self) -> Option<bool> {
        let kind = |n: &Node| match n {
            Node::Int(..) => Some(true),
            Node::Float(..) => Some(false),
            _ => None,
        };
        match self.resolve(self.root) {
            Node::Union(members, _) => {
                let mut kinds = members
                    .iter()
                    .map(|m| self.resolve(*m))
                    .filter(|n| !matches!(n, Node::Null));
                match (kinds.next(), kinds.next()) {
                    (Some(n), None) => kind(n),
                    _ => None,
                }
            }
            n => kind(n),
        }
    }

    fn resolve(&self, mut i: usize) -> &Node {
        loop {
            match &self.nodes[i] {
                Node::Union(v, _) if v.len() == 1 => i = v[0],
                Node::Ref(target) => i = *target,
                n => return n,
            }
        }
    }

    /// Validates `value`, appending an error for each problem found. When
    /// nothing is wrong and pydantic's lax mode changed a value on the way
    /// (`"5"` for an int), the value as pydantic hands it on is returned:
    /// that is what the user's type is then read from.
    pub fn diagnose(
        &self,
        value: &PyValue,
        loc: &mut Loc,
        mode: Mode,
        out: &mut Vec<ErrorItem>,
    ) -> Option<PyValue> {
        let before = out.len();
        let coerced = self.diagnose_partial(value, loc, mode, out);
        coerced.filter(|_| out.len() == before)
    }

    /// As [`Diagnoser::diagnose`], but the value as pydantic's lax mode
    /// changed it is returned even when errors were found: the parts that
    /// were valid, in the form the user's type reads them.
    pub(crate) fn diagnose_partial(
        &self,
        value: &PyValue,
        loc: &mut Loc,
        mode: Mode,
        out: &mut Vec<ErrorItem>,
    ) -> Option<PyValue> {
        self.walk(self.root, value, loc, mode, 0, out)
    }

    fn err(out: &mut Vec<ErrorItem>, k: Kind, loc: &Loc, input: &PyValue) {
        out.push(ErrorItem::from_kind(k, loc.clone(), echo(input)));
    }

    /// Walks `v` against `node`: errors into `out`; `Some` when a lax
    /// coercion changed `v` or something inside it (copied on write, so that
    /// every error still echoes the input as sent).
    fn walk(
        &self,
        node: usize,
        v: &PyValue,
        loc: &mut Loc,
        mode: Mode,
        refs: usize,
        out: &mut Vec<ErrorItem>,
    ) -> Option<PyValue> {
        match &self.nodes[node] {
            Node::Ref(target) => {
                if refs >= MAX_REF_DEPTH {
                    Self::err(out, kinds::recursion_depth_exceeded(), loc, v);
                    return None;
                }
                // Each reference is a level of a possibly recursive model: the
                // stack grows on the heap rather than overflow, whatever the
                // build's frame sizes.
                stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
                    self.walk(*target, v, loc, mode, refs + 1, out)
                })
            }
            Node::Any | Node::Pending => None,
            Node::Nullable(inner) => {
                if *v != PyValue::Null {
                    self.walk(*inner, v, loc, mode, refs, out)
                } else {
                    None
                }
            }
            Node::Null
            | Node::Bool(_)
            | Node::Int(..)
            | Node::Float(..)
            | Node::Str(..)
            | Node::Decimal(_)
            | Node::Enum(..) => self.scalar(node, v, loc, mode, out),
            // Kept as text by the decoder's budget: the kind is right, the
            // entries are not looked at.
            Node::Dict(..) | Node::Object(..) if matches!(v, PyValue::RawDict(_)) => None,
            Node::Tuple(positions) => {
                let PyValue::List(list) = v else {
                    Self::err(out, kinds::tuple_type(), loc, v);
                    return None;
                };
                if list.len() > positions.len() {
                    let k = kinds::too_long_of("Tuple", positions.len(), Some(list.len()));
                    Self::err(out, k, loc, v);
                    return None;
                }
                let mut changed: Option<Vec<PyValue>> = None;
                for (i, node) in positions.iter().enumerate() {
                    loc.push(LocPart::Index(i));
                    match list.get(i) {
                        Some(item) => {
                            if let Some(c) = self.walk(*node, item, loc, mode, refs, out) {
                                changed.get_or_insert_with(|| list.clone())[i] = c;
                            }
                        }
                        None => out.push(ErrorItem::missing(loc.clone(), echo(v))),
                    }
                    loc.pop();
                }
                changed.map(PyValue::List)
            }
            Node::List(items, min, max, seq) => {
                let mut changed: Option<Vec<PyValue>> = None;
                let len = match v {
                    // pydantic counts items as it validates them and stops at
                    // the first past the maximum: `too_long` alone, whatever
                    // the items before it were (a set's length then unknown).
                    PyValue::List(list)
                        if max.is_some_and(|m| list.len() > m) && *seq == Seq::Set =>
                    {
                        let k = kinds::too_long_of("Set", max.unwrap_or_default(), None);
                        Self::err(out, k, loc, v);
                        return None;
                    }
                    PyValue::List(list) if max.is_some_and(|m| list.len() > m) => {
                        if *seq == Seq::Tuple {
                            let k = kinds::too_long_of(
                                "Tuple",
                                max.unwrap_or_default(),
                                Some(list.len()),
                            );
                            Self::err(out, k, loc, v);
                            return None;
                        }
                        list.len()
                    }
                    PyValue::List(list) => {
                        let before = out.len();
                        for (i, item) in list.iter().enumerate() {
                            loc.push(LocPart::Index(i));
                            if let Some(c) = self.walk(*items, item, loc, mode, refs, out) {
                                changed.get_or_insert_with(|| list.clone())[i] = c;
                            }
                            loc.pop();
                        }
                        if out.len() != before {
                            return changed.map(PyValue::List);
                        }
                        list.len()
                    }
                    // Kept as text by the decoder's budget: its length is known,
                    // its items are not looked at.
                    PyValue::RawList(_, len) => *len,
                    _ if *seq != Seq::List => {
                        let k = if *seq == Seq::Set {
                            kinds::set_type()
                        } else {
                            kinds::tuple_type()
                        };
                        Self::err(out, k, loc, v);
                        return None;
                    }
                    _ => {
                        Self::err(out, kinds::list_type(), loc, v);
                        return None;
                    }
                };
                if let Some(min) = min.filter(|m| len < *m) {
                    let k = match seq {
                        Seq::Set => kinds::too_short_of("Set", min, len),
                        Seq::Tuple => kinds::too_short_of("Tuple", min, len),
                        Seq::List => kinds::too_short(min, len),
                    };
                    Self::err(out, k, loc, v);
                } else if let Some(max) = max.filter(|m| len > *m) {
                    Self::err(out, kinds::too_long(max, len), loc, v);
                }
                changed.map(PyValue::List)
            }
            Node::Dict(values, int_keys) => {
                let PyValue::Dict(entries) = v else {
                    Self::err(out, kinds::dict_type(), loc, v);
                    return None;
                };
                let mut changed: Option<Vec<(String, PyValue)>> = None;
                for (i, (k, item)) in entries.iter().enumerate() {
                    loc.push(LocPart::Key(k.clone().into()));
                    if *int_keys {
                        // pydantic reads each key as an int (lax), its error
                        // located at `[..., key, "[key]"]`, before the value's.
                        match lax::parse_int(k) {
                            Ok(n) if n.to_string() != *k => {
                                changed.get_or_insert_with(|| entries.clone())[i].0 = n.to_string();
                            }
                            Ok(_) => {}
                            Err(kind) => {
                                loc.push(LocPart::from("[key]"));
                                Self::err(out, kind, loc, &PyValue::Str(k.clone()));
                                loc.pop();
                            }
                        }
                    }
                    if *values != usize::MAX {
                        if let Some(c) = self.walk(*values, item, loc, mode, refs, out) {
                            changed.get_or_insert_with(|| entries.clone())[i].1 = c;
                        }
                    }
                    loc.pop();
                }
                changed.map(PyValue::Dict)
            }
            Node::Object(fields, forbid) => {
                let PyValue::Dict(entries) = v else {
                    Self::err(out, kinds::model_attributes_type(), loc, v);
                    return None;
                };
                let mut changed: Option<Vec<(String, PyValue)>> = None;
                // Keys naming no field may be another name of one (serde's
                // `alias`): (entry, field) pairs, looked for only when some
                // key may name no field (the common body needs no scan).
                let mut aliases: Option<Vec<(usize, usize)>> = None;
                let mut found = 0;
                for (fi, f) in fields.iter().enumerate() {
                    let mut at = entries.iter().position(|(k, _)| *k == f.name);
                    let mut key = std::borrow::Cow::Borrowed(f.name);
                    match at {
                        Some(_) => found += 1,
                        None if entries.len() > found => {
                            let a = aliases.get_or_insert_with(|| self.aliases_in(node, entries));
                            if let Some(&(ei, _)) = a.iter().find(|(_, af)| *af == fi) {
                                at = Some(ei);
                                key = std::borrow::Cow::Owned(entries[ei].0.clone());
                            }
                        }
                        None => {}
                    }
                    loc.push(LocPart::Key(key));
                    match at {
                        Some(i) => {
                            if let Some(c) = self.walk(f.node, &entries[i].1, loc, mode, refs, out)
                            {
                                changed.get_or_insert_with(|| entries.clone())[i].1 = c;
                            }
                        }
                        None if f.required => out.push(ErrorItem::missing(loc.clone(), echo(v))),
                        None => {}
                    }
                    loc.pop();
                }
                if entries.len() > found || *forbid {
                    let a = aliases.get_or_insert_with(|| self.aliases_in(node, entries));
                    // pydantic reads the alias first, then the first other
                    // name; serde would refuse a field given twice.
                    let shadowed: Vec<usize> = a
                        .iter()
                        .filter(|&&(ei, fi)| {
                            entries.iter().any(|(k, _)| *k == fields[fi].name)
                                || a.iter().any(|&(other, f)| f == fi && other < ei)
                        })
                        .map(|&(ei, _)| ei)
                        .collect();
                    if !shadowed.is_empty() {
                        let kept = changed.take().unwrap_or_else(|| entries.clone());
                        changed = Some(
                            kept.into_iter()
                                .enumerate()
                                .filter(|(i, _)| !shadowed.contains(i))
                                .map(|(_, e)| e)
                                .collect(),
                        );
                    }
                    if *forbid {
                        for (i, (k, item)) in entries.iter().enumerate() {
                            let declared = fields.iter().any(|f| f.name == k);
                            if !declared && !a.iter().any(|(ei, _)| *ei == i) {
                                loc.push(LocPart::Key(k.clone().into()));
                                Self::err(out, kinds::extra_forbidden(), loc, item);
                                loc.pop();
                            }
                        }
                    }
                }
                changed.map(PyValue::Dict)
            }
            Node::Tagged(key, members, expected) => {
                let PyValue::Dict(_) = v else {
                    Self::err(out, kinds::model_attributes_type(), loc, v);
                    return None;
                };
                let Some(tag) = v.get(key) else {
                    Self::err(out, kinds::union_tag_not_found(key), loc, v);
                    return None;
                };
                let text = match tag {
                    PyValue::Str(s) => s.clone(),
                    PyValue::Null => "None".into(),
                    PyValue::Bool(b) => if *b { "True" } else { "False" }.into(),
                    other => {
                        let mut s = String::new();
                        other.write_json(&mut s);
                        s
                    }
                };
                let member = match tag {
                    PyValue::Str(s) => members.iter().find(|(t, _)| t == s),
                    _ => None,
                };
                let Some((_, node)) = member else {
                    Self::err(out, kinds::union_tag_invalid(key, &text, expected), loc, v);
                    return None;
                };
                // pydantic locates a member's errors under its tag.
                loc.push(LocPart::Key(text.into()));
                let coerced = self.walk(*node, v, loc, mode, refs, out);
                loc.pop();
                coerced
            }
            Node::Union(branches, labels) => {
                // No member accepts the value: each member's errors, located
                // under the member's name (pydantic's smart mode).
                let mut all = Vec::new();
                let at = loc.len();
                for (b, label) in branches.iter().zip(labels) {
                    let mut errs = Vec::new();
                    let coerced = self.walk(*b, v, loc, mode, refs, &mut errs);
                    if errs.is_empty() {
                        return coerced;
                    }
                    for e in &mut errs {
                        if e.loc.len() >= at {
                            e.loc.insert(at, LocPart::Key(label.clone().into()));
                        }
                    }
                    all.extend(errs);
                }
                out.extend(all);
                None
            }
        }
    }

    /// The checks of one scalar node: kept out of `walk` so that the
    /// recursive walk's stack frame stays small (it is entered once per
    /// level of a deep input). `Some`: the value pydantic's lax mode made of
    /// the input.
    #[inline(never)]
    fn scalar(
        &self,
        node: usize,
        v: &PyValue,
        loc: &Loc,
        mode: Mode,
        out: &mut Vec<ErrorItem>,
    ) -> Option<PyValue> {
        let result = match &self.nodes[node] {
            Node::Null if *v != PyValue::Null => Err(kinds::value_error("Input should be None")),
            Node::Null => Ok(None),
            Node::Bool(strict) => lax_bool(v, mode, *strict),
            Node::Int(bounds, range, strict) => lax_int(v, mode, *strict).and_then(|n| {
                let broken = match &n {
                    PyValue::Int(i) => bounds.check_int(*i),
                    PyValue::BigInt(s) => {
                        bounds.check(s.parse::<f64>().unwrap_or(f64::INFINITY), true)
                    }
                    _ => None,
                };
                match broken.or_else(|| range_check(&n, *range)) {
                    Some(k) => Err(k),
                    None => Ok((n != *v).then_some(n)),
                }
            }),
            Node::Float(bounds, strict, finite) => lax_float(v, mode, *strict).and_then(|n| {
                if *finite && !n.is_finite() {
                    return Err(kinds::finite_number());
                }
                match bounds.check(n, false) {
                    Some(k) => Err(k),
                    // Numbers stay as sent (an int is a valid float to serde).
                    None if matches!(v, PyValue::Int(_) | PyValue::Float(_)) => Ok(None),
                    None => Ok(Some(PyValue::Float(n))),
                }
            }),
            Node::Str(rules, format) => lax_str(v, *format, mode).and_then(|canonical| {
                let PyValue::Str(s) = canonical.as_ref().unwrap_or(v) else {
                    return Ok(canonical);
                };
                let broken = if *format == StrFormat::Binary {
                    rules.check_bytes(s)
                } else {
                    rules.check(s)
                };
                match (broken, rules.temporal) {
                    (Some(k), _) => Err(k),
                    (None, Some(rule)) => temporal_holds(rule, *format, s).map(|()| canonical),
                    (None, None) => Ok(canonical),
                }
            }),
            // Always handed on as its text: the type reads it exactly.
            Node::Decimal(rules) => crate::decimal::Decimal::from_py(v).and_then(|d| {
                rules.check(&d)?;
                let text = d.to_string();
                Ok((*v != PyValue::Str(text.clone())).then_some(PyValue::Str(text)))
            }),
            Node::Enum(values, expected, literal) => {
                // An enum's int values also match their text in parameters; a
                // `Literal` compares by equality only (pydantic).
                let ok = values.iter().any(|allowed| {
                    allowed == v
                        || (mode == Mode::Strings
                            && !*literal
                            && matches!(v, PyValue::Str(s) if enum_text(allowed).as_deref() == Some(s.as_str())))
                });
                // An int enum reads its input as a 64-bit int first.
                let int_enum = !*literal && values.iter().all(|a| matches!(a, PyValue::Int(_)));
                let beyond_64 = match v {
                    PyValue::Int(i) => i64::try_from(*i).is_err(),
                    PyValue::BigInt(_) => true,
                    _ => false,
                };
                // ... and, lax, reads a numeric string as that int too.
                let from_text = match v {
                    PyValue::Str(s) if int_enum && mode == Mode::Json => {
                        lax::parse_wide_int(s).ok().map(|n| (n, s))
                    }
                    _ => None,
                };
                if ok {
                    Ok(None)
                } else if int_enum && beyond_64 {
                    Err(kinds::int_parsing_size())
                } else if let Some((n, text)) = from_text {
                    match n {
                        lax::WideInt::Fits(i) if values.contains(&PyValue::Int(i)) => {
                            Ok(Some(PyValue::Int(i)))
                        }
                        lax::WideInt::Fits(i) if i64::try_from(i).is_ok() => {
                            Err(kinds::enumeration(expected, *literal))
                        }
                        // pydantic echoes the int it read, not the text.
                        _ => {
                            let read = PyValue::BigInt(lax::int_text(text));
                            Self::err(out, kinds::int_parsing_size(), loc, &read);
                            Ok(None)
                        }
                    }
                } else if let Some(n) = lax_literal_int(v, mode, values) {
                    Ok(Some(n))
                } else {
                    Err(kinds::enumeration(expected, *literal))
                }
            }
            _ => Ok(None),
        };
        match result {
            Ok(coerced) => coerced,
            Err(k) => {
                Self::err(out, k, loc, v);
                None
            }
        }
    }
}

/// A bool as pydantic reads it: in lax mode `0`/`1` (also as floats) and
/// its words; strict, only `true`/`false`.
fn lax_bool(v: &PyValue, mode: Mode, strict: bool) -> Result<Option<PyValue>, Kind> {
    let lax = mode == Mode::Strings || !strict;
    match v {
        PyValue::Bool(_) => Ok(None),
        PyValue::Str(s) if lax => lax::parse_bool(s).map(|b| Some(PyValue::Bool(b))),
        // pydantic's JSON integers are 64-bit; a larger one is a Python
        // int the bool validator does not take at all.
        PyValue::Int(i) if lax => match i {
            0 | 1 => Ok(Some(PyValue::Bool(*i == 1))),
            _ if i64::try_from(*i).is_ok() => Err(kinds::bool_parsing()),
            _ => Err(kinds::bool_type()),
        },
        PyValue::Float(f) if lax && (*f == 0.0 || *f == 1.0) => Ok(Some(PyValue::Bool(*f == 1.0))),
        // A whole float is read as a 64-bit int first.
        PyValue::Float(f)
            if lax && f.fract() == 0.0 && *f > i64::MIN as f64 && *f < i64::MAX as f64 =>
        {
            Err(kinds::bool_parsing())
        }
        _ => Err(kinds::bool_type()),
    }
}

/// In JSON, pydantic's lax mode matches an int value of a `Literal` or enum
/// with a whole float or a bool (`5.0`, `true` for `1`), not with a string.
fn lax_literal_int(v: &PyValue, mode: Mode, values: &[PyValue]) -> Option<PyValue> {
    if mode != Mode::Json {
        return None;
    }
    let n = match v {
        PyValue::Float(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e36 => *f as i128,
        PyValue::Bool(b) => i128::from(*b),
        _ => return None,
    };
    let n = PyValue::Int(n);
    values.contains(&n).then_some(n)
}

/// An int as pydantic reads it: in lax mode whole floats, bools and numeric
/// strings too; strict, only integers. The value is the integer.
fn lax_int(v: &PyValue, mode: Mode, strict: bool) -> Result<PyValue, Kind> {
    let lax = mode == Mode::Strings || !strict;
    match v {
        PyValue::Int(_) | PyValue::BigInt(_) => Ok(v.clone()),
        _ if !lax => Err(kinds::int_type()),
        // Text too large for 128 bits is still Python's int, bound-checked
        // like any other.
        PyValue::Str(s) => match lax::parse_wide_int(s)? {
            lax::WideInt::Fits(v) => Ok(PyValue::Int(v)),
            lax::WideInt::Beyond { .. } => Ok(PyValue::BigInt(lax::int_text(s))),
        },
        PyValue::Bool(b) => Ok(PyValue::Int(i128::from(*b))),
        PyValue::Float(f) if !f.is_finite() => Err(kinds::finite_number()),
        PyValue::Float(f) if f.fract() != 0.0 => Err(kinds::int_from_float()),
        // pydantic turns a whole float into a 64-bit int or refuses it.
        PyValue::Float(f) if *f > i64::MIN as f64 && *f < i64::MAX as f64 => {
            Ok(PyValue::Int(*f as i128))
        }
        PyValue::Float(_) => Err(kinds::int_parsing_size()),
        _ => Err(kinds::int_type()),
    }
}

/// A float as pydantic reads it: in lax mode bools and numeric strings too.
/// Non-finite values are floats (pydantic's `allow_inf_nan` is on by
/// default): `Infinity`, `NaN`, `1e400`, and `"inf"` in lax mode. Every bound
/// refuses `NaN`; the value reaches the user's `f64` through `value_de`.
fn lax_float(v: &PyValue, mode: Mode, strict: bool) -> Result<f64, Kind> {
    let lax = mode == Mode::Strings || !strict;
    let n = match v {
        PyValue::Int(i) => *i as f64,
        PyValue::BigInt(s) => s.parse::<f64>().unwrap_or(f64::INFINITY),
        PyValue::Float(f) => *f,
        PyValue::Str(s) if lax => lax::parse_float(s)?,
        PyValue::Bool(b) if lax => f64::from(u8::from(*b)),
        _ => return Err(kinds::float_type()),
    };
    Ok(n)
}

/// A string, or a string in a format (uuid, date, date-time, email); `Some`
/// when the value pydantic accepts is written differently than sent (a
/// timestamp for a date-time), in the form serde reads.
fn lax_str(v: &PyValue, format: StrFormat, mode: Mode) -> Result<Option<PyValue>, Kind> {
    let s = match v {
        PyValue::Str(s) => s.as_str(),
        // A number of seconds.
        PyValue::Int(_) | PyValue::Float(_) if format == StrFormat::Duration => {
            let secs = match v {
                PyValue::Int(i) => *i as f64,
                PyValue::Float(f) => *f,
                _ => 0.0,
            };
            return lax::seconds_to_micros(secs).map(|_| None);
        }
        // pydantic's lax mode reads a bool as 0 or 1 second.
        PyValue::Bool(b) if format == StrFormat::Duration && mode == Mode::Json => {
            return Ok(Some(PyValue::Int(i128::from(*b))));
        }
        // pydantic reads a number as a Unix timestamp for a date or date-time.
        PyValue::Int(_) | PyValue::Float(_) | PyValue::BigInt(_)
            if mode == Mode::Json
                && matches!(
                    format,
                    StrFormat::Date | StrFormat::DateTime | StrFormat::DatetimeAsSent
                ) =>
        {
            return number_timestamp(v, format == StrFormat::Date).map(Some);
        }
        // ... and as seconds since midnight for a time.
        PyValue::Int(_) | PyValue::Float(_) | PyValue::BigInt(_)
            if mode == Mode::Json && matches!(format, StrFormat::Time | StrFormat::TimeAsSent) =>
        {
            let n = match v {
                PyValue::Int(i) => lax::Number::Int(*i),
                PyValue::Float(f) => lax::Number::Float(*f),
                PyValue::BigInt(s) if s.starts_with('-') => lax::Number::Int(-1),
                _ => lax::Number::Int(i128::MAX),
            };
            let t = lax::number_time(n)?;
            // A `time` as sent is aware there: UTC.
            let utc = if format == StrFormat::TimeAsSent {
                "+00:00"
            } else {
                ""
            };
            return Ok(Some(PyValue::Str(format!(
                "{}{utc}",
                t.format("%H:%M:%S%.6f")
            ))));
        }
        // Networks and interfaces likewise: an integer is one address;
        // anything else (Python reads its `str()`) is refused.
        _ if matches!(format, StrFormat::IpNet(..)) => {
            let StrFormat::IpNet(v6, interface) = format else {
                return Ok(None);
            };
            let n = match v {
                PyValue::Int(i) => *i,
                PyValue::Bool(b) => i128::from(*b),
                _ => -1,
            };
            let (ip, prefix) = lax::parse_ip_net(lax::IpInput::Int(n), v6, interface)?;
            return Ok(Some(PyValue::Str(format!("{ip}/{prefix}"))));
        }
        // Python's `ipaddress` takes an integer too (a bool is one), and
        // refuses anything else in its own words.
        _ if matches!(format, StrFormat::Ip(_)) => {
            let StrFormat::Ip(family) = format else {
                return Ok(None);
            };
            let n = match v {
                PyValue::Int(i) => *i,
                PyValue::Bool(b) => i128::from(*b),
                _ => -1,
            };
            let ip = lax::parse_ip(lax::IpInput::Int(n), family)?;
            return Ok(Some(PyValue::Str(ip.to_string())));
        }
        _ => {
            return Err(match format {
                StrFormat::Uuid | StrFormat::UuidVersion(_) => kinds::uuid_type(),
                StrFormat::Date => kinds::date_type(),
                StrFormat::DateTime | StrFormat::NaiveDateTime | StrFormat::DatetimeAsSent => {
                    kinds::datetime_type()
                }
                StrFormat::Duration => kinds::time_delta_type(),
                StrFormat::Url(_) => kinds::url_type(),
                StrFormat::Binary => kinds::bytes_type(),
                StrFormat::Time | StrFormat::TimeAsSent => kinds::time_type(),
                StrFormat::Ip(_) | StrFormat::IpNet(..) => kinds::string_type(),
                StrFormat::Plain | StrFormat::Email => kinds::string_type(),
            })
        }
    };
    match format {
        StrFormat::Plain => Ok(None),
        StrFormat::Uuid => lax::parse_uuid(s).map(|u| {
            let text = u.hyphenated().to_string();
            (text != s).then_some(PyValue::Str(text))
        }),
        StrFormat::Date => lax::parse_date(s).map(|d| {
            let text = d.format("%Y-%m-%d").to_string();
            (text != s).then_some(PyValue::Str(text))
        }),
        StrFormat::DateTime => lax::parse_fixed_datetime(s).map(|d| {
            let text = d.to_rfc3339();
            (text != s).then_some(PyValue::Str(text))
        }),
        StrFormat::Duration => lax::parse_duration(s).map(|_| None),
        StrFormat::Url(http) => lax::parse_url(s, http).map(|_| None),
        StrFormat::Binary => Ok(None),
        StrFormat::UuidVersion(v) => lax::parse_uuid(s).and_then(|u| {
            if u.get_version_num() != usize::from(v) {
                return Err(kinds::uuid_version(v));
            }
            let text = u.hyphenated().to_string();
            Ok((text != s).then_some(PyValue::Str(text)))
        }),
        StrFormat::NaiveDateTime => lax::parse_naive_datetime(s).map(|d| {
            let text = d.format("%Y-%m-%dT%H:%M:%S%.f").to_string();
            (text != s).then_some(PyValue::Str(text))
        }),
        StrFormat::DatetimeAsSent => crate::Datetime::parse(s).map(|d| {
            let text = match d {
                crate::Datetime::Naive(n) => n.format("%Y-%m-%dT%H:%M:%S%.f").to_string(),
                crate::Datetime::Aware(a) => a.to_rfc3339(),
            };
            (text != s).then_some(PyValue::Str(text))
        }),
        StrFormat::TimeAsSent => crate::Time::parse(s).map(|t| {
            let text = match t {
                crate::Time::Naive(n) => n.format("%H:%M:%S%.6f").to_string(),
                crate::Time::Aware(n, o) => format!("{}{o}", n.format("%H:%M:%S%.6f")),
            };
            (text != s).then_some(PyValue::Str(text))
        }),
        StrFormat::Time => lax::parse_time(s).map(|t| {
            let text = t.format("%H:%M:%S%.6f").to_string();
            (text != s).then_some(PyValue::Str(text))
        }),
        StrFormat::Ip(family) => lax::parse_ip(lax::IpInput::Text(s), family).map(|ip| {
            let text = ip.to_string();
            (text != s).then_some(PyValue::Str(text))
        }),
        StrFormat::IpNet(v6, interface) => lax::parse_ip_net(lax::IpInput::Text(s), v6, interface)
            .map(|(ip, prefix)| {
                let text = format!("{ip}/{prefix}");
                (text != s).then_some(PyValue::Str(text))
            }),
        StrFormat::Email => super::email::validate_email(s)
            .map(|_| None)
            .map_err(|reason| kinds::email(&reason)),
    }
}

/// A date or date-time from a number of seconds (milliseconds past 2e10)
/// since the epoch, as pydantic reads a JSON number.
/// A date's or date-time's rule on its (canonical) text.
fn temporal_holds(rule: crate::datetime::Temporal, format: StrFormat, s: &str) -> Result<(), Kind> {
    if format == StrFormat::Date {
        rule.check_date(lax::parse_date(s)?)
    } else {
        rule.check_datetime(crate::Datetime::parse(s)?)
    }
}

fn number_timestamp(v: &PyValue, date: bool) -> Result<PyValue, Kind> {
    let n = match v {
        PyValue::Int(i) => lax::Number::Int(*i),
        PyValue::BigInt(s) if s.starts_with('-') => lax::Number::Int(i128::MIN),
        PyValue::BigInt(_) => lax::Number::Int(i128::MAX),
        PyValue::Float(f) => lax::Number::Float(*f),
        _ => return Err(kinds::datetime_type()),
    };
    if date {
        let d = lax::number_date(n)?;
        return Ok(PyValue::Str(d.format("%Y-%m-%d").to_string()));
    }
    Ok(PyValue::Str(lax::number_datetime(n)?.to_rfc3339()))
}

/// The compiled schema of `T`, built once per type and shared. Keyed by
/// type with foldhash: the key is the program's own, and SipHash cost half
/// of a lookup.
pub fn cached<T: schemars::JsonSchema + 'static>() -> std::sync::Arc<Diagnoser> {
    use std::any::TypeId;
    use std::sync::{Arc, OnceLock, RwLock};
    type Cache = HashMap<TypeId, Arc<Diagnoser>, foldhash::fast::FixedState>;
    static CACHE: OnceLock<RwLock<Cache>> = OnceLock::new();
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
        let _ = d.diagnose(&v, &mut vec!["body".into()], Mode::Json, &mut out);
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
