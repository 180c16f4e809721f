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
pub fn gt<T: PartialOrd + Display + Copy>(bound: T) -> impl FnOnce(&T, &()) -> garde::Result {
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
pub fn lt<T: PartialOrd + Display + Copy>(bound: T) -> impl FnOnce(&T, &()) -> garde::Result {
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

/// The value must be a multiple of `m`.
pub fn multiple_of(m: f64) -> impl FnOnce(&f64, &()) -> garde::Result {
    move |v, _| {
        let q = v / m;
        if (q - q.round()).abs() < 1e-9 {
            Ok(())
        } else {
            Err(garde::Error::new(format!(
                "Input should be a multiple of {m}"
            )))
        }
    }
}
