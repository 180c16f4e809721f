//! pydantic's "set" fields: [`Maybe<T>`] tells a field the client sent (or a
//! handler set) from one left to its default, as `model_fields_set` does.
//! It is what `model_dump(exclude_unset=True)` reads in a `PATCH`, and what
//! `response_model_exclude_unset=True` leaves out of an answer.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A field that is set or not. Read with `#[serde(default)]`: absent is
/// [`Maybe::Unset`], present (`null` included, for a `Maybe<Option<T>>`)
/// is [`Maybe::Set`]. Written with
/// `#[serde(skip_serializing_if = "Maybe::is_unset")]`, an unset field is
/// left out, as `exclude_unset` leaves it out.
///
/// It is documented as `T` is: the field is not required (it has a default),
/// and its rules (garde's `length`, `range`, `pattern`, `dive`) apply to a
/// set value only.
///
/// ```
/// use ferroapi::Maybe;
///
/// // pydantic: `class ItemPatch(BaseModel): name: str | None = None; tax: float = 10.5`
/// #[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
/// struct ItemPatch {
///     #[serde(default, skip_serializing_if = "Maybe::is_unset")]
///     #[garde(length(chars, max = 50))]
///     name: Maybe<Option<String>>,
///     #[serde(default, skip_serializing_if = "Maybe::is_unset")]
///     #[schemars(extend("default" = 10.5))]
///     #[garde(skip)]
///     tax: Maybe<f64>,
/// }
///
/// let patch: ItemPatch = serde_json::from_str(r#"{"name": null}"#).unwrap();
/// assert_eq!(patch.name, Maybe::Set(None));
/// assert!(patch.tax.is_unset());
/// assert_eq!(patch.tax.unwrap_or(10.5), 10.5);
/// // `model_dump(exclude_unset=True)`:
/// assert_eq!(serde_json::to_string(&patch).unwrap(), r#"{"name":null}"#);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Maybe<T> {
    /// Not sent (not set): the field's default applies.
    #[default]
    Unset,
    /// Sent (set), with this value.
    Set(T),
}

impl<T> Maybe<T> {
    /// Whether it was not set (for `skip_serializing_if`).
    pub fn is_unset(&self) -> bool {
        matches!(self, Maybe::Unset)
    }

    /// Whether it was set.
    pub fn is_set(&self) -> bool {
        matches!(self, Maybe::Set(_))
    }

    /// The value if set.
    pub fn set(self) -> Option<T> {
        match self {
            Maybe::Set(v) => Some(v),
            Maybe::Unset => None,
        }
    }

    /// A reference to the value if set.
    pub fn as_ref(&self) -> Maybe<&T> {
        match self {
            Maybe::Set(v) => Maybe::Set(v),
            Maybe::Unset => Maybe::Unset,
        }
    }

    /// The value, or `default` when unset (the field's default).
    pub fn unwrap_or(self, default: T) -> T {
        self.set().unwrap_or(default)
    }

    /// The value, or the type's default when unset.
    pub fn unwrap_or_default(self) -> T
    where
        T: Default,
    {
        self.set().unwrap_or_default()
    }

    /// This if set, else `other` (a patch over a stored model whose fields
    /// are `Maybe` too).
    pub fn or(self, other: Maybe<T>) -> Maybe<T> {
        match self {
            Maybe::Set(_) => self,
            Maybe::Unset => other,
        }
    }

    /// Writes the value into `target` if it was set: one field of
    /// `model_copy(update=patch.model_dump(exclude_unset=True))`.
    pub fn apply_to(self, target: &mut T) {
        if let Maybe::Set(v) = self {
            *target = v;
        }
    }
}

impl<T> From<T> for Maybe<T> {
    fn from(v: T) -> Self {
        Maybe::Set(v)
    }
}

impl<T: Serialize> Serialize for Maybe<T> {
    /// A set value as itself; an unset one (a field without
    /// `skip_serializing_if`) as `null`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Maybe::Set(v) => v.serialize(serializer),
            Maybe::Unset => serializer.serialize_none(),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Maybe<T> {
    /// Present: set, whatever the value (an absent field is `Unset` through
    /// `#[serde(default)]`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Maybe::Set)
    }
}

impl<T: schemars::JsonSchema> schemars::JsonSchema for Maybe<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }

    fn _schemars_private_non_optional_json_schema(
        generator: &mut schemars::SchemaGenerator,
    ) -> schemars::Schema {
        T::_schemars_private_non_optional_json_schema(generator)
    }

    fn _schemars_private_is_option() -> bool {
        T::_schemars_private_is_option()
    }
}

// garde's rules apply to a set value, as to `Some` of an `Option`.

impl<T: garde::Validate> garde::Validate for Maybe<T> {
    type Context = T::Context;

    fn validate_into(
        &self,
        ctx: &Self::Context,
        parent: &mut dyn FnMut() -> garde::Path,
        report: &mut garde::Report,
    ) {
        if let Maybe::Set(v) = self {
            v.validate_into(ctx, parent, report);
        }
    }
}

impl<T: garde::rules::range::Bounds> garde::rules::range::Bounds for Maybe<T> {
    type Size = T::Size;
    const MIN: Self::Size = T::MIN;
    const MAX: Self::Size = T::MAX;

    fn validate_bounds(
        &self,
        lower_bound: Self::Size,
        upper_bound: Self::Size,
    ) -> Result<(), garde::rules::range::OutOfBounds> {
        match self {
            Maybe::Set(v) => v.validate_bounds(lower_bound, upper_bound),
            Maybe::Unset => Ok(()),
        }
    }
}

impl<T: garde::rules::length::chars::Chars> garde::rules::length::chars::Chars for Maybe<T> {
    fn validate_num_chars(&self, min: usize, max: usize) -> Result<(), garde::Error> {
        match self {
            Maybe::Set(v) => v.validate_num_chars(min, max),
            Maybe::Unset => Ok(()),
        }
    }
}

impl<T: garde::rules::length::simple::Simple> garde::rules::length::simple::Simple for Maybe<T> {
    fn validate_length(&self, min: usize, max: usize) -> Result<(), garde::Error> {
        match self {
            Maybe::Set(v) => v.validate_length(min, max),
            Maybe::Unset => Ok(()),
        }
    }
}

impl<T: garde::rules::pattern::Pattern> garde::rules::pattern::Pattern for Maybe<T> {
    fn validate_pattern<M: garde::rules::pattern::Matcher>(&self, matcher: &M) -> bool {
        match self {
            Maybe::Set(v) => v.validate_pattern(matcher),
            Maybe::Unset => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, Serialize, schemars::JsonSchema, garde::Validate)]
    struct Patch {
        #[serde(default, skip_serializing_if = "Maybe::is_unset")]
        #[garde(length(chars, min = 2))]
        name: Maybe<Option<String>>,
        #[serde(default, skip_serializing_if = "Maybe::is_unset")]
        #[garde(range(min = 0.0))]
        price: Maybe<f64>,
    }

    #[test]
    fn absent_null_and_values_are_three_cases() {
        use garde::Validate;
        let p: Patch = serde_json::from_str("{}").unwrap();
        assert!(p.name.is_unset() && p.price.is_unset());
        assert_eq!(serde_json::to_string(&p).unwrap(), "{}");
        assert!(p.validate().is_ok());
        let p: Patch = serde_json::from_str(r#"{"name": null, "price": 2}"#).unwrap();
        assert_eq!(p.name, Maybe::Set(None));
        assert_eq!(p.price, Maybe::Set(2.0));
        assert_eq!(
            serde_json::to_string(&p).unwrap(),
            r#"{"name":null,"price":2.0}"#
        );
        // Rules hold for what was sent.
        let p: Patch = serde_json::from_str(r#"{"name": "x", "price": -1}"#).unwrap();
        let report = p.validate().unwrap_err().to_string();
        assert!(
            report.contains("name") && report.contains("price"),
            "{report}"
        );
        // A price of the wrong type is refused, not taken as unset.
        assert!(serde_json::from_str::<Patch>(r#"{"price": "x"}"#).is_err());
    }

    #[test]
    fn documented_as_the_inner_type_and_not_required() {
        let schema = serde_json::to_value(schemars::schema_for!(Patch)).unwrap();
        assert_eq!(schema["properties"]["price"]["type"], "number");
        assert!(schema
            .get("required")
            .is_none_or(|r| r.as_array().unwrap().is_empty()));
    }
}
