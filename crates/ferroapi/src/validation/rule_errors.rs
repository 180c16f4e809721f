//! A declared rule's error, made once. `min_length=1`, `ge=1` or a pattern
//! reports the same type, message and context every time it fails, so the
//! first failure of each rule writes them and every later one borrows them:
//! a refused request formats no message and allocates no context for a
//! rule's error.
//!
//! An error whose message and context are kept for the process (these, and
//! the catalogue's fixed ones: `missing`, `int_parsing`, ...) also has its
//! type, message and context written as JSON once, the first time one of it
//! is written: an item of it writes only its location and input.
//!
//! The rules an app declares are few and fixed when it is built; the tables
//! (bounds, patterns, written parts) still stop growing at [`LIMIT`] entries
//! each (past it, an error is made
//! and written as before), so no input can make them grow without bound.

use std::borrow::{Borrow, Cow};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{LazyLock, PoisonError, RwLock};

use foldhash::fast::FixedState;

use super::{write_head, write_middle, write_tail, ErrorItem, Kind, PyValue};

/// The most entries a table keeps; past it, errors are made anew each time.
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

/// Errors kept by key, each made the first time it is asked for. foldhash,
/// not the standard library's SipHash: a lookup is on every refused rule's
/// path, and its keys are the app's own declarations (nothing a client
/// chooses).
struct Kept<K>(RwLock<HashMap<K, Kind, FixedState>>);

impl<K> Default for Kept<K> {
    fn default() -> Self {
        Kept(RwLock::default())
    }
}

impl<K: Hash + Eq> Kept<K> {
    /// The error kept under `key`; made by `make` and kept under `owned()`
    /// the first time (only made, past [`LIMIT`]).
    fn get<Q>(&self, key: &Q, owned: impl FnOnce() -> K, make: impl FnOnce() -> Kind) -> Kind
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        if let Some(k) = self
            .0
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
        {
            return k.clone();
        }
        let kind = make();
        let mut kept = self.0.write().unwrap_or_else(PoisonError::into_inner);
        if kept.len() >= LIMIT {
            return kind;
        }
        kept.entry(owned()).or_insert_with(|| keep(kind)).clone()
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.0.read().unwrap_or_else(PoisonError::into_inner).len()
    }
}

static BOUNDS: LazyLock<Kept<Key>> = LazyLock::new(Kept::default);
static PATTERNS: LazyLock<Kept<Box<str>>> = LazyLock::new(Kept::default);

/// A kept context: never freed, so its address names it.
type KeptCtx = &'static [(Cow<'static, str>, PyValue)];

/// An error's parts as JSON, around its location and its input.
pub(crate) struct Rendered {
    kind: Box<str>,
    ctx: Option<KeptCtx>,
    /// `{"type":"…","loc":[`
    pub(crate) head: Box<str>,
    /// `],"msg":"…","input":`
    pub(crate) middle: Box<str>,
    /// `,"ctx":{…}}`, or `}`
    pub(crate) tail: Box<str>,
}

/// Written errors by their message's address and length: a `'static`
/// message is never freed nor changed, so they name its text for good. The
/// type and context are compared too before the parts are used (two kinds
/// may share a message).
type Written = HashMap<(usize, usize), &'static Rendered, FixedState>;

static WRITTEN: LazyLock<RwLock<Written>> = LazyLock::new(RwLock::default);

/// The JSON parts of `item`'s type, message and context, when they are
/// kept for the process: written the first time, borrowed after.
pub(crate) fn rendered(item: &ErrorItem) -> Option<&'static Rendered> {
    rendered_in(&WRITTEN, item)
}

fn rendered_in(table: &RwLock<Written>, item: &ErrorItem) -> Option<&'static Rendered> {
    let Cow::Borrowed(msg) = item.msg else {
        return None;
    };
    let ctx: Option<KeptCtx> = match item.ctx {
        None => None,
        Some(Cow::Borrowed(c)) => Some(c),
        Some(Cow::Owned(_)) => return None,
    };
    let key = (msg.as_ptr() as usize, msg.len());
    let same = |r: &Rendered| {
        *r.kind == *item.kind
            && match (r.ctx, ctx) {
                (None, None) => true,
                (Some(a), Some(b)) => std::ptr::eq(a, b),
                _ => false,
            }
    };
    let written = table.read().unwrap_or_else(PoisonError::into_inner);
    if let Some(&r) = written.get(&key) {
        return same(r).then_some(r);
    }
    drop(written);
    let mut written = table.write().unwrap_or_else(PoisonError::into_inner);
    if let Some(&r) = written.get(&key) {
        return same(r).then_some(r);
    }
    if written.len() >= LIMIT {
        return None;
    }
    let mut head = String::new();
    write_head(&item.kind, &mut head);
    let mut middle = String::new();
    write_middle(msg, &mut middle);
    let mut tail = String::new();
    write_tail(ctx, &mut tail);
    let r: &'static Rendered = Box::leak(Box::new(Rendered {
        kind: item.kind.as_ref().into(),
        ctx,
        head: head.into(),
        middle: middle.into(),
        tail: tail.into(),
    }));
    written.insert(key, r);
    same(r).then_some(r)
}

/// The error of `rule` with `bound`, made by `make` the first time.
pub(crate) fn bound(rule: Rule, bound: u128, int: bool, make: impl FnOnce() -> Kind) -> Kind {
    let key = (rule, bound, int);
    BOUNDS.get(&key, || key, make)
}

/// The error of a pattern rule, made by `make` the first time.
pub(crate) fn pattern(pattern: &str, make: impl FnOnce() -> Kind) -> Kind {
    PATTERNS.get(pattern, || pattern.into(), make)
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
    fn a_kept_error_is_written_as_it_would_be_written_whole() {
        use super::super::{LocPart, PyValue};
        let cases = [
            kinds::string_pattern_mismatch("^\\d\"$"),
            kinds::less_than_equal(2.5, false),
            kinds::int_above_max(i64::MAX.into()),
            kinds::int_parsing(),
        ];
        for kind in cases {
            let loc = vec![
                LocPart::from("body"),
                LocPart::Index(3),
                LocPart::from("a\"b"),
            ];
            let item = ErrorItem::from_kind(kind, loc, PyValue::Str("x\ny".into()));
            let mut owned = item.clone();
            owned.msg = Cow::Owned(owned.msg.to_string());
            let mut expected = String::new();
            owned.write_json(&mut expected);
            assert!(rendered(&owned).is_none());
            // Written twice: the first writes the parts, the second uses them.
            for _ in 0..2 {
                let mut got = String::new();
                item.write_json(&mut got);
                assert_eq!(got, expected);
            }
            assert!(rendered(&item).is_some());
        }
        // Another type with the same message and context is not taken for it.
        let same: &'static str = "same";
        let a = ErrorItem::new("one", vec![], same, PyValue::Null);
        let b = ErrorItem::new("two", vec![], same, PyValue::Null);
        let table = RwLock::default();
        assert!(rendered_in(&table, &a).is_some());
        assert!(rendered_in(&table, &b).is_none());
        let mut out = String::new();
        b.write_json(&mut out);
        assert!(out.starts_with(r#"{"type":"two""#), "{out}");
    }

    proptest::proptest! {
        // Any kept error, at any location and with any input, is written
        // byte for byte as the same error with its message owned (written
        // whole, part by part).
        #[test]
        fn written_parts_change_no_byte(
            which in 0usize..6,
            n in 0usize..64,
            pattern in "(?s).{0,12}",
            keys in proptest::collection::vec("(?s).{0,6}", 0..4),
            input in "(?s).{0,12}",
        ) {
            use super::super::{LocPart, PyValue};
            let kind = match which {
                0 => kinds::string_too_short(n),
                1 => kinds::bytes_too_long(n),
                2 => kinds::multiple_of(n as f64 / 4.0, n % 2 == 0),
                3 => kinds::string_pattern_mismatch(&pattern),
                4 => kinds::int_parsing(),
                _ => kinds::extra_forbidden(),
            };
            let mut loc: Vec<LocPart> = keys.into_iter().map(LocPart::from).collect();
            loc.push(LocPart::Index(n));
            let item = ErrorItem::from_kind(kind, loc, PyValue::Str(input));
            let mut owned = item.clone();
            owned.msg = Cow::Owned(owned.msg.to_string());
            let (mut expected, mut first, mut second) = (String::new(), String::new(), String::new());
            owned.write_json(&mut expected);
            item.write_json(&mut first);
            item.write_json(&mut second);
            proptest::prop_assert_eq!(&first, &expected);
            proptest::prop_assert_eq!(&second, &expected);
        }
    }

    #[test]
    fn the_table_stops_growing_at_its_limit() {
        let table = Kept::default();
        for n in 2..LIMIT + 12 {
            let key = (Rule::BytesTooLong, n as u128, false);
            let k = table.get(&key, || key, || kinds::bytes_too_long(n));
            assert_eq!(k.msg, format!("Data should have at most {n} bytes"));
        }
        assert_eq!(table.len(), LIMIT);
        let written = RwLock::default();
        for n in 0..LIMIT + 2 {
            let msg: &'static str = Box::leak(format!("message {n}").into_boxed_str());
            let item = ErrorItem::new("k", vec![], msg, super::super::PyValue::Null);
            assert_eq!(rendered_in(&written, &item).is_some(), n < LIMIT);
        }
        assert_eq!(written.read().unwrap().len(), LIMIT);
        // Past the limit, errors are still right, only made each time.
        let key = (Rule::BytesTooShort, 5, false);
        let late = table.get(&key, || key, || kinds::bytes_too_short(5));
        assert_eq!(late.msg, "Data should have at least 5 bytes");
        assert!(matches!(late.msg, Cow::Owned(_)));
    }
}
