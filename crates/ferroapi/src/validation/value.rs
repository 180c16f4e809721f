//! The diagnose path's view of an input: a JSON value as Python's `json` module
//! sees it (exact big integers, duplicate keys resolved last-wins in first-seen
//! order), and a writer that prints it the way `json.dumps` does, so that the
//! `input` of a 422 item is byte-identical to FastAPI's.

use std::fmt::Write as _;

/// A decoded input value, as FastAPI would hand it to pydantic.
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    /// `null` / `None`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits in 128 bits.
    Int(i128),
    /// An integer too large for 128 bits, kept as its decimal digits.
    BigInt(String),
    /// A float (may be infinite or NaN, as Python's decoder allows).
    Float(f64),
    /// A string.
    Str(String),
    /// A list.
    List(Vec<PyValue>),
    /// An object, in first-seen key order.
    Dict(Vec<(String, PyValue)>),
    /// A list kept as its compact JSON text, and its length: the decoder's
    /// budget of values was spent (`pyjson::Limits`). Its kind and length are
    /// known, its items are not looked at. Shared, and held as it was
    /// written (an `Arc<str>` would copy a body-sized text once more).
    RawList(std::sync::Arc<String>, usize),
    /// An object kept as its compact JSON text (see `RawList`).
    RawDict(std::sync::Arc<String>),
}

impl PyValue {
    /// An empty object, FastAPI's `input` for body-level decode errors.
    pub fn empty_dict() -> Self {
        PyValue::Dict(Vec::new())
    }

    /// The bytes of the text kept for its parts past the decoder's budget
    /// (`RawList`, `RawDict`): what writing it costs beyond its tree.
    pub fn raw_len(&self) -> usize {
        match self {
            PyValue::RawList(t, _) | PyValue::RawDict(t) => t.len(),
            PyValue::List(items) => items.iter().map(Self::raw_len).sum(),
            PyValue::Dict(items) => items.iter().map(|(_, v)| v.raw_len()).sum(),
            _ => 0,
        }
    }

    /// Whether any part of the value was kept as text (`RawList`, `RawDict`).
    pub fn contains_raw(&self) -> bool {
        match self {
            PyValue::RawList(..) | PyValue::RawDict(_) => true,
            PyValue::List(items) => items.iter().any(Self::contains_raw),
            PyValue::Dict(items) => items.iter().any(|(_, v)| v.contains_raw()),
            _ => false,
        }
    }

    /// Whether lists and objects nest more than `limit` levels deep (found
    /// without recursion, so any depth is safe to ask about).
    pub fn nests_deeper_than(&self, limit: usize) -> bool {
        let mut stack = vec![(self, 0usize)];
        while let Some((v, depth)) = stack.pop() {
            match v {
                PyValue::List(_) | PyValue::Dict(_) if depth >= limit => return true,
                PyValue::List(items) => stack.extend(items.iter().map(|c| (c, depth + 1))),
                PyValue::Dict(items) => stack.extend(items.iter().map(|(_, c)| (c, depth + 1))),
                _ => {}
            }
        }
        false
    }

    /// Looks a key up in an object.
    pub fn get(&self, key: &str) -> Option<&PyValue> {
        match self {
            PyValue::Dict(items) => items.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Converts a `serde_json::Value` (e.g. a user's `ctx`) into a `PyValue`.
    pub fn from_json(v: &serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => PyValue::Null,
            serde_json::Value::Bool(b) => PyValue::Bool(*b),
            serde_json::Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    PyValue::Int(i.into())
                } else if let Some(u) = n.as_u64() {
                    PyValue::Int(u.into())
                } else {
                    PyValue::Float(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            serde_json::Value::String(s) => PyValue::Str(s.clone()),
            serde_json::Value::Array(a) => PyValue::List(a.iter().map(Self::from_json).collect()),
            serde_json::Value::Object(o) => PyValue::Dict(
                o.iter()
                    .map(|(k, v)| (k.clone(), Self::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Converts into a `serde_json::Value` (floats that JSON cannot hold become `null`,
    /// big integers become floats).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            PyValue::Null => serde_json::Value::Null,
            PyValue::Bool(b) => (*b).into(),
            PyValue::Int(i) => {
                if let Ok(v) = i64::try_from(*i) {
                    v.into()
                } else if let Ok(v) = u64::try_from(*i) {
                    v.into()
                } else {
                    serde_json::Number::from_f64(*i as f64)
                        .map(serde_json::Value::Number)
                        .unwrap_or(serde_json::Value::Null)
                }
            }
            PyValue::BigInt(s) => s
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            PyValue::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            PyValue::Str(s) => s.clone().into(),
            PyValue::List(l) => l.iter().map(Self::to_json).collect(),
            PyValue::Dict(d) => {
                serde_json::Value::Object(d.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
            }
            PyValue::RawList(t, _) | PyValue::RawDict(t) => {
                serde_json::from_str(t).unwrap_or(serde_json::Value::Null)
            }
        }
    }

    /// Appends this value as compact JSON the way `json.dumps(..., separators=(",", ":"),
    /// ensure_ascii=False)` writes it, except non-finite floats: `null`, so that the
    /// answer is always JSON (Python writes `NaN`, which no JSON parser reads, and
    /// FastAPI's own response fails on it with a 500).
    pub fn write_json(&self, out: &mut String) {
        self.write(out, false)
    }

    /// The same, with non-finite floats as Python's `json.dumps` writes them
    /// (`NaN`, `Infinity`, `-Infinity`): text that reads back, through
    /// [`pyjson`](super::pyjson), to this same value.
    pub(crate) fn write_pyjson(&self, out: &mut String) {
        self.write(out, true)
    }

    fn write(&self, out: &mut String, nonfinite: bool) {
        match self {
            PyValue::Null => out.push_str("null"),
            PyValue::Bool(true) => out.push_str("true"),
            PyValue::Bool(false) => out.push_str("false"),
            PyValue::Int(i) => out.push_str(itoa::Buffer::new().format(*i)),
            PyValue::BigInt(s) => out.push_str(s),
            PyValue::Float(f) if nonfinite && f.is_nan() => out.push_str("NaN"),
            PyValue::Float(f) if nonfinite && f.is_infinite() => {
                out.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" })
            }
            PyValue::Float(f) => write_py_float(*f, out),
            PyValue::Str(s) => write_json_str(s, out),
            PyValue::List(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    v.write(out, nonfinite);
                }
                out.push(']');
            }
            PyValue::Dict(items) => {
                out.push('{');
                for (i, (k, v)) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_json_str(k, out);
                    out.push(':');
                    v.write(out, nonfinite);
                }
                out.push('}');
            }
            PyValue::RawList(t, _) | PyValue::RawDict(t) => out.push_str(t),
        }
    }
}

/// Writes a string as a JSON literal (non-ASCII kept raw, as `ensure_ascii=False`).
pub fn write_json_str(s: &str, out: &mut String) {
    out.reserve(s.len() + 2);
    out.push('"');
    // Copy the runs between escapes whole, found eight bytes at a time: most
    // strings (messages, keys, types) have none and are one copy. Every byte
    // that needs an escape is ASCII, so each cut falls on a character
    // boundary.
    let bytes = s.as_bytes();
    let mut start = 0;
    while let Some(offset) = first_escape(&bytes[start..]) {
        let i = start + offset;
        out.push_str(&s[start..i]);
        match bytes[i] {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            b => {
                let _ = write!(out, "\\u{b:04x}");
            }
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// The first byte of a JSON string that needs an escape: a control byte, `"`
/// or `\\`. Eight bytes a step, each test a borrow across the bytes of a
/// word ("has a byte below n" and "has a zero byte" of Bit Twiddling Hacks):
/// a borrow only runs upwards, so the lowest flagged byte is a true one.
pub(crate) fn first_escape(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    fn flagged(w: u64) -> u64 {
        let control = w.wrapping_sub(ONES * 0x20) & !w;
        let q = w ^ (ONES * u64::from(b'"'));
        let quote = q.wrapping_sub(ONES) & !q;
        let b = w ^ (ONES * u64::from(b'\\'));
        let backslash = b.wrapping_sub(ONES) & !b;
        (control | quote | backslash) & HIGH
    }
    let n = bytes.len();
    if n < 8 {
        return bytes
            .iter()
            .position(|&c| c < 0x20 || c == b'"' || c == b'\\');
    }
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&bytes[i..i + 8]);
        flagged(u64::from_le_bytes(w))
    };
    let at = |base: usize, mask: u64| base + (mask.trailing_zeros() / 8) as usize;
    let mut i = 0;
    while i + 8 <= n {
        let mask = word(i);
        if mask != 0 {
            return Some(at(i, mask));
        }
        i += 8;
    }
    // The tail as the last eight bytes, overlapping words already found
    // clean: no copy into a padded word.
    if i < n {
        let mask = word(n - 8);
        if mask != 0 {
            return Some(at(n - 8, mask));
        }
    }
    None
}

/// Python's `repr(float)`: shortest round-trip digits, scientific notation when the
/// decimal exponent is below -4 or at least 16 (`1e-05`, `1e+16`, `0.0001`, `1.0`);
/// `null` for NaN and the infinities (JSON has no such numbers).
pub fn write_py_float(f: f64, out: &mut String) {
    if f.is_finite() {
        write_finite_float(f, out);
    } else {
        out.push_str("null");
    }
}

/// Python's `repr(float)` as a string (finite values).
pub fn py_float_repr(f: f64) -> String {
    let mut s = String::new();
    write_finite_float(f, &mut s);
    s
}

/// Python's `repr(float)` of a finite value, appended to `out`.
fn write_finite_float(f: f64, out: &mut String) {
    if f == 0.0 {
        out.push_str(if f.is_sign_negative() { "-0.0" } else { "0.0" });
        return;
    }
    // A whole number below 1e16 (Python's switch to exponents): its digits
    // and ".0", without the formatting machinery.
    if f.fract() == 0.0 && f.abs() < 1e16 {
        out.push_str(itoa::Buffer::new().format(f as i64));
        out.push_str(".0");
        return;
    }
    // `{:e}` gives the shortest round-trip digits: "1.2345e-7".
    let sci = format!("{f:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let negative = mantissa.starts_with('-');
    let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
    if negative {
        out.push('-');
    }
    if (-4..16).contains(&exp) {
        if exp < 0 {
            out.push_str("0.");
            for _ in 0..(-exp - 1) {
                out.push('0');
            }
            out.push_str(&digits);
        } else {
            let int_len = exp as usize + 1;
            if digits.len() <= int_len {
                out.push_str(&digits);
                for _ in digits.len()..int_len {
                    out.push('0');
                }
                out.push_str(".0");
            } else {
                out.push_str(&digits[..int_len]);
                out.push('.');
                out.push_str(&digits[int_len..]);
            }
        }
    } else {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
}

/// Formats a constraint the way pydantic-core's messages print numbers
/// (`0` for `0.0`, `0.5`, `10`).
pub fn number_in_message(f: f64) -> String {
    message_with_number("", f)
}

/// `prefix` then the number as [`number_in_message`] writes it, in one
/// allocation when the number is whole.
pub fn message_with_number(prefix: &str, f: f64) -> String {
    let mut s = String::with_capacity(prefix.len() + 24);
    s.push_str(prefix);
    if f.fract() == 0.0 && f.abs() < 1e16 {
        s.push_str(itoa::Buffer::new().format(f as i64));
    } else {
        let _ = write!(s, "{f}");
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // The word-at-a-time test agrees with the byte-by-byte one, and the
        // written string reads back as the same text, on any input.
        #[test]
        fn escapes_what_json_needs(s in "(?s).{0,40}", bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let naive = |b: &[u8]| b.iter().position(|&c| c < 0x20 || c == b'"' || c == b'\\');
            prop_assert_eq!(first_escape(s.as_bytes()), naive(s.as_bytes()));
            prop_assert_eq!(first_escape(&bytes), naive(&bytes));
            let mut out = String::new();
            write_json_str(&s, &mut out);
            prop_assert_eq!(serde_json::from_str::<String>(&out).unwrap(), s);
        }
    }

    #[test]
    fn floats_written_in_place_match_their_repr() {
        for f in [
            0.0,
            -0.0,
            1.0,
            -1.0,
            42.0,
            1e15,
            9_007_199_254_740_992.0,
            1e16,
            0.5,
            -2.25,
        ] {
            let mut out = String::new();
            write_py_float(f, &mut out);
            assert_eq!(out, py_float_repr(f), "{f}");
        }
    }

    #[test]
    fn python_float_repr() {
        for (f, want) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e-7, "1e-07"),
            (1e20, "1e+20"),
            (1e16, "1e+16"),
            (1234.5, "1234.5"),
            (1e15, "1000000000000000.0"),
            (0.0001, "0.0001"),
            (-2.5e-5, "-2.5e-05"),
            (1e30, "1e+30"),
        ] {
            assert_eq!(py_float_repr(f), want, "{f}");
        }
    }

    #[test]
    fn writes_compact_python_json() {
        let v = PyValue::Dict(vec![
            (
                "a".into(),
                PyValue::List(vec![PyValue::Int(1), PyValue::Float(2.0)]),
            ),
            ("é".into(), PyValue::Str("x\"y\u{1}".into())),
        ]);
        let mut s = String::new();
        v.write_json(&mut s);
        assert_eq!(s, r#"{"a":[1,2.0],"é":"x\"y\u0001"}"#);
    }

    #[test]
    fn strings_escape_as_python_json_without_ensure_ascii() {
        let mut s = String::new();
        write_json_str("plain é€😀 \"q\" \\ \n\r\t\u{8}\u{c}\u{1f} end", &mut s);
        assert_eq!(s, r#""plain é€😀 \"q\" \\ \n\r\t\b\f\u001f end""#);
        let mut e = String::new();
        write_json_str("", &mut e);
        assert_eq!(e, r#""""#);
    }
}
