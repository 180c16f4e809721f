//! The diagnose path: turning a refused input into FastAPI's error items.
//!
//! The fast path (serde + `FromStr`-like parsers + declared constraints) never
//! comes here. Only when it has refused an input does ferroapi re-read the input
//! the way FastAPI would: Python's JSON decoder ([`pyjson`]), pydantic's lax
//! string coercions ([`lax`]) and the type's JSON Schema compiled once at
//! start-up ([`schema`]), producing pydantic v2's `{type, loc, msg, input, ctx}`
//! items with its exact wording ([`ErrorItem`]).

pub mod email;
pub mod lax;
pub mod probe;
pub mod pyjson;
pub(crate) mod rule_errors;
pub mod schema;
pub mod value;
pub(crate) mod value_de;

use std::borrow::Cow;

pub use value::PyValue;

/// One segment of an error location (`["body", "items", 0, "name"]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocPart {
    /// An object key, parameter name or source (`"query"`).
    Key(Cow<'static, str>),
    /// A list index, or the character offset of a JSON decode error.
    Index(usize),
}

impl From<&'static str> for LocPart {
    fn from(s: &'static str) -> Self {
        LocPart::Key(Cow::Borrowed(s))
    }
}

impl From<String> for LocPart {
    fn from(s: String) -> Self {
        LocPart::Key(Cow::Owned(s))
    }
}

impl From<usize> for LocPart {
    fn from(i: usize) -> Self {
        LocPart::Index(i)
    }
}

/// An error location.
pub type Loc = Vec<LocPart>;

/// One item of a 422 `detail` list, exactly as pydantic v2 reports it through FastAPI.
#[derive(Debug, Clone, PartialEq)]
pub struct ErrorItem {
    /// The error type (`missing`, `int_parsing`, ...).
    pub kind: Cow<'static, str>,
    /// Where the error is (`["query", "limit"]`).
    pub loc: Loc,
    /// The human message.
    pub msg: Cow<'static, str>,
    /// The offending input, as FastAPI echoes it.
    pub input: PyValue,
    /// Extra context (`{"gt": 0}`), in pydantic's key order.
    pub ctx: Option<Ctx>,
}

/// An error's context: (key, value) pairs in pydantic's order. A declared
/// rule's context is made the first time the rule fails and borrowed by
/// every error it reports after; one with the input in it is owned.
pub type Ctx = Cow<'static, [(Cow<'static, str>, PyValue)]>;

impl ErrorItem {
    /// A new item without context.
    pub fn new(
        kind: impl Into<Cow<'static, str>>,
        loc: Loc,
        msg: impl Into<Cow<'static, str>>,
        input: PyValue,
    ) -> Self {
        ErrorItem {
            kind: kind.into(),
            loc,
            msg: msg.into(),
            input,
            ctx: None,
        }
    }

    /// Builds an item from a catalogue entry.
    pub fn from_kind(k: Kind, loc: Loc, input: PyValue) -> Self {
        ErrorItem {
            kind: Cow::Borrowed(k.kind),
            loc,
            msg: k.msg,
            input,
            ctx: k.ctx,
        }
    }

    /// `missing` — "Field required".
    pub fn missing(loc: Loc, input: PyValue) -> Self {
        ErrorItem::new("missing", loc, "Field required", input)
    }

    /// Writes the item as compact JSON with FastAPI's key order.
    pub fn write_json(&self, out: &mut String) {
        // An error with a message and context kept for the process (a
        // rule's, a fixed one's) has its type, message and context written
        // once: only its location and input are written here.
        if let Some(parts) = rule_errors::rendered(self) {
            out.push_str(&parts.head);
            self.write_loc(out);
            out.push_str(&parts.middle);
            self.input.write_json(out);
            out.push_str(&parts.tail);
            return;
        }
        write_head(&self.kind, out);
        self.write_loc(out);
        write_middle(&self.msg, out);
        self.input.write_json(out);
        write_tail(self.ctx.as_deref(), out);
    }

    fn write_loc(&self, out: &mut String) {
        for (i, part) in self.loc.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            match part {
                LocPart::Key(k) => value::write_json_str(k, out),
                LocPart::Index(n) => out.push_str(itoa::Buffer::new().format(*n)),
            }
        }
    }

    /// The item as a `serde_json::Value` (for custom validation-error handlers).
    pub fn to_json(&self) -> serde_json::Value {
        let mut s = String::new();
        self.write_json(&mut s);
        serde_json::from_str(&s).unwrap_or(serde_json::Value::Null)
    }

    /// Where FastAPI sorts this item: path, query, header, cookie, then body.
    pub(crate) fn source_rank(&self) -> u8 {
        match self.loc.first() {
            Some(LocPart::Key(k)) => match k.as_ref() {
                "path" => 0,
                "query" => 1,
                "header" => 2,
                "cookie" => 3,
                _ => 4,
            },
            _ => 4,
        }
    }
}

/// Writes `{"detail":[...]}` for a list of items.
pub fn detail_json(items: &[ErrorItem]) -> String {
    // A body past the decoder's budget is written whole as an input: room
    // for it up front, or the answer would double (and copy) itself.
    let raw: usize = items.iter().map(|i| i.input.raw_len()).sum();
    let mut out = String::with_capacity(64 + 160 * items.len() + raw);
    out.push_str("{\"detail\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        item.write_json(&mut out);
    }
    out.push_str("]}");
    out
}

/// An item's JSON up to its location's first part: `{"type":"…","loc":[`.
fn write_head(kind: &str, out: &mut String) {
    out.push_str("{\"type\":");
    value::write_json_str(kind, out);
    out.push_str(",\"loc\":[");
}

/// Between location and input: `],"msg":"…","input":`.
fn write_middle(msg: &str, out: &mut String) {
    out.push_str("],\"msg\":");
    value::write_json_str(msg, out);
    out.push_str(",\"input\":");
}

/// After the input: `,"ctx":{…}}`, or `}` without a context.
fn write_tail(ctx: Option<&[(Cow<'static, str>, PyValue)]>, out: &mut String) {
    if let Some(ctx) = ctx {
        out.push_str(",\"ctx\":{");
        for (i, (k, v)) in ctx.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            value::write_json_str(k, out);
            out.push(':');
            v.write_json(out);
        }
        out.push('}');
    }
    out.push('}');
}

/// An error type with its message and context, before a location is attached:
/// the pydantic-core catalogue that ferroapi reproduces.
#[derive(Debug, Clone, PartialEq)]
pub struct Kind {
    /// The type.
    pub kind: &'static str,
    /// The message.
    pub msg: Cow<'static, str>,
    /// The context.
    pub ctx: Option<Ctx>,
}

fn kind(kind: &'static str, msg: impl Into<Cow<'static, str>>) -> Kind {
    Kind {
        kind,
        msg: msg.into(),
        ctx: None,
    }
}

fn kind_ctx(kind: &'static str, msg: String, key: &'static str, v: PyValue) -> Kind {
    Kind {
        kind,
        msg: Cow::Owned(msg),
        ctx: Some(Cow::Owned(vec![(Cow::Borrowed(key), v)])),
    }
}

/// Numeric constraint value as it appears in `ctx`: an int for integer fields,
/// a float for float fields (pydantic keeps the field's type).
pub fn ctx_number(v: f64, integer_field: bool) -> PyValue {
    if integer_field && v.fract() == 0.0 && v.abs() < 1e18 {
        PyValue::Int(v as i128)
    } else {
        PyValue::Float(v)
    }
}

/// Appends `n word` or `n words`.
fn push_plural(out: &mut String, n: usize, word: &str) {
    out.push_str(itoa::Buffer::new().format(n));
    out.push(' ');
    out.push_str(word);
    if n != 1 {
        out.push('s');
    }
}

/// The catalogue of pydantic-core messages used by ferroapi.
pub mod kinds {
    use super::rule_errors::{self, Rule};
    use super::*;

    /// `int_parsing`
    pub fn int_parsing() -> Kind {
        kind(
            "int_parsing",
            "Input should be a valid integer, unable to parse string as an integer",
        )
    }
    /// `int_parsing_size`: a float beyond the 64-bit integers read as an
    /// int, or a number too large for an enum's or literal's integers.
    pub fn int_parsing_size() -> Kind {
        kind(
            "int_parsing_size",
            "Unable to parse input string as an integer, exceeded maximum size",
        )
    }
    /// `int_type`
    pub fn int_type() -> Kind {
        kind("int_type", "Input should be a valid integer")
    }
    /// `int_from_float`
    pub fn int_from_float() -> Kind {
        kind(
            "int_from_float",
            "Input should be a valid integer, got a number with a fractional part",
        )
    }
    /// `float_parsing`
    pub fn float_parsing() -> Kind {
        kind(
            "float_parsing",
            "Input should be a valid number, unable to parse string as a number",
        )
    }
    /// `float_type`
    pub fn float_type() -> Kind {
        kind("float_type", "Input should be a valid number")
    }
    /// `finite_number`
    pub fn finite_number() -> Kind {
        kind("finite_number", "Input should be a finite number")
    }
    /// `decimal_type`: not a number or text.
    pub fn decimal_type() -> Kind {
        kind(
            "decimal_type",
            "Decimal input should be an integer, float, string or Decimal object",
        )
    }
    /// `decimal_parsing`
    pub fn decimal_parsing() -> Kind {
        kind("decimal_parsing", "Input should be a valid decimal")
    }
    /// `decimal_max_digits`
    pub fn decimal_max_digits(max: u32) -> Kind {
        decimal_digits(
            "decimal_max_digits",
            "max_digits",
            max,
            "digit",
            " in total",
        )
    }
    /// `decimal_max_places`
    pub fn decimal_max_places(max: u32) -> Kind {
        decimal_digits(
            "decimal_max_places",
            "decimal_places",
            max,
            "decimal place",
            "",
        )
    }
    /// `decimal_whole_digits`
    pub fn decimal_whole_digits(max: u32) -> Kind {
        decimal_digits(
            "decimal_whole_digits",
            "whole_digits",
            max,
            "digit",
            " before the decimal point",
        )
    }
    fn decimal_digits(
        kind: &'static str,
        key: &'static str,
        max: u32,
        word: &str,
        tail: &str,
    ) -> Kind {
        let mut msg = String::from("Decimal input should have no more than ");
        push_plural(&mut msg, max as usize, word);
        msg.push_str(tail);
        kind_ctx(kind, msg, key, PyValue::Int(max.into()))
    }
    /// `bool_parsing`
    pub fn bool_parsing() -> Kind {
        kind(
            "bool_parsing",
            "Input should be a valid boolean, unable to interpret input",
        )
    }
    /// `bool_type`
    pub fn bool_type() -> Kind {
        kind("bool_type", "Input should be a valid boolean")
    }
    /// `string_type`
    pub fn string_type() -> Kind {
        kind("string_type", "Input should be a valid string")
    }
    /// `list_type`
    pub fn list_type() -> Kind {
        kind("list_type", "Input should be a valid list")
    }
    /// `dict_type`
    pub fn dict_type() -> Kind {
        kind("dict_type", "Input should be a valid dictionary")
    }
    /// `recursion_depth_exceeded`
    pub fn recursion_depth_exceeded() -> Kind {
        kind(
            "recursion_depth_exceeded",
            "Recursion error - maximum validation depth exceeded",
        )
    }
    /// `model_attributes_type`
    pub fn model_attributes_type() -> Kind {
        kind(
            "model_attributes_type",
            "Input should be a valid dictionary or object to extract fields from",
        )
    }
    /// `extra_forbidden`
    pub fn extra_forbidden() -> Kind {
        kind("extra_forbidden", "Extra inputs are not permitted")
    }
    /// `string_too_short`
    pub fn string_too_short(min: usize) -> Kind {
        let words = ("String", "at least", "character");
        text_length(
            Rule::StringTooShort,
            "string_too_short",
            words,
            min,
            "min_length",
        )
    }
    /// `string_too_long`
    pub fn string_too_long(max: usize) -> Kind {
        let words = ("String", "at most", "character");
        text_length(
            Rule::StringTooLong,
            "string_too_long",
            words,
            max,
            "max_length",
        )
    }
    /// `bytes_too_short`
    pub fn bytes_too_short(min: usize) -> Kind {
        let words = ("Data", "at least", "byte");
        text_length(
            Rule::BytesTooShort,
            "bytes_too_short",
            words,
            min,
            "min_length",
        )
    }
    /// `bytes_too_long`
    pub fn bytes_too_long(max: usize) -> Kind {
        let words = ("Data", "at most", "byte");
        text_length(
            Rule::BytesTooLong,
            "bytes_too_long",
            words,
            max,
            "max_length",
        )
    }
    /// `bytes_type`
    pub fn bytes_type() -> Kind {
        kind("bytes_type", "Input should be a valid bytes")
    }
    /// `string_pattern_mismatch`
    pub fn string_pattern_mismatch(pattern: &str) -> Kind {
        rule_errors::pattern(pattern, || {
            kind_ctx(
                "string_pattern_mismatch",
                ["String should match pattern '", pattern, "'"].concat(),
                "pattern",
                PyValue::Str(pattern.to_string()),
            )
        })
    }
    /// `greater_than`
    pub fn greater_than(v: f64, int: bool) -> Kind {
        number_rule(
            Rule::GreaterThan,
            ("greater_than", "Input should be greater than ", "gt"),
            v,
            int,
        )
    }
    /// `greater_than_equal`
    pub fn greater_than_equal(v: f64, int: bool) -> Kind {
        number_rule(
            Rule::GreaterThanEqual,
            (
                "greater_than_equal",
                "Input should be greater than or equal to ",
                "ge",
            ),
            v,
            int,
        )
    }
    /// `less_than`
    pub fn less_than(v: f64, int: bool) -> Kind {
        number_rule(
            Rule::LessThan,
            ("less_than", "Input should be less than ", "lt"),
            v,
            int,
        )
    }
    /// `less_than_equal`
    pub fn less_than_equal(v: f64, int: bool) -> Kind {
        number_rule(
            Rule::LessThanEqual,
            (
                "less_than_equal",
                "Input should be less than or equal to ",
                "le",
            ),
            v,
            int,
        )
    }
    /// `less_than_equal` for an integer type's maximum (exact digits).
    pub fn int_above_max(max: i128) -> Kind {
        int_limit(
            Rule::IntAboveMax,
            (
                "less_than_equal",
                "Input should be less than or equal to ",
                "le",
            ),
            max,
        )
    }
    /// `greater_than_equal` for an integer type's minimum (exact digits).
    pub fn int_below_min(min: i128) -> Kind {
        int_limit(
            Rule::IntBelowMin,
            (
                "greater_than_equal",
                "Input should be greater than or equal to ",
                "ge",
            ),
            min,
        )
    }
    /// `multiple_of`
    pub fn multiple_of(v: f64, int: bool) -> Kind {
        number_rule(
            Rule::MultipleOf,
            (
                "multiple_of",
                "Input should be a multiple of ",
                "multiple_of",
            ),
            v,
            int,
        )
    }
    /// `too_short` (lists)
    pub fn too_short(min: usize, actual: usize) -> Kind {
        let actual = PyValue::Int(actual as i128);
        collection_length("too_short", "List", ("at least", "min_length"), min, actual)
    }
    /// `union_tag_not_found`: a discriminated union's input without its tag.
    pub fn union_tag_not_found(discriminator: &str) -> Kind {
        kind_ctx(
            "union_tag_not_found",
            format!("Unable to extract tag using discriminator '{discriminator}'"),
            "discriminator",
            PyValue::Str(format!("'{discriminator}'")),
        )
    }
    /// `union_tag_invalid`: a tag that names no member; `expected` is
    /// rendered (`'cat', 'dog'`).
    pub fn union_tag_invalid(discriminator: &str, tag: &str, expected: &str) -> Kind {
        Kind {
            kind: "union_tag_invalid",
            msg: Cow::Owned(format!(
                "Input tag '{tag}' found using '{discriminator}' does not match any of the expected tags: {expected}"
            )),
            ctx: Some(Ctx::Owned(vec![
                (Cow::Borrowed("discriminator"), PyValue::Str(format!("'{discriminator}'"))),
                (Cow::Borrowed("tag"), PyValue::Str(tag.to_string())),
                (Cow::Borrowed("expected_tags"), PyValue::Str(expected.to_string())),
            ])),
        }
    }
    /// `too_short` (dicts)
    pub fn dict_too_short(min: usize, actual: usize) -> Kind {
        let actual = PyValue::Int(actual as i128);
        collection_length(
            "too_short",
            "Dictionary",
            ("at least", "min_length"),
            min,
            actual,
        )
    }
    /// `too_long` (dicts): pydantic stops counting, so no actual length.
    pub fn dict_too_long(max: usize) -> Kind {
        collection_length(
            "too_long",
            "Dictionary",
            ("at most", "max_length"),
            max,
            PyValue::Null,
        )
    }
    /// `too_long` (lists)
    pub fn too_long(max: usize, actual: usize) -> Kind {
        let actual = PyValue::Int(actual as i128);
        collection_length("too_long", "List", ("at most", "max_length"), max, actual)
    }
    /// `too_long` for a tuple or a set (`Tuple`, `Set`). pydantic stops
    /// counting a set at the first item past the maximum: its length is
    /// `None` ("not more").
    pub fn too_long_of(field_type: &str, max: usize, actual: Option<usize>) -> Kind {
        let actual = actual.map_or(PyValue::Null, |a| PyValue::Int(a as i128));
        collection_length(
            "too_long",
            field_type,
            ("at most", "max_length"),
            max,
            actual,
        )
    }
    /// `too_short` for a tuple or a set.
    pub fn too_short_of(field_type: &str, min: usize, actual: usize) -> Kind {
        let actual = PyValue::Int(actual as i128);
        collection_length(
            "too_short",
            field_type,
            ("at least", "min_length"),
            min,
            actual,
        )
    }
    /// `tuple_type`
    pub fn tuple_type() -> Kind {
        kind("tuple_type", "Input should be a valid tuple")
    }
    /// `set_type`
    pub fn set_type() -> Kind {
        kind("set_type", "Input should be a valid set")
    }
    /// An integer type's limit: the bound's digits exact (no float between).
    fn int_limit(
        rule: Rule,
        (kind, words, key): (&'static str, &str, &'static str),
        n: i128,
    ) -> Kind {
        rule_errors::bound(rule, n as u128, true, || {
            let msg = [words, itoa::Buffer::new().format(n)].concat();
            kind_ctx(kind, msg, key, PyValue::Int(n))
        })
    }
    /// A numeric bound's error: its type, its message's words before the
    /// bound, its `ctx` key.
    fn number_rule(
        rule: Rule,
        (kind, words, key): (&'static str, &str, &'static str),
        v: f64,
        int: bool,
    ) -> Kind {
        rule_errors::bound(rule, v.to_bits().into(), int, || {
            kind_ctx(
                kind,
                value::message_with_number(words, v),
                key,
                ctx_number(v, int),
            )
        })
    }
    /// A string's or bytes' length rule: `String should have at most 3
    /// characters`.
    fn text_length(
        rule: Rule,
        kind: &'static str,
        (subject, bound, unit): (&str, &str, &str),
        n: usize,
        key: &'static str,
    ) -> Kind {
        rule_errors::bound(rule, n as u128, false, || {
            // One allocation: the count and its unit are appended in place.
            let mut msg = String::with_capacity(subject.len() + bound.len() + unit.len() + 40);
            msg.push_str(subject);
            msg.push_str(" should have ");
            msg.push_str(bound);
            msg.push(' ');
            push_plural(&mut msg, n, unit);
            kind_ctx(kind, msg, key, PyValue::Int(n as i128))
        })
    }
    /// A list's or dict's length rule, with its `field_type` and the length
    /// found (`None` when pydantic stops counting).
    fn collection_length(
        kind: &'static str,
        field_type: &str,
        (bound, key): (&str, &'static str),
        n: usize,
        actual: PyValue,
    ) -> Kind {
        let found = match &actual {
            PyValue::Int(a) => a.to_string(),
            _ => "more".to_string(),
        };
        let mut msg = format!("{field_type} should have {bound} ");
        push_plural(&mut msg, n, "item");
        msg.push_str(" after validation, not ");
        msg.push_str(&found);
        Kind {
            kind,
            msg: Cow::Owned(msg),
            ctx: Some(Ctx::Owned(vec![
                (Cow::Borrowed("field_type"), PyValue::Str(field_type.into())),
                (Cow::Borrowed(key), PyValue::Int(n as i128)),
                (Cow::Borrowed("actual_length"), actual),
            ])),
        }
    }
    /// `enum` / `literal_error`: `expected` is already rendered (`'a', 'b' or 'c'`).
    pub fn enumeration(expected: &str, literal: bool) -> Kind {
        kind_ctx(
            if literal { "literal_error" } else { "enum" },
            format!("Input should be {expected}"),
            "expected",
            PyValue::Str(expected.to_string()),
        )
    }
    /// `uuid_parsing`
    pub fn uuid_parsing(err: String) -> Kind {
        kind_ctx(
            "uuid_parsing",
            format!("Input should be a valid UUID, {err}"),
            "error",
            PyValue::Str(err),
        )
    }
    /// `uuid_type`
    pub fn uuid_type() -> Kind {
        kind(
            "uuid_type",
            "UUID input should be a string, bytes or UUID object",
        )
    }
    /// `date_from_datetime_parsing`
    pub fn date_parsing(err: &str) -> Kind {
        kind_ctx(
            "date_from_datetime_parsing",
            format!("Input should be a valid date or datetime, {err}"),
            "error",
            PyValue::Str(err.to_string()),
        )
    }
    /// `date_parsing` (a date pydantic reads as text but cannot hold: year 0)
    pub fn date_only_parsing(err: &str) -> Kind {
        kind_ctx(
            "date_parsing",
            format!("Input should be a valid date in the format YYYY-MM-DD, {err}"),
            "error",
            PyValue::Str(err.to_string()),
        )
    }
    /// `datetime_parsing` (as `date_only_parsing`, for a date-time)
    pub fn datetime_only_parsing(err: &str) -> Kind {
        kind_ctx(
            "datetime_parsing",
            format!("Input should be a valid datetime, {err}"),
            "error",
            PyValue::Str(err.to_string()),
        )
    }
    /// `date_from_datetime_inexact`
    pub fn date_inexact() -> Kind {
        kind(
            "date_from_datetime_inexact",
            "Datetimes provided to dates should have zero time - e.g. be exact dates",
        )
    }
    /// `date_type`
    pub fn date_type() -> Kind {
        kind("date_type", "Input should be a valid date")
    }
    /// `datetime_from_date_parsing`
    pub fn datetime_parsing(err: &str) -> Kind {
        kind_ctx(
            "datetime_from_date_parsing",
            format!("Input should be a valid datetime or date, {err}"),
            "error",
            PyValue::Str(err.to_string()),
        )
    }
    /// `time_parsing`
    pub fn time_parsing(err: &str) -> Kind {
        kind_ctx(
            "time_parsing",
            format!("Input should be in a valid time format, {err}"),
            "error",
            PyValue::Str(err.to_string()),
        )
    }
    /// `time_type`
    pub fn time_type() -> Kind {
        kind("time_type", "Input should be a valid time")
    }
    /// `ip_v4_address`
    pub fn ip_v4_address() -> Kind {
        kind("ip_v4_address", "Input is not a valid IPv4 address")
    }
    /// `ip_v6_address`
    pub fn ip_v6_address() -> Kind {
        kind("ip_v6_address", "Input is not a valid IPv6 address")
    }
    /// `ip_v4_network`, `ip_v6_network`, `ip_any_network` and the
    /// `_interface` kinds (`v6`: `None` for either family).
    pub fn ip_network(v6: Option<bool>, interface: bool) -> Kind {
        let what = if interface { "interface" } else { "network" };
        match v6 {
            None => Kind {
                kind: if interface {
                    "ip_any_interface"
                } else {
                    "ip_any_network"
                },
                msg: format!("value is not a valid IPv4 or IPv6 {what}").into(),
                ctx: None,
            },
            Some(six) => Kind {
                kind: match (six, interface) {
                    (false, false) => "ip_v4_network",
                    (true, false) => "ip_v6_network",
                    (false, true) => "ip_v4_interface",
                    (true, true) => "ip_v6_interface",
                },
                msg: format!("Input is not a valid IPv{} {what}", if six { 6 } else { 4 }).into(),
                ctx: None,
            },
        }
    }
    /// `ip_any_address`
    pub fn ip_any_address() -> Kind {
        kind(
            "ip_any_address",
            "value is not a valid IPv4 or IPv6 address",
        )
    }
    /// `datetime_type`
    pub fn datetime_type() -> Kind {
        kind("datetime_type", "Input should be a valid datetime")
    }
    /// `timezone_aware` (pydantic's `AwareDatetime` given a naive value)
    pub fn timezone_aware() -> Kind {
        kind("timezone_aware", "Input should have timezone info")
    }
    /// `timezone_naive` (pydantic's `NaiveDatetime` given an aware value)
    pub fn timezone_naive() -> Kind {
        kind("timezone_naive", "Input should not have timezone info")
    }
    /// `date_past`
    pub fn date_past() -> Kind {
        kind("date_past", "Date should be in the past")
    }
    /// `date_future`
    pub fn date_future() -> Kind {
        kind("date_future", "Date should be in the future")
    }
    /// `datetime_past`
    pub fn datetime_past() -> Kind {
        kind("datetime_past", "Input should be in the past")
    }
    /// `datetime_future`
    pub fn datetime_future() -> Kind {
        kind("datetime_future", "Input should be in the future")
    }
    /// `url_parsing`
    pub fn url_parsing(err: &str) -> Kind {
        kind_ctx(
            "url_parsing",
            format!("Input should be a valid URL, {err}"),
            "error",
            PyValue::Str(err.to_string()),
        )
    }
    /// `url_scheme`: `expected` is rendered (`'http' or 'https'`).
    pub fn url_scheme(expected: &str) -> Kind {
        kind_ctx(
            "url_scheme",
            format!("URL scheme should be {expected}"),
            "expected_schemes",
            PyValue::Str(expected.to_string()),
        )
    }
    /// `url_too_long`
    pub fn url_too_long(max: usize) -> Kind {
        kind_ctx(
            "url_too_long",
            format!("URL should have at most {max} characters"),
            "max_length",
            PyValue::Int(max as i128),
        )
    }
    /// `url_type`
    pub fn url_type() -> Kind {
        kind("url_type", "URL input should be a string or URL")
    }
    /// `uuid_version`
    pub fn uuid_version(expected: u8) -> Kind {
        kind_ctx(
            "uuid_version",
            format!("UUID version {expected} expected"),
            "expected_version",
            PyValue::Int(i128::from(expected)),
        )
    }
    /// `time_delta_parsing`
    pub fn time_delta_parsing(err: &str) -> Kind {
        kind_ctx(
            "time_delta_parsing",
            format!("Input should be a valid timedelta, {err}"),
            "error",
            PyValue::Str(err.to_string()),
        )
    }
    /// `time_delta_type`
    pub fn time_delta_type() -> Kind {
        kind("time_delta_type", "Input should be a valid timedelta")
    }
    /// pydantic's `EmailStr` error: `value_error` with the validator's reason.
    pub fn email(reason: &str) -> Kind {
        Kind {
            kind: "value_error",
            msg: Cow::Owned(format!("value is not a valid email address: {reason}")),
            ctx: Some(Ctx::Owned(vec![(
                Cow::Borrowed("reason"),
                PyValue::Str(reason.to_string()),
            )])),
        }
    }

    /// A custom validator's error (pydantic's `ValueError` in a validator).
    pub fn value_error(msg: &str) -> Kind {
        Kind {
            kind: "value_error",
            msg: Cow::Owned(format!("Value error, {msg}")),
            ctx: Some(Ctx::Owned(vec![(
                Cow::Borrowed("error"),
                PyValue::Dict(vec![]),
            )])),
        }
    }
}

/// Renders an enum's expected values as pydantic does: `'a', 'b' or 'c'`.
pub fn expected_list(values: &[PyValue]) -> String {
    let rendered: Vec<String> = values
        .iter()
        .map(|v| match v {
            PyValue::Str(s) => format!("'{s}'"),
            other => {
                let mut s = String::new();
                other.write_json(&mut s);
                s
            }
        })
        .collect();
    match rendered.len() {
        0 => String::new(),
        1 => rendered[0].clone(),
        n => format!("{} or {}", rendered[..n - 1].join(", "), rendered[n - 1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_json_has_fastapi_key_order() {
        let item = ErrorItem::from_kind(
            kinds::greater_than(0.0, false),
            vec!["path".into(), "x".into()],
            PyValue::Str("0".into()),
        );
        let mut s = String::new();
        item.write_json(&mut s);
        assert_eq!(
            s,
            r#"{"type":"greater_than","loc":["path","x"],"msg":"Input should be greater than 0","input":"0","ctx":{"gt":0.0}}"#
        );
    }

    #[test]
    fn expected_values_render_like_pydantic() {
        let v = [
            PyValue::Str("red".into()),
            PyValue::Str("green".into()),
            PyValue::Str("blue".into()),
        ];
        assert_eq!(expected_list(&v), "'red', 'green' or 'blue'");
        assert_eq!(expected_list(&v[..1]), "'red'");
        assert_eq!(expected_list(&[PyValue::Int(1), PyValue::Int(2)]), "1 or 2");
    }
}
