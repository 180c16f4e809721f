//! Which declared constraints a parameter's type can carry, checked when the
//! route compiles: `#[param(gt = 0)]` on a `Query<String>` is an error, not a
//! rule that is documented and never held.

/// A parameter that takes declared constraints; `Value` is what they apply to.
#[diagnostic::on_unimplemented(
    message = "`{Self}` takes no declared constraints",
    label = "gt, ge, lt, le, multiple_of, min_length, max_length and pattern apply to Path, Query, Header, Cookie, Form and Json parameters",
    note = "put the rule on the value's own type (a garde attribute on a model field) instead"
)]
pub trait Constrained {
    /// The value the constraints apply to.
    type Value;
}

/// Types that numeric bounds (`gt`, `ge`, `lt`, `le`, `multiple_of`) apply to.
#[diagnostic::on_unimplemented(
    message = "numeric bounds (gt, ge, lt, le, multiple_of) cannot apply to `{Self}`",
    label = "not a number",
    note = "bounds apply to integers, floats and decimals (and Option of them); for a newtype of a number, implement ferroapi::extract::CarriesBounds for it"
)]
pub trait CarriesBounds {}

/// Types that `min_length` / `max_length` apply to.
#[diagnostic::on_unimplemented(
    message = "min_length / max_length cannot apply to `{Self}`",
    label = "has no length",
    note = "lengths apply to strings, lists, sets and maps (and Option of them); for a newtype, implement ferroapi::extract::CarriesLength for it"
)]
pub trait CarriesLength {}

/// Types that `pattern` applies to.
#[diagnostic::on_unimplemented(
    message = "a pattern cannot apply to `{Self}`",
    label = "not a string",
    note = "patterns apply to strings (and Option of them); for a newtype of a string, implement ferroapi::extract::CarriesPattern for it"
)]
pub trait CarriesPattern {}

macro_rules! marks {
    ($tr:ident: $($t:ty),*) => { $(impl $tr for $t {})* };
}

marks!(CarriesBounds: i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64, crate::Decimal);
impl<const M: u32, const P: u32> CarriesBounds for crate::Condecimal<M, P> {}
marks!(CarriesLength: String, crate::EmailStr, crate::SecretStr, crate::Bytes);
marks!(CarriesPattern: String, crate::EmailStr);

impl<T: CarriesBounds> CarriesBounds for Option<T> {}
impl<T: CarriesLength> CarriesLength for Option<T> {}
impl<T: CarriesPattern> CarriesPattern for Option<T> {}
impl<T> CarriesLength for Vec<T> {}
impl<T, S> CarriesLength for std::collections::HashSet<T, S> {}
impl<T> CarriesLength for std::collections::BTreeSet<T> {}
impl<K, V, S> CarriesLength for std::collections::HashMap<K, V, S> {}
impl<K, V> CarriesLength for std::collections::BTreeMap<K, V> {}

/// Used by the route macro: compiles only when `P` takes the declared kinds
/// of constraints.
pub fn bounds<P: Constrained>()
where
    P::Value: CarriesBounds,
{
}

/// See [`bounds`].
pub fn length<P: Constrained>()
where
    P::Value: CarriesLength,
{
}

/// See [`bounds`].
pub fn pattern<P: Constrained>()
where
    P::Value: CarriesPattern,
{
}
