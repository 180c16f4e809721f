//! pydantic's `Decimal` and `condecimal`: an exact decimal number, read from
//! a JSON number or from text as Python's `decimal.Decimal` reads it, written
//! back as its text (`"1.10"`), and documented as pydantic documents it (a
//! number or a string when read, a string when written).
//!
//! What pydantic does, measured against pydantic 2.14 (the differential
//! fuzzer keeps it so):
//! - text: Python's `Decimal(text)` after pydantic drops every underscore:
//!   whitespace around it, Unicode digits, `1E+3`, `.5`, `5.`; `NaN` and
//!   `Infinity` in any spelling are `finite_number`, anything else
//!   `decimal_parsing`;
//! - a JSON integer: exactly, however long; a JSON float: the float's
//!   `repr` (`1.10` is `1.1`, `1e3` is `1000.0`, `1e16` is `1E+16`), as
//!   FastAPI hands pydantic the floats Python's `json` module read;
//! - `max_digits` and `decimal_places` count the value with its trailing
//!   zeros dropped (`"1.2300"` has two places), and `decimal_whole_digits`
//!   when both are set;
//! - then `multiple_of`, `le`, `lt`, `ge`, `gt`, compared exactly.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::validation::value::PyValue;
use crate::validation::{kinds, Kind};

/// The schema keyword that marks a decimal (and carries its digit limits) to
/// the walker; never written into the document.
pub const DECIMAL_KEYWORD: &str = "x-ferroapi-decimal";

/// Python's largest adjusted exponent for a decimal read from text
/// (libmpdec's `MPD_MAX_EMAX` on 64-bit machines).
const MAX_EMAX: i128 = 999_999_999_999_999_999;
/// Its smallest exponent (`MPD_MIN_ETINY`).
const MIN_ETINY: i128 = -1_999_999_999_999_999_997;
/// The smallest exponent of a result in Python's default context (`Emin`
/// -999999, 28 digits): the remainder of `%` is rounded there.
const CONTEXT_ETINY: i64 = -999_999 - 27;

/// An exact decimal number, as Python's `decimal.Decimal` holds a finite one:
/// a sign, a coefficient and a power of ten. It keeps what was sent:
/// `"1.10"` is written back as `"1.10"`, `"-0.00"` as `"-0.00"`. Equal
/// values compare equal (`1.10 == 1.1`), as in Python.
#[derive(Clone, Debug)]
pub struct Decimal {
    negative: bool,
    /// The coefficient's digits, ASCII, without leading zeros (`"0"` for zero).
    digits: String,
    /// The power of ten the coefficient is multiplied by.
    exponent: i64,
}

impl Decimal {
    /// Reads text as pydantic does: `decimal_parsing` if it is not a number,
    /// `finite_number` for `NaN` and `Infinity`.
    pub fn parse(raw: &str) -> Result<Decimal, Kind> {
        let text = ascii_text(raw).ok_or_else(kinds::decimal_parsing)?;
        parse_ascii(&text)
    }

    /// A decimal from a float, as pydantic makes one from the float Python's
    /// `json` module read: from its `repr` (`1.0` is `1.0`, `1e16` is
    /// `1E+16`).
    pub fn from_f64(f: f64) -> Result<Decimal, Kind> {
        if !f.is_finite() {
            return Err(kinds::finite_number());
        }
        parse_ascii(&crate::validation::value::py_float_repr(f))
    }

    /// The value of an integer.
    pub fn from_int(i: i128) -> Decimal {
        Decimal {
            negative: i < 0,
            digits: i.unsigned_abs().to_string(),
            exponent: 0,
        }
    }

    /// Reads a decoded JSON value (or a parameter's text) as pydantic does.
    pub fn from_py(v: &PyValue) -> Result<Decimal, Kind> {
        match v {
            PyValue::Int(i) => Ok(Decimal::from_int(*i)),
            PyValue::BigInt(digits) => parse_ascii(digits),
            PyValue::Float(f) => Decimal::from_f64(*f),
            PyValue::Str(s) => Decimal::parse(s),
            _ => Err(kinds::decimal_type()),
        }
    }

    /// A decimal written in the program (a bound, a default): panics if the
    /// text is not one.
    pub fn literal(text: &str) -> Decimal {
        match Decimal::parse(text) {
            Ok(d) => d,
            Err(k) => panic!("{text:?} is not a decimal: {}", k.msg),
        }
    }

    /// The value as FastAPI's `jsonable_encoder` writes a decimal inside an
    /// untyped answer (a `dict`): an integer when it has no places
    /// (`Decimal("1E+3")` is `1000`), else the nearest float. A model writes
    /// the text instead (the `Serialize` impl). An integer beyond a float's
    /// range, which Python would spell out digit by digit, is `null`.
    pub fn to_jsonable(&self) -> serde_json::Value {
        if self.exponent >= 0 {
            if self.adjusted() > 308 {
                return serde_json::Value::Null;
            }
            let mut text = String::with_capacity(self.digits.len() + self.exponent as usize + 1);
            if self.is_negative() {
                text.push('-');
            }
            text.push_str(&self.digits);
            text.extend(std::iter::repeat_n('0', self.exponent as usize));
            if let Ok(i) = text.parse::<i64>() {
                return i.into();
            }
            if let Ok(u) = text.parse::<u64>() {
                return u.into();
            }
        }
        serde_json::Number::from_f64(self.to_f64()).map_or(serde_json::Value::Null, Into::into)
    }

    /// Whether it is below zero (`-0` is not).
    pub fn is_negative(&self) -> bool {
        self.negative && !self.is_zero()
    }

    /// Whether it is zero (`0`, `-0.00`, `0E+5`).
    pub fn is_zero(&self) -> bool {
        self.digits == "0"
    }

    /// The nearest float (`f64::INFINITY` beyond its range), for arithmetic
    /// that need not be exact.
    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    /// Digits in total and after the point, of the value without its
    /// trailing zeros (pydantic's count for `max_digits`, `decimal_places`).
    fn digit_counts(&self) -> (i128, i128) {
        let kept = self.digits.trim_end_matches('0');
        if kept.is_empty() {
            return (1, 0);
        }
        let n = kept.len() as i128;
        let exponent = i128::from(self.exponent) + (self.digits.len() - kept.len()) as i128;
        if exponent >= 0 {
            (n + exponent, 0)
        } else {
            (n.max(-exponent), -exponent)
        }
    }

    /// The value rounded (half to even) to a multiple of `10^exp`, if it has
    /// digits below that.
    fn rounded_at(&self, exp: i64) -> Option<Decimal> {
        if self.exponent >= exp {
            return None;
        }
        let drop = i128::from(exp) - i128::from(self.exponent);
        let len = self.digits.len() as i128;
        let zero = Decimal {
            negative: self.negative,
            digits: "0".into(),
            exponent: exp,
        };
        if drop > len {
            return Some(zero);
        }
        let (kept, dropped) = self.digits.split_at((len - drop) as usize);
        let first = dropped.as_bytes()[0];
        let rest_zero = dropped[1..].bytes().all(|b| b == b'0');
        let last_odd = kept.bytes().last().is_some_and(|b| (b - b'0') % 2 == 1);
        let up = first > b'5' || (first == b'5' && (!rest_zero || last_odd));
        let mut digits: Vec<u8> = if kept.is_empty() {
            vec![b'0']
        } else {
            kept.bytes().collect()
        };
        if up {
            let mut i = digits.len();
            loop {
                if i == 0 {
                    digits.insert(0, b'1');
                    break;
                }
                i -= 1;
                if digits[i] == b'9' {
                    digits[i] = b'0';
                } else {
                    digits[i] += 1;
                    break;
                }
            }
        }
        let text = String::from_utf8(digits).unwrap_or_default();
        let trimmed = text.trim_start_matches('0');
        Some(Decimal {
            negative: self.negative,
            digits: if trimmed.is_empty() {
                "0".into()
            } else {
                trimmed.into()
            },
            exponent: exp,
        })
    }

    /// The exponent of its leading digit (Python's `adjusted()`).
    fn adjusted(&self) -> i128 {
        i128::from(self.exponent) + self.digits.len() as i128 - 1
    }

    /// Compares magnitudes exactly.
    fn cmp_abs(&self, other: &Decimal) -> Ordering {
        match (self.is_zero(), other.is_zero()) {
            (true, true) => return Ordering::Equal,
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            _ => {}
        }
        self.adjusted().cmp(&other.adjusted()).then_with(|| {
            // Same leading power: the digits, the shorter padded with zeros.
            let (a, b) = (self.digits.as_bytes(), other.digits.as_bytes());
            let n = a.len().max(b.len());
            (0..n)
                .map(|i| {
                    (
                        a.get(i).copied().unwrap_or(b'0'),
                        b.get(i).copied().unwrap_or(b'0'),
                    )
                })
                .find(|(x, y)| x != y)
                .map_or(Ordering::Equal, |(x, y)| x.cmp(&y))
        })
    }

    /// Whether it is a whole multiple of `m`, as Python's `%` decides: a
    /// quotient of more than 28 digits (the default context's precision) is
    /// `DivisionImpossible`, which pydantic reports as not a multiple.
    pub fn is_multiple_of(&self, m: &Decimal) -> bool {
        // The remainder is rounded to the context: digits below its
        // smallest exponent do not count (1E-999999999999999999 is a
        // multiple of 0.25 to Python).
        let rounded;
        let this = match self.rounded_at(CONTEXT_ETINY) {
            Some(r) => {
                rounded = r;
                &rounded
            }
            None => self,
        };
        if this.is_zero() {
            return true;
        }
        let self_ = this;
        if m.is_zero() || self_.adjusted() - m.adjusted() <= -2 {
            return false;
        }
        // |self| >= |m| * 10^28: the quotient has more than 28 digits.
        let limit = Decimal {
            negative: false,
            digits: m.digits.clone(),
            exponent: m.exponent.saturating_add(28),
        };
        if self_.cmp_abs(&limit) != Ordering::Less {
            return false;
        }
        let Ok(modulus) = m.digits.parse::<u128>() else {
            // A bound of more than 38 digits: exact enough through floats.
            let q = self_.to_f64() / m.to_f64();
            return q.is_finite() && q.fract() == 0.0;
        };
        // self = A * 10^ea, m = M * 10^em. The remainder is zero when
        // A * 10^(ea - e) is a multiple of M * 10^(em - e), e = min(ea, em).
        let digits = self_.digits.as_bytes();
        let (high, low_zeros) = if self_.exponent >= m.exponent {
            // A * 10^(ea - em) mod M; ea - em is bounded by the check above.
            let shift = (i128::from(self_.exponent) - i128::from(m.exponent)) as usize;
            let mut r: u128 = 0;
            for &d in digits.iter().chain(std::iter::repeat_n(&b'0', shift)) {
                r = (r * 10 + u128::from(d - b'0')) % modulus;
            }
            return r == 0;
        } else {
            // A mod (M * 10^k): A's last k digits must be zeros, and the
            // rest a multiple of M.
            let k = (i128::from(m.exponent) - i128::from(self_.exponent)) as usize;
            if k >= digits.len() {
                return false;
            }
            digits.split_at(digits.len() - k)
        };
        if low_zeros.iter().any(|&d| d != b'0') {
            return false;
        }
        let mut r: u128 = 0;
        for &d in high {
            r = (r * 10 + u128::from(d - b'0')) % modulus;
        }
        r == 0
    }
}

/// Python's `str.isspace()` beyond ASCII.
fn is_py_space(c: char) -> bool {
    matches!(
        c,
        '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// Python's `str.isspace()` in ASCII (it counts the four separators).
fn is_py_ascii_space(b: u8) -> bool {
    matches!(
        b,
        b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' | b'\x1c'..=b'\x1f' | b' '
    )
}

/// The zero of every run of ten Unicode decimal digits outside ASCII
/// (Unicode 14, as the Python that records the suite knows them).
const DIGIT_ZEROS: [u32; 65] = [
    0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66, 0xDE6,
    0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90, 0x1B50,
    0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
    0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650,
    0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// A Unicode decimal digit's value.
fn unicode_digit(c: char) -> Option<u8> {
    let c = u32::from(c);
    let i = DIGIT_ZEROS.partition_point(|&z| z <= c).checked_sub(1)?;
    let d = c - DIGIT_ZEROS[i];
    (d < 10).then_some(d as u8)
}

/// The text as Python's decimal parser sees it: underscores dropped (as
/// pydantic does), Unicode digits and spaces made ASCII; `None` if another
/// character beyond ASCII is in it.
fn ascii_text(raw: &str) -> Option<String> {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            '_' => {}
            c if c.is_ascii() => out.push(c),
            c if is_py_space(c) => out.push(' '),
            c => out.push(char::from(b'0' + unicode_digit(c)?)),
        }
    }
    Some(out)
}

/// Python's decimal grammar on ASCII text.
fn parse_ascii(text: &str) -> Result<Decimal, Kind> {
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|&b| !is_py_ascii_space(b));
    let end = bytes.iter().rposition(|&b| !is_py_ascii_space(b));
    let (Some(start), Some(end)) = (start, end) else {
        return Err(kinds::decimal_parsing());
    };
    let mut s = &bytes[start..=end];
    let negative = s.first() == Some(&b'-');
    if matches!(s.first(), Some(b'-' | b'+')) {
        s = &s[1..];
    }
    let lower = s.to_ascii_lowercase();
    let special = lower == b"inf"
        || lower == b"infinity"
        || [&b"nan"[..], b"snan"].iter().any(|p| {
            lower
                .strip_prefix(*p)
                .is_some_and(|rest| rest.iter().all(u8::is_ascii_digit))
        });
    if special {
        return Err(kinds::finite_number());
    }
    let digits_end = |s: &[u8]| {
        s.iter()
            .position(|b| !b.is_ascii_digit())
            .unwrap_or(s.len())
    };
    let n = digits_end(s);
    let (int, mut rest) = s.split_at(n);
    let mut frac: &[u8] = &[];
    if rest.first() == Some(&b'.') {
        let n = digits_end(&rest[1..]);
        frac = &rest[1..=n];
        rest = &rest[1 + n..];
    }
    if int.is_empty() && frac.is_empty() {
        return Err(kinds::decimal_parsing());
    }
    let mut exp: i128 = 0;
    if let Some((b'e' | b'E', e)) = rest.split_first() {
        let (neg, e) = match e.split_first() {
            Some((b'-', e)) => (true, e),
            Some((b'+', e)) => (false, e),
            _ => (false, e),
        };
        let n = digits_end(e);
        if n == 0 || n != e.len() {
            return Err(kinds::decimal_parsing());
        }
        // The exponent must fit in 64 bits, as libmpdec reads it.
        let text = std::str::from_utf8(e).map_err(|_| kinds::decimal_parsing())?;
        let e: i64 = text
            .trim_start_matches('0')
            .parse()
            .or_else(|_| {
                if text.bytes().all(|b| b == b'0') {
                    Ok(0)
                } else {
                    Err(())
                }
            })
            .map_err(|()| kinds::decimal_parsing())?;
        exp = if neg { -i128::from(e) } else { i128::from(e) };
        rest = &[];
    }
    if !rest.is_empty() {
        return Err(kinds::decimal_parsing());
    }
    let mut digits: String = int.iter().chain(frac).map(|&b| char::from(b)).collect();
    let leading = digits.bytes().take_while(|&b| b == b'0').count();
    digits.drain(..leading.min(digits.len() - 1));
    let exponent = exp - frac.len() as i128;
    let adjusted = exponent + digits.len() as i128 - 1;
    if adjusted > MAX_EMAX || exponent < MIN_ETINY {
        return Err(kinds::decimal_parsing());
    }
    Ok(Decimal {
        negative,
        digits,
        exponent: exponent as i64,
    })
}

/// Python's `str(Decimal)`: plain notation unless the exponent is positive
/// or the value is below 1e-6, then scientific (`1E+3`, `1.00E-8`).
impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.digits.as_str();
        let len = digits.len() as i128;
        let exponent = i128::from(self.exponent);
        let left = exponent + len;
        let dot = if exponent <= 0 && left > -6 { left } else { 1 };
        if self.negative {
            f.write_str("-")?;
        }
        if dot <= 0 {
            f.write_str("0.")?;
            for _ in 0..-dot {
                f.write_str("0")?;
            }
            f.write_str(digits)?;
        } else if dot >= len {
            f.write_str(digits)?;
            for _ in 0..dot - len {
                f.write_str("0")?;
            }
        } else {
            let (int, frac) = digits.split_at(dot as usize);
            write!(f, "{int}.{frac}")?;
        }
        if left != dot {
            write!(f, "E{:+}", left - dot)?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Decimal {
    type Err = Kind;
    fn from_str(s: &str) -> Result<Self, Kind> {
        Decimal::parse(s)
    }
}

impl From<i64> for Decimal {
    fn from(i: i64) -> Self {
        Decimal::from_int(i.into())
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

// A bound made once and given by reference (`rules::ge(&*MIN)`).
impl PartialEq<&Decimal> for Decimal {
    fn eq(&self, other: &&Decimal) -> bool {
        self == *other
    }
}

impl PartialOrd<&Decimal> for Decimal {
    fn partial_cmp(&self, other: &&Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self.is_negative(), other.is_negative()) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => self.cmp_abs(other),
            (true, true) => other.cmp_abs(self),
        }
    }
}

impl std::hash::Hash for Decimal {
    /// Equal values hash alike: the value without trailing zeros.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let kept = self.digits.trim_end_matches('0');
        if kept.is_empty() {
            0u8.hash(state);
            return;
        }
        self.negative.hash(state);
        kept.hash(state);
        (i128::from(self.exponent) + (self.digits.len() - kept.len()) as i128).hash(state);
    }
}

impl Serialize for Decimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DecimalVisitor)
    }
}

struct DecimalVisitor;

impl serde::de::Visitor<'_> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an integer, float, string or Decimal")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<Decimal, E> {
        Decimal::parse(s).map_err(|k| E::custom(k.msg))
    }

    fn visit_i64<E: serde::de::Error>(self, i: i64) -> Result<Decimal, E> {
        Ok(Decimal::from_int(i.into()))
    }

    fn visit_u64<E: serde::de::Error>(self, u: u64) -> Result<Decimal, E> {
        Ok(Decimal::from_int(u.into()))
    }

    fn visit_i128<E: serde::de::Error>(self, i: i128) -> Result<Decimal, E> {
        Ok(Decimal::from_int(i))
    }

    fn visit_f64<E: serde::de::Error>(self, f: f64) -> Result<Decimal, E> {
        // A whole float beyond 2^53 may be an integer too long for serde's
        // reader, which pydantic keeps exactly: the diagnose path reads the
        // text. (A float literal gets there too, and reads the same.)
        if f.fract() == 0.0 && f.abs() >= 9_007_199_254_740_992.0 {
            return Err(E::custom("an integer read exactly"));
        }
        Decimal::from_f64(f).map_err(|k| E::custom(k.msg))
    }
}

/// The schema pydantic writes for a decimal: a number or a string when read
/// (bounds on the number), a string when written; the digit limits ride in
/// [`DECIMAL_KEYWORD`] for the walker.
pub fn decimal_schema(
    generator: &schemars::SchemaGenerator,
    max_digits: Option<u32>,
    decimal_places: Option<u32>,
) -> schemars::Schema {
    let limits = serde_json::json!({"max_digits": max_digits, "decimal_places": decimal_places});
    let mut s = if generator.contract().is_serialize() {
        schemars::json_schema!({"type": "string"})
    } else {
        schemars::json_schema!({"anyOf": [{"type": "number"}, {"type": "string"}]})
    };
    s.insert(DECIMAL_KEYWORD.into(), limits);
    s
}

impl schemars::JsonSchema for Decimal {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Decimal".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        decimal_schema(generator, None, None)
    }
}

/// No limit, for either of [`Condecimal`]'s numbers.
pub const UNLIMITED: u32 = u32::MAX;

/// pydantic's `condecimal(max_digits=.., decimal_places=..)` (and
/// `Annotated[Decimal, Field(max_digits=.., decimal_places=..)]`): a
/// [`Decimal`] of at most `MAX_DIGITS` digits, `DECIMAL_PLACES` of them
/// after the point; [`UNLIMITED`] for no limit.
/// `Condecimal<5, 2>` holds `999.99`, refuses `1000` (`decimal_whole_digits`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Condecimal<const MAX_DIGITS: u32, const DECIMAL_PLACES: u32>(pub Decimal);

/// The digit rules of a decimal.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    /// `max_digits`.
    pub max_digits: Option<u32>,
    /// `decimal_places`.
    pub decimal_places: Option<u32>,
    /// `multiple_of`, `le`, `lt`, `ge`, `gt` (from the schema's number).
    pub multiple_of: Option<Decimal>,
    /// `le`.
    pub le: Option<Decimal>,
    /// `lt`.
    pub lt: Option<Decimal>,
    /// `ge`.
    pub ge: Option<Decimal>,
    /// `gt`.
    pub gt: Option<Decimal>,
}

/// A bound as the error's `ctx` and message carry it.
fn bound(d: &Decimal) -> (f64, bool) {
    (d.to_f64(), d.exponent >= 0)
}

impl Rules {
    /// Checks a value in pydantic's order: digits, places, whole digits,
    /// then multiple_of, le, lt, ge, gt.
    pub fn check(&self, d: &Decimal) -> Result<(), Kind> {
        check_digits(d, self.max_digits, self.decimal_places)?;
        if let Some(m) = &self.multiple_of {
            if !d.is_multiple_of(m) {
                let (v, int) = bound(m);
                return Err(kinds::multiple_of(v, int));
            }
        }
        let broken = |b: &Option<Decimal>, holds: bool, kind: fn(f64, bool) -> Kind| match b {
            Some(b) if !holds => {
                let (v, int) = bound(b);
                Err(kind(v, int))
            }
            _ => Ok(()),
        };
        let past = |b: &Option<Decimal>, o: Ordering| b.as_ref().is_some_and(|b| d.cmp(b) == o);
        broken(
            &self.le,
            !past(&self.le, Ordering::Greater),
            kinds::less_than_equal,
        )?;
        broken(
            &self.lt,
            !past(&self.lt, Ordering::Greater) && !past(&self.lt, Ordering::Equal),
            kinds::less_than,
        )?;
        broken(
            &self.ge,
            !past(&self.ge, Ordering::Less),
            kinds::greater_than_equal,
        )?;
        broken(
            &self.gt,
            !past(&self.gt, Ordering::Less) && !past(&self.gt, Ordering::Equal),
            kinds::greater_than,
        )?;
        Ok(())
    }
}

/// `max_digits` and `decimal_places`, as pydantic counts them.
fn check_digits(d: &Decimal, max_digits: Option<u32>, places: Option<u32>) -> Result<(), Kind> {
    let (digits, decimals) = d.digit_counts();
    if let Some(max) = max_digits {
        if digits > i128::from(max) {
            return Err(kinds::decimal_max_digits(max));
        }
    }
    if let Some(places) = places {
        if decimals > i128::from(places) {
            return Err(kinds::decimal_max_places(places));
        }
        if let Some(max) = max_digits {
            let whole = max.saturating_sub(places);
            if digits - decimals > i128::from(whole) {
                return Err(kinds::decimal_whole_digits(whole));
            }
        }
    }
    Ok(())
}

impl<const M: u32, const P: u32> Condecimal<M, P> {
    fn limits() -> (Option<u32>, Option<u32>) {
        ((M != UNLIMITED).then_some(M), (P != UNLIMITED).then_some(P))
    }

    /// Reads text as pydantic does, then checks the digits.
    pub fn parse(raw: &str) -> Result<Self, Kind> {
        let d = Decimal::parse(raw)?;
        let (m, p) = Self::limits();
        check_digits(&d, m, p)?;
        Ok(Condecimal(d))
    }
}

impl<const M: u32, const P: u32> std::ops::Deref for Condecimal<M, P> {
    type Target = Decimal;
    fn deref(&self) -> &Decimal {
        &self.0
    }
}

impl<const M: u32, const P: u32> PartialEq<Decimal> for Condecimal<M, P> {
    fn eq(&self, other: &Decimal) -> bool {
        self.0 == *other
    }
}

impl<const M: u32, const P: u32> PartialOrd<Decimal> for Condecimal<M, P> {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.0.cmp(other))
    }
}

impl<const M: u32, const P: u32> fmt::Display for Condecimal<M, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<const M: u32, const P: u32> Serialize for Condecimal<M, P> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, const M: u32, const P: u32> Deserialize<'de> for Condecimal<M, P> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let d = Decimal::deserialize(deserializer)?;
        let (m, p) = Self::limits();
        check_digits(&d, m, p).map_err(|k| serde::de::Error::custom(k.msg))?;
        Ok(Condecimal(d))
    }
}

impl<const M: u32, const P: u32> schemars::JsonSchema for Condecimal<M, P> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Condecimal_{M}_{P}").into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let (m, p) = Self::limits();
        decimal_schema(generator, m, p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Python's `Decimal(str(d))` is `d`, sign, coefficient and exponent
    /// alike: the text a decimal is written as reads back as it.
    fn round_trips(d: &Decimal) {
        let text = d.to_string();
        let again = Decimal::parse(&text).unwrap_or_else(|k| panic!("{text:?}: {}", k.msg));
        assert_eq!(
            (again.negative, &again.digits, again.exponent),
            (d.negative, &d.digits, d.exponent),
            "{text:?}"
        );
        assert_eq!(again.to_string(), text);
    }

    proptest! {
        /// Any text: an answer (a value or pydantic's kind), never a panic;
        /// a value round-trips through its text.
        #[test]
        fn any_text_reads_and_round_trips(raw in "\\PC{0,40}") {
            if let Ok(d) = Decimal::parse(&raw) {
                round_trips(&d);
            }
        }

        /// Numbers of every shape, exponents from tiny to huge, round-trip.
        #[test]
        fn numbers_round_trip(
            sign in "[-+]?",
            int in "[0-9]{0,30}",
            frac in "(\\.[0-9]{0,30})?",
            exp in proptest::option::of(-2_000_000_000_000_000_000i128..1_000_000_000_000_000_000i128),
        ) {
            let exp = exp.map(|e| format!("E{e}")).unwrap_or_default();
            let raw = format!("{sign}{int}{frac}{exp}");
            match Decimal::parse(&raw) {
                Ok(d) => round_trips(&d),
                // No digits at all, or an exponent past Python's limits.
                Err(k) => prop_assert!(
                    (int.is_empty() && frac.len() < 2) || !exp.is_empty(),
                    "{raw:?}: {}", k.msg
                ),
            }
        }
    }

    fn text(raw: &str) -> String {
        match Decimal::parse(raw) {
            Ok(d) => d.to_string(),
            Err(k) => k.kind.to_string(),
        }
    }

    #[test]
    fn reads_and_writes_text_as_python() {
        for (raw, want) in [
            ("1.10", "1.10"),
            ("  2.5 ", "2.5"),
            ("1e3", "1E+3"),
            ("100E-10", "1.00E-8"),
            ("0.000001", "0.000001"),
            ("0.0000001", "1E-7"),
            ("-0.00", "-0.00"),
            ("+.5e-3", "0.0005"),
            ("5.", "5"),
            ("00012.3400", "12.3400"),
            ("1_000", "1000"),
            ("_1", "1"),
            ("1._5", "1.5"),
            ("\u{a0}7\t", "7"),
            ("１２", "12"),
            ("٣.٥", "3.5"),
            ("1E01", "1E+1"),
            ("-0e-3", "-0.000"),
            ("0E+40", "0E+40"),
            ("1e+999999999999999999", "1E+999999999999999999"),
            ("10e999999999999999999", "decimal_parsing"),
            ("0e99999999999999999999", "decimal_parsing"),
            ("nan", "finite_number"),
            ("-sNaN12", "finite_number"),
            ("Infinity", "finite_number"),
            ("inf", "finite_number"),
            ("infinit", "decimal_parsing"),
            (".", "decimal_parsing"),
            ("e5", "decimal_parsing"),
            ("1e", "decimal_parsing"),
            ("1 0", "decimal_parsing"),
            ("+-1", "decimal_parsing"),
            ("0x10", "decimal_parsing"),
            ("", "decimal_parsing"),
            ("1\0", "decimal_parsing"),
        ] {
            assert_eq!(text(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn floats_read_as_their_shortest_text() {
        for (f, want) in [
            (1.1, "1.1"),
            (1e3, "1000.0"),
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (1e16, "1E+16"),
            (1e-7, "1E-7"),
            (2.5e-5, "0.000025"),
            (123e-20, "1.23E-18"),
            (5e-324, "5E-324"),
            (0.30000000000000004, "0.30000000000000004"),
        ] {
            assert_eq!(Decimal::from_f64(f).unwrap().to_string(), want);
        }
    }

    #[test]
    fn digits_are_counted_without_trailing_zeros() {
        let check = |raw: &str, m: Option<u32>, p: Option<u32>| match check_digits(
            &Decimal::parse(raw).unwrap(),
            m,
            p,
        ) {
            Ok(()) => "ok".to_string(),
            Err(k) => k.kind.to_string(),
        };
        assert_eq!(check("123.456", Some(5), Some(2)), "decimal_max_digits");
        assert_eq!(check("1234.5", Some(5), Some(2)), "decimal_whole_digits");
        assert_eq!(check("1E+3", Some(5), Some(2)), "decimal_whole_digits");
        assert_eq!(check("1E+2", Some(5), Some(2)), "ok");
        assert_eq!(check("0.001", Some(5), Some(2)), "decimal_max_places");
        assert_eq!(check("1.2300000", Some(5), Some(2)), "ok");
        assert_eq!(check("0E-10", Some(5), Some(2)), "ok");
        assert_eq!(check(&"9".repeat(30), Some(30), None), "ok");
        assert_eq!(check(&"9".repeat(31), Some(30), None), "decimal_max_digits");
    }

    #[test]
    fn compares_and_divides_exactly() {
        let d = |s: &str| Decimal::parse(s).unwrap();
        assert_eq!(d("1.10"), d("1.1"));
        assert_eq!(d("-0"), d("0.00"));
        assert!(d("0.1000000000000000055511151231257827") > d("0.1"));
        assert!(d("-2") < d("-1.5"));
        assert!(d("1E+2") > d("99.999"));
        let m = d("0.5");
        assert!(d("7.5").is_multiple_of(&m));
        assert!(!d("7.2").is_multiple_of(&m));
        assert!(d("0E+40").is_multiple_of(&m));
        assert!(d("1e27").is_multiple_of(&m));
        // Python's `%` gives up beyond 28 digits of quotient.
        assert!(!d("1e28").is_multiple_of(&m));
        assert!(!d("1e-40").is_multiple_of(&m));
        // ... and rounds the remainder to its smallest exponent.
        assert!(d("1e-999999999999999999").is_multiple_of(&m));
        assert!(d("-2.5").is_multiple_of(&m));
        assert!(!d("0.26").is_multiple_of(&m));
        assert!(d("300").is_multiple_of(&d("1E+2")));
        assert!(!d("350").is_multiple_of(&d("1E+2")));
    }
}
