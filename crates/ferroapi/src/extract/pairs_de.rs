//! The fast path for parameter models (`#[derive(ParamModel)]`): a serde
//! `Deserializer` straight over the query/header/cookie/form pairs, with
//! pydantic's lax text coercions. No intermediate value, no schema walk; only a
//! refused input goes to the diagnose path.

use std::borrow::Cow;

use serde::de::{self, DeserializeSeed, IntoDeserializer, MapAccess, SeqAccess, Visitor};

use super::source::Source;
use crate::validation::lax;

/// Deserialization failed; the diagnose path will say why, pydantic-style.
#[derive(Debug)]
pub(crate) struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("refused")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: std::fmt::Display>(_msg: T) -> Self {
        Refused
    }
}

/// The whole source as a map: every key present; fields known to be lists get
/// all their values.
pub(crate) struct PairsDe<'a> {
    pub(crate) src: &'a dyn Source,
    pub(crate) list_fields: &'a [String],
}

impl<'de> de::Deserializer<'de> for PairsDe<'_> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        // One pass over the pairs (linear in their number), then each key's
        // values handed over.
        let pairs: Vec<(String, Vec<String>)> = self
            .src
            .grouped()
            .into_iter()
            .map(|(k, v)| (k.into_owned(), v.into_iter().map(Cow::into_owned).collect()))
            .collect();
        visitor.visit_map(PairsMap {
            list_fields: self.list_fields,
            pairs: pairs.into_iter(),
            current: None,
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct PairsMap<'a> {
    list_fields: &'a [String],
    pairs: std::vec::IntoIter<(String, Vec<String>)>,
    current: Option<(String, Vec<String>)>,
}

impl<'de> MapAccess<'de> for PairsMap<'_> {
    type Error = Refused;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Refused> {
        match self.pairs.next() {
            Some((k, values)) => {
                let v = seed.deserialize(k.as_str().into_deserializer())?;
                self.current = Some((k, values));
                Ok(Some(v))
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Refused> {
        let (key, mut values) = self.current.take().ok_or(Refused)?;
        if self.list_fields.contains(&key) {
            seed.deserialize(ListDe(values))
        } else {
            let v = values.pop().ok_or(Refused)?;
            seed.deserialize(TextDe(v))
        }
    }
}

struct ListDe(Vec<String>);

impl<'de> de::Deserializer<'de> for ListDe {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_seq(ListAccess(self.0.into_iter()))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

struct ListAccess(std::vec::IntoIter<String>);

impl<'de> SeqAccess<'de> for ListAccess {
    type Error = Refused;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Refused> {
        match self.0.next() {
            Some(v) => seed.deserialize(TextDe(v)).map(Some),
            None => Ok(None),
        }
    }
}

/// One text value, coerced the way pydantic coerces strings.
struct TextDe(String);

macro_rules! lax_int {
    ($($m:ident => $visit:ident as $t:ty),*) => {$(
        fn $m<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
            let v = lax::parse_int(&self.0).map_err(|_| Refused)?;
            visitor.$visit(<$t>::try_from(v).map_err(|_| Refused)?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for TextDe {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_string(self.0)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_bool(lax::parse_bool(&self.0).map_err(|_| Refused)?)
    }

    lax_int!(
        deserialize_i8 => visit_i8 as i8,
        deserialize_i16 => visit_i16 as i16,
        deserialize_i32 => visit_i32 as i32,
        deserialize_i64 => visit_i64 as i64,
        deserialize_i128 => visit_i128 as i128,
        deserialize_u8 => visit_u8 as u8,
        deserialize_u16 => visit_u16 as u16,
        deserialize_u32 => visit_u32 as u32,
        deserialize_u64 => visit_u64 as u64,
        deserialize_u128 => visit_u128 as u128
    );

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_f32(lax::parse_float(&self.0).map_err(|_| Refused)? as f32)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_f64(lax::parse_float(&self.0).map_err(|_| Refused)?)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_seq(ListAccess(vec![self.0].into_iter()))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refused> {
        visitor.visit_enum(self.0.into_deserializer())
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Refused> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct tuple
        tuple_struct map struct identifier ignored_any
    }
}
