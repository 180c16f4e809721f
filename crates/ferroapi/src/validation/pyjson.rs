//! A JSON decoder that accepts and rejects exactly what CPython's `json.loads`
//! does, and reports the same message and character offset on failure.
//!
//! It runs only on the diagnose path (after serde refused a body), so it is
//! written for fidelity, not speed: FastAPI's `json_invalid` item carries the
//! decoder's `msg` in `ctx.error` and its offset in `loc[1]`.

use super::value::PyValue;

/// A decode failure: CPython's message and the offset (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The message, as `JSONDecodeError.msg`.
    pub msg: String,
    /// The character offset, as `JSONDecodeError.pos`.
    pub pos: usize,
}

/// Decodes a request body the way Starlette's `request.json()` does
/// (`json.loads` on the bytes: a UTF-8 BOM is skipped).
pub fn loads(text: &str) -> Result<PyValue, DecodeError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let s: Vec<char> = text.chars().collect();
    let mut p = Parser { s: &s };
    let start = p.ws(0);
    let (value, end) = p.scan(start).map_err(|e| match e {
        Fail::NoValue(pos) => err("Expecting value", pos),
        Fail::Error(e) => e,
    })?;
    let end = p.ws(end);
    if end != s.len() {
        return Err(err("Extra data", end));
    }
    Ok(value)
}

fn err(msg: &str, pos: usize) -> DecodeError {
    DecodeError {
        msg: msg.to_string(),
        pos,
    }
}

enum Fail {
    /// `StopIteration(idx)`: nothing that starts a value at `idx`.
    NoValue(usize),
    Error(DecodeError),
}

impl From<DecodeError> for Fail {
    fn from(e: DecodeError) -> Self {
        Fail::Error(e)
    }
}

struct Parser<'a> {
    s: &'a [char],
}

fn is_ws(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

impl Parser<'_> {
    fn at(&self, i: usize) -> Option<char> {
        self.s.get(i).copied()
    }

    fn ws(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(is_ws) {
            i += 1;
        }
        i
    }

    fn starts_with(&self, i: usize, lit: &str) -> bool {
        lit.chars()
            .enumerate()
            .all(|(k, c)| self.at(i + k) == Some(c))
    }

    fn scan(&mut self, idx: usize) -> Result<(PyValue, usize), Fail> {
        let Some(c) = self.at(idx) else {
            return Err(Fail::NoValue(idx));
        };
        match c {
            '"' => {
                let (s, end) = self.string(idx + 1)?;
                Ok((PyValue::Str(s), end))
            }
            '{' => self.object(idx + 1),
            '[' => self.array(idx + 1),
            'n' if self.starts_with(idx, "null") => Ok((PyValue::Null, idx + 4)),
            't' if self.starts_with(idx, "true") => Ok((PyValue::Bool(true), idx + 4)),
            'f' if self.starts_with(idx, "false") => Ok((PyValue::Bool(false), idx + 5)),
            'N' if self.starts_with(idx, "NaN") => Ok((PyValue::Float(f64::NAN), idx + 3)),
            'I' if self.starts_with(idx, "Infinity") => {
                Ok((PyValue::Float(f64::INFINITY), idx + 8))
            }
            '-' if self.starts_with(idx, "-Infinity") => {
                Ok((PyValue::Float(f64::NEG_INFINITY), idx + 9))
            }
            '-' | '0'..='9' => self.number(idx),
            _ => Err(Fail::NoValue(idx)),
        }
    }

    fn digits(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        i
    }

    fn number(&mut self, idx: usize) -> Result<(PyValue, usize), Fail> {
        let mut i = idx;
        if self.at(i) == Some('-') {
            i += 1;
        }
        match self.at(i) {
            Some('0') => i += 1,
            Some('1'..='9') => i = self.digits(i + 1),
            _ => return Err(Fail::NoValue(idx)),
        }
        let mut is_float = false;
        if self.at(i) == Some('.') && self.at(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            i = self.digits(i + 1);
            is_float = true;
        }
        if matches!(self.at(i), Some('e' | 'E')) {
            let mut j = i + 1;
            if matches!(self.at(j), Some('+' | '-')) {
                j += 1;
            }
            let k = self.digits(j);
            if k > j {
                i = k;
                is_float = true;
            }
        }
        let text: String = self.s[idx..i].iter().collect();
        let value = if is_float {
            PyValue::Float(text.parse::<f64>().unwrap_or(f64::NAN))
        } else {
            match text.parse::<i128>() {
                Ok(v) => PyValue::Int(v),
                Err(_) => PyValue::BigInt(text),
            }
        };
        Ok((value, i))
    }

    /// `scanstring`: `end` is just after the opening quote.
    fn string(&self, mut end: usize) -> Result<(String, usize), DecodeError> {
        let begin = end - 1;
        let mut out = String::new();
        loop {
            let Some(c) = self.at(end) else {
                return Err(err("Unterminated string starting at", begin));
            };
            end += 1;
            match c {
                '"' => return Ok((out, end)),
                '\\' => {
                    let Some(esc) = self.at(end) else {
                        return Err(err("Unterminated string starting at", begin));
                    };
                    if esc == 'u' {
                        let first = self.hex4(end + 1, end - 1)?;
                        end += 5;
                        let mut code = first;
                        if (0xd800..=0xdbff).contains(&first)
                            && self.at(end) == Some('\\')
                            && self.at(end + 1) == Some('u')
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
                            '"' => '"',
                            '\\' => '\\',
                            '/' => '/',
                            'b' => '\u{08}',
                            'f' => '\u{0c}',
                            'n' => '\n',
                            'r' => '\r',
                            't' => '\t',
                            _ => return Err(err("Invalid \\escape", end - 1)),
                        };
                        out.push(ch);
                        end += 1;
                    }
                }
                c if (c as u32) < 0x20 => {
                    return Err(err("Invalid control character at", end - 1));
                }
                c => out.push(c),
            }
        }
    }

    /// Four hex digits at `i`; an error is reported at `err_pos` (the backslash).
    fn hex4(&self, i: usize, err_pos: usize) -> Result<u32, DecodeError> {
        let mut v = 0u32;
        for k in 0..4 {
            let d = self
                .at(i + k)
                .and_then(|c| c.to_digit(16))
                .ok_or_else(|| err("Invalid \\uXXXX escape", err_pos))?;
            v = v * 16 + d;
        }
        Ok(v)
    }

    fn object(&mut self, mut end: usize) -> Result<(PyValue, usize), Fail> {
        let mut pairs: Vec<(String, PyValue)> = Vec::new();
        let mut next = self.at(end);
        if next != Some('"') {
            if next.is_some_and(is_ws) {
                end = self.ws(end);
                next = self.at(end);
            }
            if next == Some('}') {
                return Ok((PyValue::Dict(pairs), end + 1));
            }
            if next != Some('"') {
                return Err(err("Expecting property name enclosed in double quotes", end).into());
            }
        }
        end += 1;
        loop {
            let (key, e) = self.string(end)?;
            end = e;
            if self.at(end) != Some(':') {
                end = self.ws(end);
                if self.at(end) != Some(':') {
                    return Err(err("Expecting ':' delimiter", end).into());
                }
            }
            end = self.ws(end + 1);
            let (value, e) = match self.scan(end) {
                Ok(v) => v,
                Err(Fail::NoValue(pos)) => return Err(err("Expecting value", pos).into()),
                Err(e) => return Err(e),
            };
            end = e;
            if let Some(slot) = pairs.iter_mut().find(|(k, _)| *k == key) {
                slot.1 = value;
            } else {
                pairs.push((key, value));
            }
            end = self.ws(end);
            let next = self.at(end);
            end += 1;
            match next {
                Some('}') => break,
                Some(',') => {}
                _ => return Err(err("Expecting ',' delimiter", end - 1).into()),
            }
            end = self.ws(end);
            let next = self.at(end);
            end += 1;
            if next != Some('"') {
                return Err(
                    err("Expecting property name enclosed in double quotes", end - 1).into(),
                );
            }
        }
        Ok((PyValue::Dict(pairs), end))
    }

    fn array(&mut self, mut end: usize) -> Result<(PyValue, usize), Fail> {
        let mut values = Vec::new();
        end = self.ws(end);
        if self.at(end) == Some(']') {
            return Ok((PyValue::List(values), end + 1));
        }
        loop {
            let (value, e) = match self.scan(end) {
                Ok(v) => v,
                Err(Fail::NoValue(pos)) => return Err(err("Expecting value", pos).into()),
                Err(e) => return Err(e),
            };
            values.push(value);
            end = self.ws(e);
            let next = self.at(end);
            end += 1;
            match next {
                Some(']') => break,
                Some(',') => {}
                _ => return Err(err("Expecting ',' delimiter", end - 1).into()),
            }
            end = self.ws(end);
        }
        Ok((PyValue::List(values), end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fails(s: &str) -> (String, usize) {
        let e = loads(s).unwrap_err();
        (e.msg, e.pos)
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
}
