//! serde's other names for a field (`#[serde(alias = "..")]`: pydantic's
//! `populate_by_name`, `AliasChoices`), which a JSON Schema cannot state.
//! pydantic reads a field under its alias first, then under its other
//! names, and locates an error under the key it read.
//!
//! The walker knows only the schema, so an input key that names no field
//! is asked of the user's own `Deserialize` (the body type's reader, given
//! once by the extractor): a value with the key, then the field, is read;
//! serde's derived code answers "duplicate field `name`" exactly when the
//! key is another name of that field. Each (model, key) is asked once.

use super::{Diagnoser, Node};
use crate::validation::{LocPart, PyValue};

/// Reads a value as the body type (serde's error text when it refuses).
pub(crate) type Reader = fn(&PyValue) -> Result<(), String>;

/// Keys of one object in one body asked of the reader at most (each ask
/// reads a small value once per field): a body of many unknown keys costs
/// its own request a bounded amount, and the rest are taken as unknown.
const MAX_ASKS_PER_OBJECT: usize = 16;

/// Keys remembered as naming no field, per model: past this, unknown keys
/// are still asked (within the per-object bound) but not remembered, so a
/// client sending many junk keys cannot crowd out a real alias.
const MAX_UNKNOWN_KEPT: usize = 1024;

impl Diagnoser {
    /// Gives the body type's reader (the first one given stays).
    pub(crate) fn read_with(&self, reader: Reader) {
        let _ = self.reader.set(reader);
    }

    /// The input keys of the model at `node` that name no field but are
    /// another name of one: (entry index, field index), in input order.
    #[inline(never)]
    pub(super) fn aliases_in(
        &self,
        node: usize,
        entries: &[(String, PyValue)],
    ) -> Vec<(usize, usize)> {
        let (Some(reader), Node::Object(fields, _)) = (self.reader.get(), &self.nodes[node]) else {
            return Vec::new();
        };
        if entries
            .iter()
            .all(|(k, _)| fields.iter().any(|f| f.name == k))
        {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut asked = 0;
        for (i, (key, _)) in entries.iter().enumerate() {
            if fields.iter().any(|f| f.name == key) {
                continue;
            }
            let known = self
                .aliases
                .read()
                .ok()
                .and_then(|a| a.get(&node).and_then(|m| m.get(key.as_str()).copied()));
            let field = match known {
                Some(found) => found,
                None if asked >= MAX_ASKS_PER_OBJECT => None,
                None => {
                    asked += 1;
                    let found = self.ask(*reader, node, key);
                    if let Ok(mut a) = self.aliases.write() {
                        let m = a.entry(node).or_default();
                        if found.is_some() || m.len() < MAX_UNKNOWN_KEPT {
                            m.insert(key.clone(), found);
                        }
                    }
                    found
                }
            };
            if let Some(f) = field {
                out.push((i, f));
            }
        }
        out
    }

    fn ask(&self, reader: Reader, node: usize, key: &str) -> Option<usize> {
        let Node::Object(fields, _) = &self.nodes[node] else {
            return None;
        };
        let path = self.path_to(node)?;
        for (i, field) in fields.iter().enumerate() {
            // The key first, then every field (the one asked about included).
            let mut entries = vec![(key.to_string(), self.fill(field.node, 0)?)];
            for f in fields {
                if f.required || std::ptr::eq(f, field) {
                    entries.push((f.name.to_string(), self.fill(f.node, 0)?));
                }
            }
            let value = self.embed(&path, PyValue::Dict(entries))?;
            if let Err(e) = reader(&value) {
                if e.contains(&format!("duplicate field `{}`", field.name)) {
                    return Some(i);
                }
            }
        }
        None
    }

    /// The way from the root to `node`: each step a node and the part taken
    /// from it. Found once per model asked about, breadth first, through
    /// models, lists, tuples, dicts and tagged unions.
    fn path_to(&self, target: usize) -> Option<Vec<(usize, LocPart)>> {
        use std::collections::VecDeque;
        let mut seen = vec![false; self.nodes.len()];
        let mut queue = VecDeque::from([(self.root, Vec::new())]);
        while let Some((node, path)) = queue.pop_front() {
            if node == target {
                return Some(path);
            }
            if std::mem::replace(&mut seen[node], true) {
                continue;
            }
            let mut go = |next: usize, part: Option<LocPart>| {
                let mut p: Vec<(usize, LocPart)> = path.clone();
                if let Some(part) = part {
                    p.push((node, part));
                }
                queue.push_back((next, p));
            };
            match &self.nodes[node] {
                Node::Ref(t) | Node::Nullable(t) => go(*t, None),
                Node::Union(m, _) if m.len() == 1 => go(m[0], None),
                Node::Object(fields, _) => {
                    for f in fields {
                        go(f.node, Some(LocPart::Key(f.name.into())));
                    }
                }
                Node::List(items, ..) => go(*items, Some(LocPart::Index(0))),
                Node::Tuple(positions) => {
                    for (i, p) in positions.iter().enumerate() {
                        go(*p, Some(LocPart::Index(i)));
                    }
                }
                Node::Dict(values, _) if *values != usize::MAX => {
                    go(*values, Some(LocPart::Key("k".into())))
                }
                Node::Tagged(_, members, _) => {
                    for (tag, m) in members {
                        go(*m, Some(LocPart::Key(tag.clone().into())));
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// A value of the root's type with `inner` at the end of `path`, every
    /// other part filled with a valid value.
    fn embed(&self, path: &[(usize, LocPart)], inner: PyValue) -> Option<PyValue> {
        let Some(((node, part), rest)) = path.split_first() else {
            return Some(inner);
        };
        let child = self.embed(rest, inner)?;
        Some(match (&self.nodes[*node], part) {
            (Node::Object(fields, _), LocPart::Key(k)) => PyValue::Dict(
                fields
                    .iter()
                    .filter(|f| f.required || f.name == k.as_ref())
                    .map(|f| {
                        if f.name == k.as_ref() {
                            Some((f.name.to_string(), child.clone()))
                        } else {
                            Some((f.name.to_string(), self.fill(f.node, 0)?))
                        }
                    })
                    .collect::<Option<_>>()?,
            ),
            (Node::List(..), _) => PyValue::List(vec![child]),
            (Node::Tuple(positions), LocPart::Index(at)) => PyValue::List(
                positions
                    .iter()
                    .enumerate()
                    .map(|(i, p)| {
                        if i == *at {
                            Some(child.clone())
                        } else {
                            self.fill(*p, 0)
                        }
                    })
                    .collect::<Option<_>>()?,
            ),
            (Node::Dict(..), LocPart::Key(k)) => PyValue::Dict(vec![(k.to_string(), child)]),
            (Node::Tagged(key, ..), LocPart::Key(tag)) => {
                let PyValue::Dict(mut entries) = child else {
                    return None;
                };
                entries.retain(|(k, _)| k != key);
                entries.insert(0, (key.clone(), PyValue::Str(tag.to_string())));
                PyValue::Dict(entries)
            }
            _ => return None,
        })
    }
}
