//! A declared rule's error, made once. `min_length=1`, `ge=1` or a pattern
//! reports the same type, message and context every time it fails, so the
//! first failure of each rule writes them and every later one borrows them:
//! a refused request formats no message and allocates no context for a
//! rule's error.
//!
//! The rules an app declares are few and fixed when it is built; the table
//! still stops growing at [`LIMIT`] entries (past it, an error is made as
//! before), so no input can make it grow without bound.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

use foldhash::fast::FixedState;

use super::Kind;

/// The most rules kept; past it, errors are made anew each time.
pub const LIMIT: usize = 4096;

/// Which catalogue entry a rule's error comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Rule {
    StringTooShort,
    StringTooLong,
    BytesTooShort,
    BytesTooLong,
    GreaterThan,
    GreaterThanEqual,
    LessThan,
    LessThanEqual,
    MultipleOf,
    IntAboveMax,
    IntBelowMin,
}

/// A rule and its bound: a length, an integer, or a float's bits with
/// whether the field is an integer (its `ctx` number's type).
type Key = (Rule, u128, bool);

/// The kept errors. foldhash, not the standard library's SipHash: a
/// lookup is on every refused rule's path, and its keys are the app's own
/// declarations (nothing a client chooses).
#[derive(Default)]
struct Made {
    bounds: HashMap<Key, Kind, FixedState>,
    patterns: HashMap<Box<str>, Kind, FixedState>,
}

impl Made {
    fn len(&self) -> usize {
        self.bounds.len() + self.patterns.len()
    }
}

static MADE: LazyLock<RwLock<Made>> = LazyLock::new(RwLock::default);

/// The error of `rule` with `bound`, made by `make` the first time.
pub(crate) fn bound(rule: Rule, bound: u128, int: bool, make: impl FnOnce() -> Kind) -> Kind {
    bound_in(&MADE, (rule, bound, int), make)
}

fn bound_in(table: &RwLock<Made>, key: Key, make: impl FnOnce() -> Kind) -> Kind {
    let made = table.read().unwrap_or_else(PoisonError::into_inner);
    if let Some(k) = made.bounds.get(&key) {
        return k.clone();
    }
    drop(made);
    let kind = make();
    let mut made = table.write().unwrap_or_else(PoisonError::into_inner);
    if made.len() >= LIMIT {
        return kind;
    }
    made.bounds.entry(key).or_insert_with(|| keep(kind)).clone()
}

/// The error of a pattern rule, made by `make` the first time.
pub(crate) fn pattern(pattern: &str, make: impl FnOnce() -> Kind) -> Kind {
    let made = MADE.read().unwrap_or_else(PoisonError::into_inner);
    if let Some(k) = made.patterns.get(pattern) {
        return k.clone();
    }
    drop(made);
    let kind = make();
    let mut made = MADE.write().unwrap_or_else(PoisonError::into_inner);
    if made.len() >= LIMIT {
        return kind;
    }
    made.patterns
        .entry(pattern.into())
        .or_insert_with(|| keep(kind))
        .clone()
}

/// The kind with its message and context kept for the life of the process,
/// so that a copy of it borrows them.
fn keep(kind: Kind) -> Kind {
    let msg: &'static str = match kind.msg {
        Cow::Borrowed(s) => s,
        Cow::Owned(s) => Box::leak(s.into_boxed_str()),
    };
    let ctx = kind.ctx.map(|c| match c {
        Cow::Borrowed(c) => Cow::Borrowed(c),
        Cow::Owned(c) => Cow::Borrowed(&*Box::leak(c.into_boxed_slice())),
    });
    Kind {
        kind: kind.kind,
        msg: Cow::Borrowed(msg),
        ctx,
    }
}

#[cfg(test)]
mod tests {
    use super::super::kinds;
    use super::*;

    #[test]
    fn a_rule_error_is_made_once_and_borrowed_after() {
        let first = kinds::string_too_short(7_777);
        let again = kinds::string_too_short(7_777);
        assert_eq!(first, again);
        assert_eq!(first.msg, "String should have at least 7777 characters");
        assert!(matches!(again.msg, Cow::Borrowed(_)));
        assert!(matches!(again.ctx, Some(Cow::Borrowed(_))));
        // The same bound for another rule, or as a float field's, is another
        // error.
        assert_eq!(
            kinds::string_too_long(7_777).msg,
            "String should have at most 7777 characters"
        );
        assert_eq!(
            kinds::greater_than(3.0, true).ctx.unwrap()[0].1,
            super::super::PyValue::Int(3)
        );
        assert_eq!(
            kinds::greater_than(3.0, false).ctx.unwrap()[0].1,
            super::super::PyValue::Float(3.0)
        );
        let p = kinds::string_pattern_mismatch("^a\"b$");
        assert_eq!(p, kinds::string_pattern_mismatch("^a\"b$"));
        assert_eq!(p.msg, "String should match pattern '^a\"b$'");
    }

    #[test]
    fn the_table_stops_growing_at_its_limit() {
        let table = RwLock::default();
        for n in 2..LIMIT + 12 {
            let k = bound_in(&table, (Rule::BytesTooLong, n as u128, false), || {
                kinds::bytes_too_long(n)
            });
            assert_eq!(k.msg, format!("Data should have at most {n} bytes"));
        }
        assert_eq!(table.read().unwrap().len(), LIMIT);
        // Past the limit, errors are still right, only made each time.
        let late = bound_in(&table, (Rule::BytesTooShort, 5, false), || {
            kinds::bytes_too_short(5)
        });
        assert_eq!(late.msg, "Data should have at least 5 bytes");
        assert!(matches!(late.msg, Cow::Owned(_)));
    }
}
