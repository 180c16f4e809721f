//! Scalar parameter values: how one piece of text becomes a typed value, with
//! pydantic's lax coercions and error kinds, and the declared constraints.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use super::Constraints;
use crate::validation::{expected_list, kinds, lax, Kind, PyValue};

/// A value read from one piece of text (a path segment, a query value, a header,
/// a cookie, a form field).
///
/// Implemented for integers, floats, `bool`, `String`, `uuid::Uuid` (and
/// [`Uuid4`](crate::Uuid4) and its siblings), [`HttpUrl`](crate::HttpUrl),
/// [`AnyUrl`](crate::AnyUrl), [`Timedelta`](crate::Timedelta), chrono's
/// dates and date-times, and enums deriving [`ParamEnum`](crate::ParamEnum).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be read from a path, query, header, cookie or form value",
    label = "not a parameter value type",
    note = "use an integer, float, bool, String, Uuid, chrono date/date-time, or an enum with #[derive(ferroapi::ParamEnum)]; for a struct of parameters derive ferroapi::ParamModel"
)]
pub trait ParamValue: schemars::JsonSchema + Sized + Send {
    /// Parses the text and checks the constraints.
    fn parse(raw: &str, constraints: &Constraints) -> Result<Self, Kind>;

    /// Start-up hook (enums compute their allowed values here).
    fn prepare() {}
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn parse(raw: &str, c: &Constraints) -> Result<Self, Kind> {
                let v = match lax::parse_wide_int(raw)? {
                    lax::WideInt::Fits(v) => v,
                    // Beyond 128 bits: still a number, checked against the
                    // declared bounds first (Python's int has no other),
                    // then only out of the type's range.
                    lax::WideInt::Beyond { negative } => {
                        let far = if negative { f64::NEG_INFINITY } else { f64::INFINITY };
                        return Err(c.bounds().check(far, true).unwrap_or_else(|| {
                            if negative {
                                kinds::int_below_min(<$t>::MIN as i128)
                            } else {
                                kinds::int_above_max(<$t>::MAX as i128)
                            }
                        }));
                    }
                };
                if let Some(k) = c.bounds().check_int(v) {
                    return Err(k);
                }
                <$t>::try_from(v).map_err(|_| {
                    if v < 0 {
                        kinds::int_below_min(<$t>::MIN as i128)
                    } else {
                        kinds::int_above_max(<$t>::MAX as i128)
                    }
                })
            }
        }
    )*};
}
int_param!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

macro_rules! float_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn parse(raw: &str, c: &Constraints) -> Result<Self, Kind> {
                let v = lax::parse_float(raw)?;
                if let Some(k) = c.bounds().check(v, false) {
                    return Err(k);
                }
                Ok(v as $t)
            }
        }
    )*};
}
float_param!(f32, f64);

impl ParamValue for bool {
    fn parse(raw: &str, _: &Constraints) -> Result<Self, Kind> {
        lax::parse_bool(raw)
    }
}

impl ParamValue for String {
    fn parse(raw: &str, c: &Constraints) -> Result<Self, Kind> {
        match c.check_str(raw) {
            Some(k) => Err(k),
            None => Ok(raw.to_string()),
        }
    }
}

/// pydantic's `bytes` from a parameter or a form field (`bytes = Form()`):
/// the text's UTF-8 bytes, lengths counted in bytes.
impl ParamValue for crate::Bytes {
    fn parse(raw: &str, c: &Constraints) -> Result<Self, Kind> {
        use crate::validation::kinds;
        let n = raw.len();
        if let Some(min) = c.min_length.filter(|m| n < *m) {
            return Err(kinds::bytes_too_short(min));
        }
        if let Some(max) = c.max_length.filter(|m| n > *m) {
            return Err(kinds::bytes_too_long(max));
        }
        Ok(crate::Bytes(raw.as_bytes().to_vec()))
    }
}

impl ParamValue for uuid::Uuid {
    fn parse(raw: &str, _: &Constraints) -> Result<Self, Kind> {
        lax::parse_uuid(raw)
    }
}

impl<const V: u8> ParamValue for crate::UuidVersion<V> {
    fn parse(raw: &str, _: &Constraints) -> Result<Self, Kind> {
        let id = lax::parse_uuid(raw)?;
        if id.get_version_num() != usize::from(V) {
            return Err(kinds::uuid_version(V));
        }
        Ok(crate::UuidVersion(id))
    }
}

impl ParamValue for crate::HttpUrl {
    fn parse(raw: &str, _: &Constraints) -> Result<Self, Kind> {
        raw.parse()
    }
}

impl ParamValue for crate::AnyUrl {
    fn parse(raw: &str, _: &Constraints) -> Result<Self, Kind> {
        raw.parse()
    }
}

impl ParamValue for crate::Timedelta {
    fn parse(raw: &str, _: &Constraints) -> Result<Self, Kind> {
        // A parameter is text, read as a duration's text (pydantic refuses
        // `?wait=90`: a bare number is not a duration string).
        let micros = lax::parse_duration(raw)?;
        Ok(crate::Timedelta(chrono::TimeDelta::microseconds(micros)))
    }
}

impl ParamValue for crate::Datetime {
    fn parse(raw: &str, _: &Constraints) -> Result<Self, Kind> {
        crate::Datetime::parse(raw)
    }
}

macro_rules! temporal_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn parse(raw: &str, _: &Constraints) -> Result<Self, Kind> {
                <$t>::parse(raw)
            }
        }
    )*};
}
temporal_param!(
    crate::AwareDatetime,
    crate::NaiveDatetime,
    crate::PastDatetime,
    crate::FutureDatetime,
    crate::PastDate,
    crate::FutureDate
);

impl ParamValue for crate::Decimal {
    fn parse(raw: &str, c: &Constraints) -> Result<Self, Kind> {
        let d = crate::Decimal::parse(raw)?;
        c.check_decimal(&d, None, None)?;
        Ok(d)
    }
}

impl<const M: u32, const P: u32> ParamValue for crate::Condecimal<M, P> {
    fn parse(raw: &str, c: &Constraints) -> Result<Self, Kind> {
        let d = crate::Decimal::parse(raw)?;
        let limit = |n: u32| (n != crate::decimal::UNLIMITED).then_some(n);
        c.check_decimal(&d, limit(M), limit(P))?;
        Ok(crate::Condecimal(d))
    }
}

impl ParamValue for chrono::NaiveDate {
    fn parse(raw: &str, _: &Constraints) -> Result<Self, Kind> {
        lax::parse_date(raw)
    }
}

impl ParamValue for chrono::NaiveDateTime {
    fn parse(raw: &str, _: &Constraints) -> Result<Self, Kind> {
        lax::parse_naive_datetime(raw)
    }
}

impl ParamValue for chrono::DateTime<chrono::FixedOffset> {
    fn parse(raw: &str, _: &Constraints) -> Result<Self, Kind> {
        lax::parse_fixed_datetime(raw)
    }
}

impl ParamValue for chrono::DateTime<chrono::Utc> {
    fn parse(raw: &str, _: &Constraints) -> Result<Self, Kind> {
        lax::parse_fixed_datetime(raw).map(|d| d.with_timezone(&chrono::Utc))
    }
}

/// The allowed values of an enum parameter, from its JSON Schema (cached per type).
#[derive(Debug)]
pub(crate) struct EnumInfo {
    values: Vec<serde_json::Value>,
    expected: String,
    /// Marked with [`crate::literal`]: pydantic's `literal_error`.
    literal: bool,
}

fn enum_info<T: schemars::JsonSchema + 'static>() -> Arc<EnumInfo> {
    static CACHE: OnceLock<RwLock<HashMap<TypeId, Arc<EnumInfo>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(info) = cache
        .read()
        .ok()
        .and_then(|c| c.get(&TypeId::of::<T>()).cloned())
    {
        return info;
    }
    let schema = schemars::SchemaGenerator::default()
        .into_root_schema_for::<T>()
        .to_value();
    let mut values: Vec<serde_json::Value> = Vec::new();
    if let Some(list) = schema.get("enum").and_then(|v| v.as_array()) {
        values.extend(list.iter().cloned());
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(list) = schema.get(key).and_then(|v| v.as_array()) {
            for b in list {
                if let Some(c) = b.get("const") {
                    values.push(c.clone());
                }
                if let Some(e) = b.get("enum").and_then(|v| v.as_array()) {
                    values.extend(e.iter().cloned());
                }
            }
        }
    }
    let py: Vec<PyValue> = values.iter().map(PyValue::from_json).collect();
    let info = Arc::new(EnumInfo {
        expected: expected_list(&py),
        values,
        literal: schema.get(crate::validation::schema::LITERAL_KEYWORD)
            == Some(&serde_json::Value::Bool(true)),
    });
    if let Ok(mut c) = cache.write() {
        c.insert(TypeId::of::<T>(), info.clone());
    }
    info
}

/// Parses an enum parameter: the text must be one of the enum's serialized
/// values (strings, or integers for integer enums). Used by `#[derive(ParamEnum)]`.
pub fn parse_enum<T>(raw: &str) -> Result<T, Kind>
where
    T: serde::de::DeserializeOwned + schemars::JsonSchema + 'static,
{
    if let Ok(v) =
        T::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(raw))
    {
        return Ok(v);
    }
    let info = enum_info::<T>();
    for allowed in &info.values {
        let matches = match allowed {
            // pydantic compares a `Literal` by equality: text never equals
            // an int (`Literal[1, 2]` refuses `?level=2`, as FastAPI does).
            serde_json::Value::Number(_) if info.literal => false,
            serde_json::Value::Number(n) => lax::parse_int(raw)
                .ok()
                .is_some_and(|i| n.as_i64().map(i128::from) == Some(i)),
            serde_json::Value::String(s) => s == raw,
            _ => false,
        };
        if matches {
            if let Ok(v) = serde_json::from_value(allowed.clone()) {
                return Ok(v);
            }
        }
    }
    Err(kinds::enumeration(&info.expected, info.literal))
}

/// Start-up hook for enum parameters: computes the allowed values once.
pub fn prepare_enum<T: schemars::JsonSchema + 'static>() {
    enum_info::<T>();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_params_check_constraints_then_type_range() {
        let c = Constraints {
            gt: Some(0.0),
            ..Constraints::NONE
        };
        assert_eq!(
            <u8 as ParamValue>::parse("0", &c).unwrap_err().kind,
            "greater_than"
        );
        assert_eq!(
            <u8 as ParamValue>::parse("300", &Constraints::NONE)
                .unwrap_err()
                .msg,
            "Input should be less than or equal to 255"
        );
        assert_eq!(
            <i32 as ParamValue>::parse(" +7 ", &Constraints::NONE).unwrap(),
            7
        );
    }

    #[derive(serde::Deserialize, schemars::JsonSchema, Debug, PartialEq)]
    #[serde(rename_all = "lowercase")]
    enum Color {
        Red,
        Green,
    }

    #[test]
    fn enums_list_expected_values() {
        assert_eq!(parse_enum::<Color>("red").unwrap(), Color::Red);
        let e = parse_enum::<Color>("purple").unwrap_err();
        assert_eq!(e.msg, "Input should be 'red' or 'green'");
    }
}
