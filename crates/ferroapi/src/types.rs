//! pydantic's special string types: `SecretStr` and the versioned UUIDs
//! (`UUID1`, `UUID3`, `UUID4`, `UUID5`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// pydantic's `SecretStr`: read as a string, written as `"**********"` (or
/// `""` when empty), shown as such by `Debug` and `Display`; the value is
/// [`expose_secret`](Self::expose_secret) (pydantic's `get_secret_value()`).
/// Documented as `{"type": "string", "format": "password", "writeOnly": true}`.
///
/// ```
/// let s: ferroapi::SecretStr = serde_json::from_str(r#""hunter2""#).unwrap();
/// assert_eq!(s.expose_secret(), "hunter2");
/// assert_eq!(serde_json::to_string(&s).unwrap(), r#""**********""#);
/// assert_eq!(format!("{s:?}"), "SecretStr('**********')");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct SecretStr(String);

impl SecretStr {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        SecretStr(secret.into())
    }

    /// The secret itself.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    fn masked(&self) -> &'static str {
        if self.0.is_empty() {
            ""
        } else {
            "**********"
        }
    }
}

impl std::fmt::Debug for SecretStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretStr('{}')", self.masked())
    }
}

impl std::fmt::Display for SecretStr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.masked())
    }
}

impl Serialize for SecretStr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.masked())
    }
}

impl<'de> Deserialize<'de> for SecretStr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SecretStr)
    }
}

impl schemars::JsonSchema for SecretStr {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SecretStr".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "password", "writeOnly": true})
    }
}

impl garde::Validate for SecretStr {
    type Context = ();
    fn validate_into(
        &self,
        _: &Self::Context,
        _: &mut dyn FnMut() -> garde::Path,
        _: &mut garde::Report,
    ) {
    }
}

/// A UUID of one version, as pydantic's `UUID1`/`UUID3`/`UUID4`/`UUID5`
/// (`uuid_version` "UUID version 4 expected" otherwise); use the aliases
/// [`Uuid1`], [`Uuid3`], [`Uuid4`], [`Uuid5`]. Documented with
/// `format: uuid4` and so on, as pydantic writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UuidVersion<const V: u8>(pub uuid::Uuid);

/// pydantic's `UUID1`.
pub type Uuid1 = UuidVersion<1>;
/// pydantic's `UUID3`.
pub type Uuid3 = UuidVersion<3>;
/// pydantic's `UUID4`.
pub type Uuid4 = UuidVersion<4>;
/// pydantic's `UUID5`.
pub type Uuid5 = UuidVersion<5>;

impl<const V: u8> std::ops::Deref for UuidVersion<V> {
    type Target = uuid::Uuid;
    fn deref(&self) -> &uuid::Uuid {
        &self.0
    }
}

impl<const V: u8> std::fmt::Display for UuidVersion<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl<const V: u8> Serialize for UuidVersion<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, const V: u8> Deserialize<'de> for UuidVersion<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let id = uuid::Uuid::deserialize(deserializer)?;
        if id.get_version_num() != usize::from(V) {
            return Err(serde::de::Error::custom(format!(
                "UUID version {V} expected"
            )));
        }
        Ok(UuidVersion(id))
    }
}

impl<const V: u8> schemars::JsonSchema for UuidVersion<V> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Uuid{V}").into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": format!("uuid{V}")})
    }
}

impl<const V: u8> garde::Validate for UuidVersion<V> {
    type Context = ();
    fn validate_into(
        &self,
        _: &Self::Context,
        _: &mut dyn FnMut() -> garde::Path,
        _: &mut garde::Report,
    ) {
    }
}
