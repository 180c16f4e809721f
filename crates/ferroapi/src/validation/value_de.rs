//! A decoded input read straight into the user's type: `&PyValue` is a serde
//! `Deserializer`, with the semantics of `serde_json::Value`'s (numbers,
//! options, enums as a string or a one-key object, structs from objects or
//! arrays), except that a float may be non-finite. Python's decoder reads
//! `Infinity`, `NaN` and `1e400`, pydantic's float fields accept them, and
//! `serde_json::Value` cannot hold them: through this deserializer an `f64`
//! field gets the value pydantic would have kept.

use serde::de::value::{Error, MapDeserializer, SeqDeserializer, StrDeserializer};
use serde::de::{self, IntoDeserializer, Unexpected, Visitor};
use serde::forward_to_deserialize_any;

use super::schema::{STACK_RED_ZONE, STACK_SEGMENT};
use super::PyValue;

/// Reads a `T` from a decoded value; `None` when serde refuses it.
pub(crate) fn from_py<T: de::DeserializeOwned>(value: &PyValue) -> Option<T> {
    T::deserialize(value).ok()
}

/// As [`from_py`], with serde's error text.
pub(crate) fn from_py_result<T: de::DeserializeOwned>(value: &PyValue) -> Result<T, String> {
    T::deserialize(value).map_err(|e| e.to_string())
}

impl PyValue {
    fn unexpected(&self) -> Unexpected<'_> {
        match self {
            PyValue::Null => Unexpected::Unit,
            PyValue::Bool(b) => Unexpected::Bool(*b),
            PyValue::Int(_) | PyValue::BigInt(_) => Unexpected::Other("integer"),
            PyValue::Float(f) => Unexpected::Float(*f),
            PyValue::Str(s) => Unexpected::Str(s),
            PyValue::List(_) | PyValue::RawList(..) => Unexpected::Seq,
            PyValue::Dict(_) | PyValue::RawDict(_) => Unexpected::Map,
        }
    }
}

/// An integer as `serde_json::Value` carries it: `u64` or `i64` when it fits,
/// else the nearest float.
fn visit_int<'de, V: Visitor<'de>>(i: i128, visitor: V) -> Result<V::Value, Error> {
    if let Ok(u) = u64::try_from(i) {
        visitor.visit_u64(u)
    } else if let Ok(n) = i64::try_from(i) {
        visitor.visit_i64(n)
    } else {
        visitor.visit_f64(i as f64)
    }
}

impl<'de> de::Deserializer<'de> for &'de PyValue {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            PyValue::Null => visitor.visit_unit(),
            PyValue::Bool(b) => visitor.visit_bool(*b),
            PyValue::Int(i) => visit_int(*i, visitor),
            PyValue::BigInt(s) => visitor.visit_f64(s.parse::<f64>().unwrap_or(f64::INFINITY)),
            PyValue::Float(f) => visitor.visit_f64(*f),
            PyValue::Str(s) => visitor.visit_borrowed_str(s),
            // Each container is a level of the user's type's recursion (the
            // decoder allows 963): the stack grows on the heap rather than
            // overflow, whatever the build's frame sizes.
            PyValue::List(items) => stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
                let mut seq = SeqDeserializer::new(items.iter());
                let v = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(v)
            }),
            PyValue::Dict(pairs) => stacker::maybe_grow(STACK_RED_ZONE, STACK_SEGMENT, || {
                let mut map = MapDeserializer::new(pairs.iter().map(|(k, v)| (Key(k), v)));
                let v = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(v)
            }),
            // Containers past the decoder's budget, kept as their JSON text.
            PyValue::RawList(text, _) | PyValue::RawDict(text) => {
                de::Deserializer::deserialize_any(
                    &mut serde_json::Deserializer::from_str(text),
                    visitor,
                )
                .map_err(de::Error::custom)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            PyValue::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            PyValue::Null => visitor.visit_unit(),
            other => Err(de::Error::invalid_type(other.unexpected(), &visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            PyValue::Str(s) => visitor.visit_enum(StrDeserializer::<Error>::new(s)),
            PyValue::Dict(pairs) if pairs.len() == 1 => {
                let (variant, value) = &pairs[0];
                visitor.visit_enum(Variant { variant, value })
            }
            other => Err(de::Error::invalid_type(other.unexpected(), &"an enum")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf seq tuple tuple_struct map struct identifier
    }
}

impl<'de> IntoDeserializer<'de, Error> for &'de PyValue {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// An object's key: text, or a number or bool where the map's key type is
/// one (`HashMap<i64, _>`), as `serde_json::Value` reads keys.
struct Key<'de>(&'de str);

macro_rules! parsed_key {
    ($($method:ident => $ty:ty, $visit:ident;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
                match self.0.parse::<$ty>() {
                    Ok(n) => visitor.$visit(n),
                    Err(_) => Err(de::Error::invalid_value(Unexpected::Str(self.0), &visitor)),
                }
            }
        )*
    };
}

impl<'de> de::Deserializer<'de> for Key<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    parsed_key! {
        deserialize_bool => bool, visit_bool;
        deserialize_i8 => i8, visit_i8;
        deserialize_i16 => i16, visit_i16;
        deserialize_i32 => i32, visit_i32;
        deserialize_i64 => i64, visit_i64;
        deserialize_i128 => i128, visit_i128;
        deserialize_u8 => u8, visit_u8;
        deserialize_u16 => u16, visit_u16;
        deserialize_u32 => u32, visit_u32;
        deserialize_u64 => u64, visit_u64;
        deserialize_u128 => u128, visit_u128;
        deserialize_f32 => f32, visit_f32;
        deserialize_f64 => f64, visit_f64;
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_enum(StrDeserializer::<Error>::new(self.0))
    }

    forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct
        map struct identifier ignored_any
    }
}

impl<'de> IntoDeserializer<'de, Error> for Key<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// An enum written as a one-key object: `{"Variant": content}`.
struct Variant<'de> {
    variant: &'de str,
    value: &'de PyValue,
}

impl<'de> de::EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = &'de PyValue;

    fn variant_seed<S: de::DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), Error> {
        let name = seed.deserialize(StrDeserializer::<Error>::new(self.variant))?;
        Ok((name, self.value))
    }
}

impl<'de> de::VariantAccess<'de> for &'de PyValue {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        de::Deserialize::deserialize(self)
    }

    fn newtype_variant_seed<S: de::DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self {
            PyValue::List(_) | PyValue::RawList(..) => {
                de::Deserializer::deserialize_any(self, visitor)
            }
            other => Err(de::Error::invalid_type(
                other.unexpected(),
                &"a tuple variant",
            )),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            PyValue::Dict(_) | PyValue::RawDict(_) => {
                de::Deserializer::deserialize_any(self, visitor)
            }
            other => Err(de::Error::invalid_type(
                other.unexpected(),
                &"a struct variant",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::pyjson;
    use serde::Deserialize;

    /// Every value `serde_json::Value` can hold reads into the same `T` either way.
    fn same<T: de::DeserializeOwned + PartialEq + std::fmt::Debug>(text: &str) {
        let py = pyjson::loads(text).unwrap();
        let via_json = serde_json::from_value::<T>(py.to_json()).ok();
        assert_eq!(from_py::<T>(&py), via_json, "{text}");
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Item {
        name: String,
        price: f64,
        #[serde(default)]
        tags: Vec<String>,
        note: Option<String>,
    }

    #[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
    enum Colour {
        Red,
    }

    #[derive(Debug, PartialEq, Deserialize)]
    enum Shape {
        Dot,
        Circle(f64),
        Rect { w: u32, h: u32 },
        Pair(i8, i8),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(untagged)]
    enum Either {
        N(i64),
        S(String),
        L(Vec<u8>),
    }

    #[derive(Debug, PartialEq, Deserialize)]
    #[serde(tag = "kind")]
    enum Tagged {
        A { x: i32 },
        B,
    }

    #[test]
    fn reads_as_serde_json_value_does() {
        for text in [
            r#"{"name":"W","price":1,"note":null}"#,
            r#"{"name":"W","price":1.5,"tags":["a","b"],"note":"n","extra":[1,{"x":2}]}"#,
            r#"["W",2.0,[],null]"#,
            r#"{"name":"W"}"#,
            r#"{"name":5,"price":1}"#,
            r#"[1,2]"#,
        ] {
            same::<Item>(text);
        }
        for text in [
            r#""Dot""#,
            r#"{"Circle":2}"#,
            r#"{"Rect":{"w":1,"h":2}}"#,
            r#"{"Pair":[1,-2]}"#,
            r#"{"Dot":null}"#,
            r#""Nope""#,
            r#"{"Circle":1,"Dot":null}"#,
            r#"{"Pair":[1]}"#,
        ] {
            same::<Shape>(text);
        }
        for text in ["5", r#""s""#, "[1,2]", "[300]", "1.5", "null"] {
            same::<Either>(text);
        }
        for text in [
            r#"{"kind":"A","x":1}"#,
            r#"{"kind":"B"}"#,
            r#"{"kind":"C"}"#,
        ] {
            same::<Tagged>(text);
        }
        for text in [
            "18446744073709551615",
            "-9223372036854775808",
            "18446744073709551616",
            "-1",
            "1.0",
            "true",
        ] {
            same::<u64>(text);
            same::<i64>(text);
            same::<f64>(text);
            same::<serde_json::Value>(text);
            same::<Option<bool>>(text);
        }
        same::<std::collections::HashMap<String, Vec<i32>>>(r#"{"a":[1],"b":[]}"#);
        same::<std::collections::BTreeMap<i64, f64>>(r#"{"1":1,"-3":4.5}"#);
        same::<std::collections::BTreeMap<u8, bool>>(r#"{"1":true,"300":false}"#);
        same::<std::collections::BTreeMap<bool, i8>>(r#"{"true":1,"false":2}"#);
        same::<std::collections::BTreeMap<Colour, i8>>(r#"{"Red":1}"#);
        same::<std::collections::BTreeMap<Colour, i8>>(r#"{"Blue":1}"#);
        same::<(i32, String)>(r#"[1,"x"]"#);
        same::<(i32, String)>(r#"[1,"x",3]"#);
        same::<()>("null");
    }

    /// As deep as the decoder reads (963 levels), on a small stack: each
    /// container level may continue on a new stack segment.
    #[test]
    fn deep_values_never_overflow_the_stack() {
        let text = format!("{{\"a\":{}{}}}", "[".repeat(960), "]".repeat(960));
        let value = pyjson::loads(&text).unwrap();
        // Only the reading runs on the small stack; the values (whose drop
        // and printing recurse too) go back to the test's thread.
        let (read, value) = std::thread::Builder::new()
            .stack_size(512 * 1024)
            .spawn(move || (from_py::<serde_json::Value>(&value), value))
            .unwrap()
            .join()
            .expect("no stack overflow");
        assert_eq!(read.map(|v| v.to_string().len()), Some(text.len()));
        drop(value);
    }

    #[test]
    fn non_finite_floats_reach_the_type() {
        let inf = pyjson::loads(r#"{"name":"W","price":Infinity,"note":null}"#).unwrap();
        assert_eq!(from_py::<Item>(&inf).unwrap().price, f64::INFINITY);
        let huge = pyjson::loads("-1e400").unwrap();
        assert_eq!(from_py::<f64>(&huge), Some(f64::NEG_INFINITY));
        let nan = pyjson::loads("NaN").unwrap();
        assert!(from_py::<f64>(&nan).unwrap().is_nan());
        // Where a JSON value is wanted, non-finite is `null`, as before.
        assert_eq!(
            from_py::<serde_json::Value>(&nan),
            Some(serde_json::Value::Null)
        );
    }
}
