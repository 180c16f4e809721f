//! A model's own validators beside its schema errors, as pydantic reports
//! them: a `field_validator` runs on every field whose value passed its type
//! and constraints, even when another field failed; a validator of a model
//! or list runs only when everything inside it passed.
//!
//! The user's validators are garde rules, run on a value of the user's type.
//! When the schema walk found errors there is no such value, so one is made:
//! each part of the input an error points at is replaced by a value valid
//! for its schema node (a missing field is filled, an extra key dropped),
//! the type is read from that, and garde runs on it. Of garde's errors,
//! only those on parts that were valid as sent are kept: none inside a
//! replaced part, none on a container of one.

use std::borrow::Cow;

use super::{Diagnoser, Node, StrFormat};
use crate::datetime::Temporal;
use crate::validation::{LocPart, PyValue};

/// Nested models filled at most this deep (a recursive model's required
/// field of its own type has no finite valid value).
const MAX_FILL_DEPTH: usize = 16;

/// What to do at a location of the input.
enum Fix {
    /// Put a valid value of this node there (replacing, or adding a missing
    /// field or tuple position).
    Fill(usize),
    /// Drop an extra key.
    Drop,
}

/// One part of a location taken into the schema and the input.
enum Step {
    /// Into this node, ranked (for the order of errors) as given.
    Into(usize, usize),
    /// A key the model does not declare (after its fields in the order).
    Extra(usize),
    /// As far as the schema can be followed (a union, an untyped value).
    Stop(usize),
}

/// The input's part at `part` inside `at`.
fn child<'v>(at: Option<&'v PyValue>, part: &LocPart) -> Option<&'v PyValue> {
    at.and_then(|v| match (v, part) {
        (PyValue::Dict(_), LocPart::Key(k)) => v.get(k),
        (PyValue::List(items), LocPart::Index(i)) => items.get(*i),
        _ => None,
    })
}

impl Diagnoser {
    /// Takes `part` from `node` (the input there is `at`).
    fn step(&self, node: usize, at: Option<&PyValue>, part: &LocPart) -> Step {
        match (&self.nodes[node], part) {
            (Node::Object(fields, _), LocPart::Key(k)) => {
                match fields.iter().position(|f| f.name == k.as_ref()) {
                    Some(i) => Step::Into(fields[i].node, i),
                    None => Step::Extra(fields.len() + position(at, k)),
                }
            }
            (Node::Dict(values, _), LocPart::Key(k)) if *values != usize::MAX => {
                Step::Into(*values, position(at, k))
            }
            (Node::Dict(..), LocPart::Key(k)) => Step::Stop(position(at, k)),
            (Node::List(items, ..), LocPart::Index(i)) => Step::Into(*items, *i),
            (Node::Tuple(positions), LocPart::Index(i)) => match positions.get(*i) {
                Some(p) => Step::Into(*p, *i),
                None => Step::Stop(*i),
            },
            (_, LocPart::Index(i)) => Step::Stop(*i),
            (_, LocPart::Key(_)) => Step::Stop(0),
        }
    }

    /// The node a location inside `value` leads to, as far as the schema
    /// can follow it, how many of its parts it followed, and whether the
    /// part after those is a key the model does not declare. A location
    /// into a union stops at the union (its member is not known).
    fn follow(&self, rel: &[LocPart], value: &PyValue) -> (usize, usize, bool) {
        let mut node = self.root;
        let mut at = Some(value);
        for (depth, part) in rel.iter().enumerate() {
            node = self.inner(node, at);
            match self.step(node, at, part) {
                Step::Into(n, _) => node = n,
                Step::Extra(_) => return (node, depth, true),
                Step::Stop(_) => return (node, depth, false),
            }
            at = child(at, part);
        }
        (node, rel.len(), false)
    }

    /// Through references, single-member unions, and an optional value that
    /// is not `null`.
    fn inner(&self, mut node: usize, value: Option<&PyValue>) -> usize {
        loop {
            match &self.nodes[node] {
                Node::Ref(t) => node = *t,
                Node::Union(members, _) if members.len() == 1 => node = members[0],
                Node::Nullable(inner) if value.is_some_and(|v| *v != PyValue::Null) => {
                    node = *inner
                }
                _ => return node,
            }
        }
    }

    /// A sort key for a location, in the order pydantic reports errors: a
    /// model's fields in declaration order (extra keys after them), list
    /// items by index, a dict's keys as the input ordered them.
    pub(crate) fn order_key(&self, rel: &[LocPart], value: &PyValue) -> Vec<usize> {
        let mut key = Vec::with_capacity(rel.len());
        let mut node = self.root;
        let mut at = Some(value);
        for part in rel {
            node = self.inner(node, at);
            match self.step(node, at, part) {
                Step::Into(n, rank) => {
                    key.push(rank);
                    node = n;
                }
                Step::Extra(rank) | Step::Stop(rank) => {
                    key.push(rank);
                    break;
                }
            }
            at = child(at, part);
        }
        key
    }

    /// Whether the errors leave no part of `value` on which a validator of
    /// the user's could still run as pydantic runs it: every part of the
    /// input either has an error (at it or above it), is absent, or is a
    /// model or list with at least one part and all of them covered. Then
    /// there is nothing to mend. `errors`: locations relative to the body,
    /// sorted with [`loc_order`].
    /// Parts deeper than `max_depth` count as covered (the recursion, one
    /// frame a level, stops there).
    pub(crate) fn covered(&self, value: &PyValue, errors: &[&[LocPart]], max_depth: usize) -> bool {
        self.covered_at(self.root, value, errors, 0, max_depth)
    }

    fn covered_at(
        &self,
        node: usize,
        v: &PyValue,
        errors: &[&[LocPart]],
        d: usize,
        max_depth: usize,
    ) -> bool {
        if d > max_depth || errors.first().is_some_and(|e| e.len() == d) {
            return true;
        }
        // The errors under one part: a contiguous run of the sorted list.
        let under = |part: &LocPart| {
            let start =
                errors.partition_point(|e| e.len() <= d || loc_part_order(&e[d], part).is_lt());
            let end =
                errors.partition_point(|e| e.len() <= d || loc_part_order(&e[d], part).is_le());
            &errors[start..end]
        };
        match (&self.nodes[self.inner(node, Some(v))], v) {
            (Node::Object(fields, _), PyValue::Dict(_)) => {
                let mut any = false;
                for f in fields {
                    if let Some(child) = v.get(f.name) {
                        any = true;
                        let part = LocPart::Key(Cow::Borrowed(f.name));
                        if !self.covered_at(f.node, child, under(&part), d + 1, max_depth) {
                            return false;
                        }
                    }
                }
                any
            }
            (Node::List(items, ..), PyValue::List(values)) => {
                !values.is_empty()
                    && values.iter().enumerate().all(|(i, child)| {
                        self.covered_at(*items, child, under(&LocPart::Index(i)), d + 1, max_depth)
                    })
            }
            (Node::Tuple(positions), PyValue::List(values)) => {
                !values.is_empty()
                    && values
                        .iter()
                        .zip(positions)
                        .enumerate()
                        .all(|(i, (child, p))| {
                            self.covered_at(*p, child, under(&LocPart::Index(i)), d + 1, max_depth)
                        })
            }
            _ => false,
        }
    }

    /// `value` with every part that an error location (relative to the
    /// body) points at made valid, and the locations replaced or dropped.
    /// `None` when the input cannot be mended (a location through something
    /// that is not a container, a tuple position past its end).
    pub(crate) fn repair<'a>(
        &self,
        value: &PyValue,
        errors: impl Iterator<Item = &'a [LocPart]>,
    ) -> Option<(PyValue, Vec<Vec<LocPart>>)> {
        let mut fixes: Vec<(Vec<LocPart>, Fix)> = Vec::new();
        for rel in errors {
            let (node, depth, extra) = self.follow(rel, value);
            let fix = match extra {
                true => (rel[..=depth].to_vec(), Fix::Drop),
                false => (rel[..depth].to_vec(), Fix::Fill(node)),
            };
            fixes.push(fix);
        }
        // The outermost fix covers what is inside it.
        fixes.sort_by_key(|(path, _)| path.len());
        let mut done: Vec<Vec<LocPart>> = Vec::new();
        let mut mended = value.clone();
        for (path, fix) in fixes {
            if done.iter().any(|d| path.starts_with(d)) {
                continue;
            }
            let with = match fix {
                Fix::Fill(node) => Some(self.fill(node, 0)?),
                Fix::Drop => None,
            };
            put(&mut mended, &path, with)?;
            done.push(path);
        }
        Some((mended, done))
    }

    /// A value valid for `node`'s type and format (its bounds kept where
    /// that is simple): what serde reads the user's type from. `None` when
    /// there is none to be had (a recursion without end).
    pub(super) fn fill(&self, node: usize, depth: usize) -> Option<PyValue> {
        if depth > MAX_FILL_DEPTH {
            return None;
        }
        Some(match &self.nodes[node] {
            Node::Ref(t) => return self.fill(*t, depth + 1),
            Node::Pending => return None,
            Node::Any | Node::Null | Node::Nullable(_) => PyValue::Null,
            Node::Bool(_) => PyValue::Bool(true),
            Node::Int(b, range, _) => {
                let low = b.ge.map(f64::ceil).or(b.gt.map(|g| g.floor() + 1.0));
                let n = low.map_or(0, |l| l as i128);
                PyValue::Int(range.map_or(n, |(lo, hi)| n.clamp(lo, hi)))
            }
            Node::Float(b, ..) => PyValue::Float(b.ge.or(b.gt.map(|g| g + 1.0)).unwrap_or(0.0)),
            Node::Decimal(_) => PyValue::Str("1".into()),
            Node::Enum(values, ..) => values.first()?.clone(),
            Node::Str(rules, format) => {
                PyValue::Str(text(*format, rules.temporal, rules.min_length))
            }
            Node::List(items, min, ..) => {
                let n = min.unwrap_or(0);
                let mut out = Vec::with_capacity(n.min(64));
                for _ in 0..n {
                    out.push(self.fill(*items, depth + 1)?);
                }
                PyValue::List(out)
            }
            Node::Tuple(positions) => PyValue::List(
                positions
                    .iter()
                    .map(|p| self.fill(*p, depth + 1))
                    .collect::<Option<_>>()?,
            ),
            Node::Object(fields, _) => PyValue::Dict(
                fields
                    .iter()
                    .filter(|f| f.required)
                    .map(|f| Some((f.name.to_string(), self.fill(f.node, depth + 1)?)))
                    .collect::<Option<_>>()?,
            ),
            Node::Dict(..) => PyValue::empty_dict(),
            Node::Union(members, _) => {
                return members.iter().find_map(|m| self.fill(*m, depth + 1));
            }
            Node::Tagged(key, members, _) => {
                let (tag, member) = members.first()?;
                let mut entries = match self.fill(*member, depth + 1)? {
                    PyValue::Dict(e) => e,
                    _ => Vec::new(),
                };
                entries.retain(|(k, _)| k != key);
                entries.insert(0, (key.clone(), PyValue::Str(tag.clone())));
                PyValue::Dict(entries)
            }
        })
    }
}

/// Where `key` is among the input's keys (after them when absent).
fn position(at: Option<&PyValue>, key: &str) -> usize {
    match at {
        Some(PyValue::Dict(entries)) => entries
            .iter()
            .position(|(k, _)| k == key)
            .unwrap_or(entries.len()),
        _ => 0,
    }
}

/// Text of a string format that its Rust type reads.
fn text(format: StrFormat, temporal: Option<Temporal>, min: Option<usize>) -> String {
    let future = temporal == Some(Temporal::Future);
    let naive = temporal == Some(Temporal::Naive);
    let fixed = match format {
        StrFormat::Plain | StrFormat::Binary => {
            return "a".repeat(min.unwrap_or(1).clamp(1, 4096));
        }
        StrFormat::Uuid => "12345678-1234-4678-8234-567812345678",
        StrFormat::UuidVersion(v) => {
            return format!("12345678-1234-{v:x}678-8234-567812345678");
        }
        StrFormat::Date if future => "2999-01-02",
        StrFormat::Date => "2024-01-02",
        StrFormat::DateTime | StrFormat::DatetimeAsSent if naive => "2024-01-02T03:04:05",
        StrFormat::DateTime | StrFormat::DatetimeAsSent if future => "2999-01-02T03:04:05Z",
        StrFormat::DateTime | StrFormat::DatetimeAsSent => "2024-01-02T03:04:05Z",
        StrFormat::NaiveDateTime => "2024-01-02T03:04:05",
        StrFormat::Time | StrFormat::TimeAsSent => "03:04:05",
        StrFormat::Email => "user@example.com",
        StrFormat::Duration => "P1D",
        StrFormat::Url(_) => "https://example.com/",
        StrFormat::Ip(Some(true)) => "2001:db8::1",
        StrFormat::Ip(_) => "192.0.2.1",
        StrFormat::IpNet(Some(true), _) => "2001:db8::/32",
        StrFormat::IpNet(_, _) => "192.0.2.0/24",
    };
    fixed.to_string()
}

/// Puts `with` at `path` inside `target` (`None`: removes the key there).
/// A missing last key is added, a tuple's next position appended.
fn put(target: &mut PyValue, path: &[LocPart], with: Option<PyValue>) -> Option<()> {
    let Some((last, parents)) = path.split_last() else {
        *target = with?;
        return Some(());
    };
    let mut at = target;
    for part in parents {
        at = match (at, part) {
            (PyValue::Dict(entries), LocPart::Key(k)) => {
                &mut entries.iter_mut().find(|(key, _)| key == k.as_ref())?.1
            }
            (PyValue::List(items), LocPart::Index(i)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    match (at, last, with) {
        (PyValue::Dict(entries), LocPart::Key(k), with) => {
            let i = entries.iter().position(|(key, _)| key == k.as_ref());
            match (i, with) {
                (Some(i), Some(v)) => entries[i].1 = v,
                (Some(i), None) => {
                    entries.remove(i);
                }
                (None, Some(v)) => entries.push((k.to_string(), v)),
                (None, None) => {}
            }
        }
        (PyValue::List(items), LocPart::Index(i), Some(v)) if *i < items.len() => items[*i] = v,
        (PyValue::List(items), LocPart::Index(i), Some(v)) if *i == items.len() => items.push(v),
        _ => return None,
    }
    Some(())
}

/// An order of location parts (indices before keys), for [`loc_order`].
fn loc_part_order(a: &LocPart, b: &LocPart) -> std::cmp::Ordering {
    match (a, b) {
        (LocPart::Index(x), LocPart::Index(y)) => x.cmp(y),
        (LocPart::Key(x), LocPart::Key(y)) => x.cmp(y),
        (LocPart::Index(_), LocPart::Key(_)) => std::cmp::Ordering::Less,
        (LocPart::Key(_), LocPart::Index(_)) => std::cmp::Ordering::Greater,
    }
}

/// A total order of locations in which a location comes before every
/// location inside it, and those inside it come together.
pub(crate) fn loc_order(a: &[LocPart], b: &[LocPart]) -> std::cmp::Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| loc_part_order(x, y))
        .find(|o| o.is_ne())
        .unwrap_or_else(|| a.len().cmp(&b.len()))
}

/// Whether one location is inside the other (or the same).
pub(crate) fn on_one_branch(a: &[LocPart], b: &[LocPart]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

/// A garde path as location parts. Read from its components (garde's
/// `Display` writes `tags[0].label`, which a key with a `.` or `[` would
/// make ambiguous); `Kind::None` components (an `Option`'s inside) name
/// nothing.
pub(crate) fn garde_loc(path: &garde::Path) -> Vec<LocPart> {
    path.__iter()
        .rev()
        .filter_map(|(kind, part)| match kind {
            garde::error::Kind::Index => part.parse::<usize>().ok().map(LocPart::Index),
            garde::error::Kind::Key => Some(LocPart::Key(Cow::Owned(part.to_string()))),
            garde::error::Kind::None => None,
        })
        .collect()
}

/// A garde path's named parts, root first, read once (garde lists them
/// leaf first), an index read as a number once: compared with a location
/// without allocating (up to eight parts on the stack).
pub(crate) struct GardeParts<'a> {
    parts: smallvec::SmallVec<[GardePart<'a>; 8]>,
}

enum GardePart<'a> {
    Key(&'a str),
    /// `None`: not a number (never at a location's index).
    Index(Option<usize>),
}

impl<'a> GardeParts<'a> {
    pub(crate) fn of(path: &'a garde::Path) -> Self {
        let parts = path
            .__iter()
            .rev()
            .filter_map(|(kind, component)| match kind {
                garde::error::Kind::Key => Some(GardePart::Key(component.as_str())),
                garde::error::Kind::Index => Some(GardePart::Index(component.parse().ok())),
                garde::error::Kind::None => None,
            })
            .collect();
        GardeParts { parts }
    }

    /// Whether the path and `loc` are on one branch (one inside the other,
    /// or the same), part by part.
    pub(crate) fn on_branch(&self, loc: &[LocPart]) -> bool {
        self.parts
            .iter()
            .zip(loc)
            .all(|(mine, part)| match (mine, part) {
                (GardePart::Key(k), LocPart::Key(l)) => *k == l.as_ref(),
                (GardePart::Index(Some(i)), LocPart::Index(j)) => i == j,
                _ => false,
            })
    }
}
