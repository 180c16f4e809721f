//! A JSON decoder that accepts and rejects exactly what CPython's `json.loads`
//! does, and reports the same message and character offset on failure.
//!
//! It runs only on the diagnose path (after serde refused a body), so it is
//! written for fidelity first: FastAPI's `json_invalid` item carries the
//! decoder's `msg` in `ctx.error` and its offset in `loc[1]`. It is also what
//! an attacker reaches with any refused body, so its costs are bounded:
//!
//! * no recursion: one loop and an explicit stack, however deep the input;
//!   past [`Limits::max_depth`] open containers it stops with
//!   [`DecodeError::TooDeep`] (CPython raises `RecursionError` there, which
//!   FastAPI answers with a 400);
//! * bytes, not characters: offsets are counted in characters only when an
//!   error is reported;
//! * at most [`Limits::max_nodes`] decoded values are held: past that, the
//!   innermost open container is kept as its compact JSON text
//!   ([`PyValue::RawList`] / [`PyValue::RawDict`]) instead of a tree, so a
//!   refused body costs memory proportional to its size;
//! * duplicate keys resolve through an index once an object grows, never by
//!   a quadratic search.

use std::collections::HashMap;
use std::sync::Arc;

use super::value::{first_escape, write_json_str, PyValue};

/// The bounds of one decode.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Open containers at most (CPython's recursion limit; FastAPI's stack
    /// above `json.loads` included).
    pub max_depth: usize,
    /// Decoded values held at most before containers are kept as text.
    pub max_nodes: usize,
}

impl Limits {
    /// The request-body defaults: 963 open containers, where FastAPI 0.165 on
    /// CPython 3.11 stops (its recursion limit of 1000 less the frames above
    /// `json.loads`; 964 levels answer 400), and 65,536 values held (a few
    /// MiB at most).
    pub const BODY: Limits = Limits {
        max_depth: 963,
        max_nodes: 1 << 16,
    };
}

/// Why a body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// `JSONDecodeError`: CPython's message and the offset (in characters).
    Invalid {
        /// The message, as `JSONDecodeError.msg`.
        msg: String,
        /// The character offset, as `JSONDecodeError.pos`.
        pos: usize,
    },
    /// Nested deeper than [`Limits::max_depth`] (`RecursionError` in CPython).
    TooDeep,
}

/// The text of a request body as CPython's `json.loads` reads bytes
/// (`json.detect_encoding`): UTF-32 or UTF-16 when a byte-order mark says
/// so, or when zero bytes fall where the first characters of such text put
/// them; else UTF-8 (a UTF-8 BOM is left for [`loads`]). `None` when the
/// bytes are not valid in that encoding: FastAPI's 400.
pub fn body_text(b: &[u8]) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    let wide = |b: &[u8], width: usize, big: bool| -> Option<String> {
        if !b.len().is_multiple_of(width) {
            return None;
        }
        if width == 2 {
            let units = b.chunks_exact(2).map(|c| {
                let pair = [c[0], c[1]];
                if big {
                    u16::from_be_bytes(pair)
                } else {
                    u16::from_le_bytes(pair)
                }
            });
            return char::decode_utf16(units)
                .collect::<Result<String, _>>()
                .ok();
        }
        b.chunks_exact(4)
            .map(|c| {
                let quad = [c[0], c[1], c[2], c[3]];
                char::from_u32(if big {
                    u32::from_be_bytes(quad)
                } else {
                    u32::from_le_bytes(quad)
                })
            })
            .collect()
    };
    let decoded = match b {
        [0, 0, 0xFE, 0xFF, rest @ ..] => wide(rest, 4, true),
        [0xFF, 0xFE, 0, 0, rest @ ..] => wide(rest, 4, false),
        [0xFE, 0xFF, rest @ ..] => wide(rest, 2, true),
        [0xFF, 0xFE, rest @ ..] => wide(rest, 2, false),
        [0, 0, _, _, ..] => wide(b, 4, true),
        [0, _, _, _, ..] | [0, _] => wide(b, 2, true),
        [_, 0, 0, 0, ..] => wide(b, 4, false),
        [_, 0, _, _, ..] | [_, 0] => wide(b, 2, false),
        _ => return std::str::from_utf8(b).ok().map(Cow::Borrowed),
    };
    decoded.map(Cow::Owned)
}

/// Decodes a request body the way Starlette's `request.json()` does
/// (`json.loads` on the bytes: a UTF-8 BOM is skipped), within [`Limits::BODY`].
pub fn loads(text: &str) -> Result<PyValue, DecodeError> {
    loads_with(text, Limits::BODY)
}

/// [`loads`] with explicit limits.
pub fn loads_with(text: &str, limits: Limits) -> Result<PyValue, DecodeError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut p = Parser {
        text,
        s: text.as_bytes(),
        limits,
        live: 0,
        raw: None,
    };
    p.parse().map_err(|f| match f {
        Fail::At(msg, byte) => DecodeError::Invalid {
            msg: msg.to_string(),
            pos: text[..byte.min(text.len())].chars().count(),
        },
        Fail::TooDeep => DecodeError::TooDeep,
    })
}

enum Fail {
    /// A message and the byte offset it is reported at.
    At(&'static str, usize),
    TooDeep,
}

/// A container being read. Inside a container kept as text, frames hold
/// nothing: everything is written to the parser's text buffer.
enum Frame {
    List(Vec<PyValue>),
    Dict {
        items: Vec<(String, PyValue)>,
        index: Option<HashMap<String, usize>>,
        key: String,
    },
}

/// Objects this large resolve duplicate keys through a hash index.
const INDEX_FROM: usize = 16;

struct Parser<'a> {
    text: &'a str,
    s: &'a [u8],
    limits: Limits,
    /// Decoded values currently held in open frames.
    live: usize,
    /// The container kept as text: its depth in the stack, the compact JSON
    /// written so far (it and everything inside it), and its item count.
    raw: Option<(usize, String, usize)>,
}

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r')
}

impl Parser<'_> {
    fn at(&self, i: usize) -> Option<u8> {
        self.s.get(i).copied()
    }

    fn ws(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(is_ws) {
            i += 1;
        }
        i
    }

    fn starts_with(&self, i: usize, lit: &[u8]) -> bool {
        self.s.get(i..i + lit.len()) == Some(lit)
    }

    fn raw_text(&mut self) -> Option<&mut String> {
        self.raw.as_mut().map(|(_, t, _)| t)
    }

    fn parse(&mut self) -> Result<PyValue, Fail> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut i = self.ws(0);
        loop {
            // A value starts at `i`. `None`: it is already written as text.
            let (mut value, mut end) = match self.at(i) {
                Some(open @ (b'[' | b'{')) => {
                    if stack.len() >= self.limits.max_depth {
                        return Err(Fail::TooDeep);
                    }
                    let mut j = self.ws(i + 1);
                    if open == b'[' && self.at(j) == Some(b']') {
                        (Some(PyValue::List(Vec::new())), j + 1)
                    } else if open == b'{' && self.at(j) == Some(b'}') {
                        (Some(PyValue::Dict(Vec::new())), j + 1)
                    } else if open == b'[' {
                        if let Some(t) = self.raw_text() {
                            t.push('[');
                        }
                        stack.push(Frame::List(Vec::new()));
                        i = j;
                        continue;
                    } else {
                        if self.at(j) != Some(b'"') {
                            return Err(Fail::At(
                                "Expecting property name enclosed in double quotes",
                                j,
                            ));
                        }
                        let mut key;
                        (key, j) = self.key(j + 1)?;
                        if let Some(t) = self.raw_text() {
                            t.push('{');
                            write_json_str(&key, t);
                            t.push(':');
                            key = String::new();
                        }
                        stack.push(Frame::Dict {
                            items: Vec::new(),
                            index: None,
                            key,
                        });
                        i = j;
                        continue;
                    }
                }
                _ => {
                    let (v, end) = self.scalar(i)?;
                    (Some(v), end)
                }
            };
            // A value ended at `end`: hand it to the open container, closing
            // every container that ends here.
            loop {
                let depth = stack.len();
                let Some(top) = stack.last_mut() else {
                    let end = self.ws(end);
                    if end != self.s.len() {
                        return Err(Fail::At("Extra data", end));
                    }
                    return Ok(value.unwrap_or(PyValue::Null));
                };
                if let Some(v) = value.take() {
                    self.put(top, depth, v);
                }
                end = self.ws(end);
                let closing = match (self.at(end), &*top) {
                    (Some(b']'), Frame::List(_)) | (Some(b'}'), Frame::Dict { .. }) => true,
                    (Some(b','), _) => false,
                    _ => return Err(Fail::At("Expecting ',' delimiter", end)),
                };
                if closing {
                    let Some(frame) = stack.pop() else {
                        unreachable!("a frame is on top")
                    };
                    value = self.close(frame, stack.len());
                    end += 1;
                    continue;
                }
                let mut j = self.ws(end + 1);
                if let Frame::Dict { key, .. } = top {
                    if self.at(j) != Some(b'"') {
                        return Err(Fail::At(
                            "Expecting property name enclosed in double quotes",
                            j,
                        ));
                    }
                    let k;
                    (k, j) = self.key(j + 1)?;
                    match self.raw.as_mut() {
                        Some((_, t, _)) => {
                            t.push(',');
                            write_json_str(&k, t);
                            t.push(':');
                        }
                        None => *key = k,
                    }
                } else if let Some(t) = self.raw_text() {
                    t.push(',');
                }
                i = j;
                break;
            }
        }
    }

    /// A key (`j` just after its opening quote) and the `:` after it; returns
    /// the key and where its value starts.
    fn key(&self, j: usize) -> Result<(String, usize), Fail> {
        let (key, mut end) = self.string(j)?;
        if self.at(end) != Some(b':') {
            end = self.ws(end);
            if self.at(end) != Some(b':') {
                return Err(Fail::At("Expecting ':' delimiter", end));
            }
        }
        Ok((key, self.ws(end + 1)))
    }

    /// Adds a finished value to the open container (at `depth`); past the
    /// budget, that container turns into text.
    fn put(&mut self, top: &mut Frame, depth: usize, value: PyValue) {
        if let Some((root, t, count)) = self.raw.as_mut() {
            value.write_json(t);
            if *root == depth {
                *count += 1;
            }
            return;
        }
        match top {
            Frame::List(items) => {
                items.push(value);
                self.live += 1;
            }
            Frame::Dict { items, index, key } => {
                let key = std::mem::take(key);
                let slot = match index {
                    Some(ix) => ix.get(&key).copied(),
                    None => items.iter().position(|(k, _)| *k == key),
                };
                match slot {
                    Some(n) => items[n].1 = value,
                    None => {
                        if let Some(ix) = index {
                            ix.insert(key.clone(), items.len());
                        }
                        items.push((key, value));
                        self.live += 1;
                        if index.is_none() && items.len() >= INDEX_FROM {
                            *index = Some(
                                items
                                    .iter()
                                    .enumerate()
                                    .map(|(n, (k, _))| (k.clone(), n))
                                    .collect(),
                            );
                        }
                    }
                }
            }
        }
        if self.live > self.limits.max_nodes {
            // The container so far, written as a value is, less its closing
            // bracket: the rest is written after it as it comes.
            let (count, partial) = match top {
                Frame::List(items) => {
                    let items = std::mem::take(items);
                    (items.len(), PyValue::List(items))
                }
                Frame::Dict { items, index, .. } => {
                    *index = None;
                    let items = std::mem::take(items);
                    (items.len(), PyValue::Dict(items))
                }
            };
            self.live -= count;
            // Room for the rest of the input at once: the text grows as the
            // input is read, and a doubling string would copy itself (and
            // hold both copies) on the way.
            let mut t = String::with_capacity(self.s.len());
            partial.write_json(&mut t);
            t.pop();
            self.raw = Some((depth, t, count));
        }
    }

    /// The value of a container that just closed, now `depth` frames deep;
    /// `None` when it was written as text into an enclosing one.
    fn close(&mut self, frame: Frame, depth: usize) -> Option<PyValue> {
        let list = matches!(frame, Frame::List(_));
        if let Some((root, mut t, count)) = self.raw.take() {
            t.push(if list { ']' } else { '}' });
            if depth + 1 > root {
                self.raw = Some((root, t, count));
                return None;
            }
            // Down to its own size: the room for the rest of the input is
            // not kept (a body of many such containers would hold one
            // input-sized reservation each).
            t.shrink_to_fit();
            let t = Arc::new(t);
            return Some(if list {
                PyValue::RawList(t, count)
            } else {
                PyValue::RawDict(t)
            });
        }
        Some(match frame {
            Frame::List(items) => {
                self.live -= items.len();
                PyValue::List(items)
            }
            Frame::Dict { items, .. } => {
                self.live -= items.len();
                PyValue::Dict(items)
            }
        })
    }

    fn scalar(&self, idx: usize) -> Result<(PyValue, usize), Fail> {
        let no_value = || Fail::At("Expecting value", idx);
        let Some(c) = self.at(idx) else {
            return Err(no_value());
        };
        match c {
            b'"' => {
                let (s, end) = self.string(idx + 1)?;
                Ok((PyValue::Str(s), end))
            }
            b'n' if self.starts_with(idx, b"null") => Ok((PyValue::Null, idx + 4)),
            b't' if self.starts_with(idx, b"true") => Ok((PyValue::Bool(true), idx + 4)),
            b'f' if self.starts_with(idx, b"false") => Ok((PyValue::Bool(false), idx + 5)),
            b'N' if self.starts_with(idx, b"NaN") => Ok((PyValue::Float(f64::NAN), idx + 3)),
            b'I' if self.starts_with(idx, b"Infinity") => {
                Ok((PyValue::Float(f64::INFINITY), idx + 8))
            }
            b'-' if self.starts_with(idx, b"-Infinity") => {
                Ok((PyValue::Float(f64::NEG_INFINITY), idx + 9))
            }
            b'-' | b'0'..=b'9' => self.number(idx).ok_or_else(no_value),
            _ => Err(no_value()),
        }
    }

    fn digits(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        i
    }

    fn number(&self, idx: usize) -> Option<(PyValue, usize)> {
        let mut i = idx;
        if self.at(i) == Some(b'-') {
            i += 1;
        }
        match self.at(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = self.digits(i + 1),
            _ => return None,
        }
        let mut is_float = false;
        if self.at(i) == Some(b'.') && self.at(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            i = self.digits(i + 1);
            is_float = true;
        }
        if matches!(self.at(i), Some(b'e' | b'E')) {
            let mut j = i + 1;
            if matches!(self.at(j), Some(b'+' | b'-')) {
                j += 1;
            }
            let k = self.digits(j);
            if k > j {
                i = k;
                is_float = true;
            }
        }
        let text = &self.text[idx..i];
        let value = if is_float {
            PyValue::Float(text.parse::<f64>().unwrap_or(f64::NAN))
        } else {
            match text.parse::<i128>() {
                Ok(v) => PyValue::Int(v),
                Err(_) => PyValue::BigInt(text.to_string()),
            }
        };
        Some((value, i))
    }

    /// `scanstring`: `end` is just after the opening quote.
    fn string(&self, mut end: usize) -> Result<(String, usize), Fail> {
        let begin = end - 1;
        let unterminated = Fail::At("Unterminated string starting at", begin);
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control character
            // whole (found eight bytes at a time): each of those is ASCII, so
            // the cut is a character boundary.
            let Some(run) = first_escape(&self.s[end.min(self.s.len())..]) else {
                return Err(unterminated);
            };
            if out.is_empty() && self.s[end + run] == b'"' {
                // The whole string, without escapes (most keys and values):
                // one allocation of its exact size.
                return Ok((self.text[end..end + run].to_owned(), end + run + 1));
            }
            out.push_str(&self.text[end..end + run]);
            end += run;
            let c = self.s[end];
            end += 1;
            match c {
                b'"' => return Ok((out, end)),
                b'\\' => {
                    let Some(esc) = self.at(end) else {
                        return Err(unterminated);
                    };
                    if esc == b'u' {
                        let first = self.hex4(end + 1, end - 1)?;
                        end += 5;
                        let mut code = first;
                        if (0xd800..=0xdbff).contains(&first)
                            && self.at(end) == Some(b'\\')
                            && self.at(end + 1) == Some(b'u')
                        {
                            let second = self.hex4(end + 2, end)?;
                            if (0xdc00..=0xdfff).contains(&second) {
                                code = 0x10000 + (((first - 0xd800) << 10) | (second - 0xdc00));
                                end += 6;
                            }
                        }
                        // Lone surrogates cannot live in a Rust string; Python keeps them.
                        out.push(char::from_u32(code).unwrap_or('\u{fffd}'));
                    } else {
                        let ch = match esc {
                            b'"' => '"',
                            b'\\' => '\\',
                            b'/' => '/',
                            b'b' => '\u{08}',
                            b'f' => '\u{0c}',
                            b'n' => '\n',
                            b'r' => '\r',
                            b't' => '\t',
                            _ => return Err(Fail::At("Invalid \\escape", end - 1)),
                        };
                        out.push(ch);
                        end += 1;
                    }
                }
                _ => return Err(Fail::At("Invalid control character at", end - 1)),
            }
        }
    }

    /// Four hex digits at `i`; an error is reported at `err_pos` (the backslash).
    fn hex4(&self, i: usize, err_pos: usize) -> Result<u32, Fail> {
        let mut v = 0u32;
        for k in 0..4 {
            let d = self
                .at(i + k)
                .and_then(|c| (c as char).to_digit(16))
                .ok_or(Fail::At("Invalid \\uXXXX escape", err_pos))?;
            v = v * 16 + d;
        }
        Ok(v)
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn fails(s: &str) -> (String, usize) {
        match loads(s).unwrap_err() {
            DecodeError::Invalid { msg, pos } => (msg, pos),
            DecodeError::TooDeep => panic!("too deep: {s}"),
        }
    }

    #[test]
    fn cpython_messages_and_offsets() {
        assert_eq!(
            fails("{\"a\":1,}"),
            (
                "Expecting property name enclosed in double quotes".into(),
                7
            )
        );
        assert_eq!(fails("{\"a\" 1}"), ("Expecting ':' delimiter".into(), 5));
        assert_eq!(
            fails("{\"a\":1 \"b\":2}"),
            ("Expecting ',' delimiter".into(), 7)
        );
        assert_eq!(
            fails("{"),
            (
                "Expecting property name enclosed in double quotes".into(),
                1
            )
        );
        assert_eq!(fails(" "), ("Expecting value".into(), 1));
        assert_eq!(fails("{\"a\":\"\\x\"}"), ("Invalid \\escape".into(), 6));
        assert_eq!(fails("{\"a\":tru}"), ("Expecting value".into(), 5));
        assert_eq!(fails("[1,]"), ("Expecting value".into(), 3));
        assert_eq!(fails("1 2"), ("Extra data".into(), 2));
        assert_eq!(
            fails("\"abc"),
            ("Unterminated string starting at".into(), 0)
        );
    }

    #[test]
    fn python_leniency() {
        assert!(matches!(loads("NaN"), Ok(PyValue::Float(f)) if f.is_nan()));
        assert_eq!(loads("1e400").unwrap(), PyValue::Float(f64::INFINITY));
        assert_eq!(
            loads("{\"a\":1,\"b\":2,\"a\":3}").unwrap(),
            PyValue::Dict(vec![
                ("a".into(), PyValue::Int(3)),
                ("b".into(), PyValue::Int(2))
            ])
        );
        assert_eq!(loads("\u{feff}[]").unwrap(), PyValue::List(vec![]));
        assert_eq!(
            loads("123456789012345678901234567890123456789012").unwrap(),
            PyValue::BigInt("123456789012345678901234567890123456789012".into())
        );
    }

    #[test]
    fn offsets_count_characters_not_bytes() {
        assert_eq!(
            fails("{\"é€😀\":1,}"),
            (
                "Expecting property name enclosed in double quotes".into(),
                9
            )
        );
        assert_eq!(fails("[\"é\" 1]"), ("Expecting ',' delimiter".into(), 5));
    }

    #[test]
    fn nesting_stops_at_the_limit_without_recursion() {
        let ok = format!("{}{}", "[".repeat(963), "]".repeat(963));
        assert!(loads(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(964), "]".repeat(964));
        assert_eq!(loads(&deep), Err(DecodeError::TooDeep));
        // A million levels, opened and never closed, cost one pass.
        let started = std::time::Instant::now();
        assert_eq!(loads(&"[".repeat(1_000_000)), Err(DecodeError::TooDeep));
        assert_eq!(
            loads(&"{\"a\":".repeat(1_000_000)),
            Err(DecodeError::TooDeep)
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        // A syntax error before the limit is reported first, as CPython's scanner does.
        assert_eq!(
            fails(&format!("[[x{}", "[".repeat(5000))).0,
            "Expecting value"
        );
    }

    #[test]
    fn kept_texts_hold_their_own_size_not_the_input() {
        let limits = Limits {
            max_depth: 100,
            max_nodes: 64,
        };
        // Many sibling containers, each past the budget on its own.
        let one = format!("[{}]", vec!["0"; 100].join(","));
        let body = format!("[{}]", vec![one.as_str(); 50].join(","));
        let PyValue::List(items) = loads_with(&body, limits).unwrap() else {
            panic!("a list");
        };
        let kept: Vec<&Arc<String>> = items
            .iter()
            .filter_map(|v| match v {
                PyValue::RawList(t, _) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(kept.len(), 50);
        for t in kept {
            assert_eq!(t.as_str(), one);
            assert!(t.capacity() < 2 * one.len(), "{}", t.capacity());
        }
    }

    #[test]
    fn past_the_budget_containers_are_kept_as_text() {
        let limits = Limits {
            max_depth: 100,
            max_nodes: 4,
        };
        let v = loads_with("[1, 2.50, \"x\", null, {\"a\" : [true]}, 6]", limits).unwrap();
        assert_eq!(
            v,
            PyValue::RawList(Arc::new("[1,2.5,\"x\",null,{\"a\":[true]},6]".into()), 6)
        );
        let v = loads_with("{\"k\": [1,2,3,4,5,6], \"b\": 1}", limits).unwrap();
        assert_eq!(
            v,
            PyValue::Dict(vec![
                (
                    "k".into(),
                    PyValue::RawList(Arc::new("[1,2,3,4,5,6]".into()), 6)
                ),
                ("b".into(), PyValue::Int(1)),
            ])
        );
        let v = loads_with("{\"a\":1,\"b\":2,\"c\":{},\"d\":[],\"e\":5}", limits).unwrap();
        assert_eq!(
            v,
            PyValue::RawDict(Arc::new(
                "{\"a\":1,\"b\":2,\"c\":{},\"d\":[],\"e\":5}".into()
            ))
        );
    }

    #[test]
    fn many_duplicate_keys_resolve_last_wins_in_first_seen_order() {
        let mut s = String::from("{");
        for round in 0..3 {
            for k in 0..100 {
                s.push_str(&format!("\"k{k}\":{round},"));
            }
        }
        s.push_str("\"k0\":9}");
        let PyValue::Dict(items) = loads(&s).unwrap() else {
            panic!()
        };
        assert_eq!(items.len(), 100);
        assert_eq!(items[0], ("k0".into(), PyValue::Int(9)));
        assert_eq!(items[99], ("k99".into(), PyValue::Int(2)));
    }
}
