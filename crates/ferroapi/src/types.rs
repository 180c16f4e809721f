//! pydantic's special string types: `SecretStr`, the versioned UUIDs
//! (`UUID1`, `UUID3`, `UUID4`, `UUID5`), URLs (`HttpUrl`, `AnyUrl`) and
//! `bytes`.

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

/// A type with no garde rules of its own (its parsing is its rule), usable
/// as a field of a garde-validated model.
macro_rules! no_rules {
    (impl$(<$(const $c:ident: $ct:ty),*>)? for $t:ty) => {
        impl$(<$(const $c: $ct),*>)? garde::Validate for $t {
            type Context = ();
            fn validate_into(
                &self,
                _: &Self::Context,
                _: &mut dyn FnMut() -> garde::Path,
                _: &mut garde::Report,
            ) {
            }
        }
    };
}

no_rules!(impl for SecretStr);

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

no_rules!(impl<const V: u8> for UuidVersion<V>);

/// pydantic's `Optional[T]` with no default: required, and `null` allowed.
/// A Rust `Option<T>` field is optional (a missing one is `None`); this one
/// must be sent, as pydantic's is ("Field required" otherwise), and is
/// documented `required` with `anyOf: [T, null]`.
///
/// ```
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Patch {
///     note: ferroapi::Nullable<String>,
/// }
/// let p: Patch = serde_json::from_str(r#"{"note": null}"#).unwrap();
/// assert_eq!(p.note.0, None);
/// assert!(serde_json::from_str::<Patch>("{}").is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nullable<T>(pub Option<T>);

impl<T> std::ops::Deref for Nullable<T> {
    type Target = Option<T>;
    fn deref(&self) -> &Option<T> {
        &self.0
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    fn from(v: Option<T>) -> Self {
        Nullable(v)
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de, T: serde::de::DeserializeOwned> serde::Deserialize<'de> for Nullable<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Through a JSON value, so that a missing field is an error: serde
        // fills a missing field only for a type that asks for an option.
        let v = serde_json::Value::deserialize(deserializer)?;
        if v.is_null() {
            return Ok(Nullable(None));
        }
        T::deserialize(v)
            .map(|t| Nullable(Some(t)))
            .map_err(serde::de::Error::custom)
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Nullable<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Nullable_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        Option::<T>::json_schema(generator)
    }
}

impl<T: garde::Validate> garde::Validate for Nullable<T> {
    type Context = T::Context;
    fn validate_into(
        &self,
        ctx: &Self::Context,
        parent: &mut dyn FnMut() -> garde::Path,
        report: &mut garde::Report,
    ) {
        if let Some(v) = &self.0 {
            v.validate_into(ctx, parent, report)
        }
    }
}

/// The schema keyword that tells the walker an array is a [`Tuple`]; never
/// written into the document.
pub const TUPLE_KEYWORD: &str = "x-ferroapi-tuple";

/// pydantic's `tuple[T, ...]`: any number of `T`, held in a `Vec`, read,
/// documented and reported as pydantic does a tuple (`tuple_type`, "Tuple
/// should have at most 3 items"). A fixed tuple, `tuple[int, str]`, is the
/// Rust tuple `(i64, String)`.
///
/// ```
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Path {
///     points: ferroapi::Tuple<i64>,
/// }
/// let p: Path = serde_json::from_str(r#"{"points": [1, 2, 3]}"#).unwrap();
/// assert_eq!(p.points.len(), 3);
/// ```
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Tuple<T>(pub Vec<T>);

impl<T> std::ops::Deref for Tuple<T> {
    type Target = Vec<T>;
    fn deref(&self) -> &Vec<T> {
        &self.0
    }
}

impl<T> std::ops::DerefMut for Tuple<T> {
    fn deref_mut(&mut self) -> &mut Vec<T> {
        &mut self.0
    }
}

impl<T> From<Vec<T>> for Tuple<T> {
    fn from(v: Vec<T>) -> Self {
        Tuple(v)
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Tuple<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Tuple_{}", T::schema_name()).into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = Vec::<T>::json_schema(generator);
        schema.insert(TUPLE_KEYWORD.into(), true.into());
        schema
    }
}

impl<T: garde::Validate> garde::Validate for Tuple<T> {
    type Context = T::Context;
    fn validate_into(
        &self,
        ctx: &Self::Context,
        parent: &mut dyn FnMut() -> garde::Path,
        report: &mut garde::Report,
    ) {
        self.0.validate_into(ctx, parent, report)
    }
}

/// The schema keyword that tells the walker a `format: uri` string is an
/// `HttpUrl` (http/https, 2083 characters); never written into the document.
pub const HTTP_URL_KEYWORD: &str = "x-ferroapi-http-url";

macro_rules! url_type {
    ($(#[$doc:meta])* $name:ident, http: $http:expr, $schema:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub url::Url);

        impl std::ops::Deref for $name {
            type Target = url::Url;
            fn deref(&self) -> &url::Url {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.0.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = crate::validation::Kind;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                crate::validation::lax::parse_url(s, $http).map($name)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.0.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                s.parse().map_err(|k: crate::validation::Kind| serde::de::Error::custom(k.msg))
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                $schema
            }
        }

        no_rules!(impl for $name);
    };
}

url_type!(
    /// pydantic's `HttpUrl`: an `http` or `https` URL of at most 2083
    /// characters, normalised as pydantic does (`https://example.com` is
    /// written `https://example.com/`); `url_parsing`, `url_scheme`,
    /// `url_too_long`, `url_type` otherwise.
    ///
    /// ```
    /// let u: ferroapi::HttpUrl = "HTTP://Example.COM:80/a/../b".parse().unwrap();
    /// assert_eq!(u.to_string(), "http://example.com/b");
    /// assert!("ftp://x.org".parse::<ferroapi::HttpUrl>().is_err());
    /// ```
    HttpUrl,
    http: true,
    schemars::json_schema!({
        "type": "string", "format": "uri", "minLength": 1, "maxLength": 2083,
        "x-ferroapi-http-url": true
    })
);

url_type!(
    /// pydantic's `AnyUrl`: a URL of any scheme (`mailto:`, `redis://`...).
    AnyUrl,
    http: false,
    schemars::json_schema!({"type": "string", "format": "uri", "minLength": 1})
);

/// pydantic's `bytes` in JSON: read from a string (its UTF-8 bytes), written
/// as text, documented `{"type": "string", "contentMediaType":
/// "application/octet-stream"}` as FastAPI writes it; length rules
/// (`#[schemars(length(max = 3))]`) count bytes and answer `bytes_too_long` /
/// `bytes_too_short`, other JSON values `bytes_type`.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bytes(pub Vec<u8>);

/// `#[garde(length(max = 3))]` counts bytes, as pydantic's `conbytes`.
impl garde::rules::length::simple::HasSimpleLength for Bytes {
    fn length(&self) -> usize {
        self.0.len()
    }
}

impl std::ops::Deref for Bytes {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&String::from_utf8_lossy(&self.0))
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(|s| Bytes(s.into_bytes()))
    }
}

impl schemars::JsonSchema for Bytes {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Bytes".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "contentMediaType": "application/octet-stream"})
    }
}

no_rules!(impl for Bytes);
