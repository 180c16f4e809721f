//! Validation rules garde lacks, for body models: exclusive bounds and
//! multiples (FastAPI's `Field(gt=..., lt=..., multiple_of=...)`).
//!
//! Use with garde's `custom`, and describe the same rule to schemars so the
//! document and the error report agree:
//!
//! ```
//! #[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate)]
//! struct Item {
//!     #[garde(custom(ferroapi::rules::gt(0.0)))]
//!     #[schemars(extend("exclusiveMinimum" = 0.0))]
//!     price: f64,
//! }
//! ```

use std::fmt::Display;

/// The value must be greater than `bound`.
pub fn gt<T: PartialOrd<B>, B: Display>(bound: B) -> impl FnOnce(&T, &()) -> garde::Result {
    move |v, _| {
        if *v > bound {
            Ok(())
        } else {
            Err(garde::Error::new(format!(
                "Input should be greater than {bound}"
            )))
        }
    }
}

/// The value must be less than `bound`.
pub fn lt<T: PartialOrd<B>, B: Display>(bound: B) -> impl FnOnce(&T, &()) -> garde::Result {
    move |v, _| {
        if *v < bound {
            Ok(())
        } else {
            Err(garde::Error::new(format!(
                "Input should be less than {bound}"
            )))
        }
    }
}

/// The value must be at least `bound` (garde's `range(min = ..)` for the
/// types it lacks, such as [`crate::Decimal`]).
///
/// garde builds a rule each time it validates, so a bound that costs
/// something to make (a decimal read from text) is best made once and
/// given by reference:
///
/// ```
/// use std::sync::LazyLock;
/// use ferroapi::{rules, Decimal};
///
/// static MIN: LazyLock<Decimal> = LazyLock::new(|| Decimal::literal("-1.5"));
///
/// #[derive(garde::Validate)]
/// struct Price {
///     #[garde(custom(rules::ge(&*MIN)))]
///     amount: Decimal,
/// }
///
/// use garde::Validate;
/// assert!(Price { amount: Decimal::literal("-1.5") }.validate().is_ok());
/// assert!(Price { amount: Decimal::literal("-1.51") }.validate().is_err());
/// ```
pub fn ge<T: PartialOrd<B>, B: Display>(bound: B) -> impl FnOnce(&T, &()) -> garde::Result {
    move |v, _| {
        if *v >= bound {
            Ok(())
        } else {
            Err(garde::Error::new(format!(
                "Input should be greater than or equal to {bound}"
            )))
        }
    }
}

/// The value must be at most `bound` (garde's `range(max = ..)` for the
/// types it lacks).
pub fn le<T: PartialOrd<B>, B: Display>(bound: B) -> impl FnOnce(&T, &()) -> garde::Result {
    move |v, _| {
        if *v <= bound {
            Ok(())
        } else {
            Err(garde::Error::new(format!(
                "Input should be less than or equal to {bound}"
            )))
        }
    }
}

/// The value must be a multiple of `m` (an integer type, or a float; a
/// decimal, or a reference to one made once, as `rules::ge` shows).
pub fn multiple_of<T: Multiple, M: std::borrow::Borrow<T> + Display>(
    m: M,
) -> impl FnOnce(&T, &()) -> garde::Result {
    move |v, _| {
        if v.is_multiple(m.borrow()) {
            Ok(())
        } else {
            Err(garde::Error::new(format!(
                "Input should be a multiple of {m}"
            )))
        }
    }
}

/// A number [`multiple_of`] can check: integers exactly, floats as pydantic
/// does (the quotient within 1e-9 of a whole number), decimals exactly.
pub trait Multiple: Clone + Display {
    /// Whether `self` is a multiple of `m`.
    fn is_multiple(&self, m: &Self) -> bool;
}

impl Multiple for crate::Decimal {
    fn is_multiple(&self, m: &Self) -> bool {
        self.is_multiple_of(m)
    }
}

macro_rules! integer_multiple {
    ($($t:ty),*) => {$(
        impl Multiple for $t {
            fn is_multiple(&self, m: &Self) -> bool {
                *m != 0 && self.wrapping_rem(*m) == 0
            }
        }
    )*};
}
integer_multiple!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

impl Multiple for f64 {
    fn is_multiple(&self, m: &Self) -> bool {
        let q = self / m;
        (q - q.round()).abs() < 1e-9
    }
}

impl Multiple for f32 {
    fn is_multiple(&self, m: &Self) -> bool {
        f64::from(*self).is_multiple(&f64::from(*m))
    }
}
