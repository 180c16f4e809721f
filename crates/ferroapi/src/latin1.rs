//! Header values as Starlette reads and writes them: latin-1, one character a
//! byte. A request's UTF-8 `é` (two bytes) reads as `Ã©`; a response header
//! `é` is written as the one byte 0xE9.

use std::borrow::Cow;

use http::HeaderValue;

/// A request header's value as text, borrowed when it is ASCII (nearly
/// every value is).
pub(crate) fn header_text(value: &HeaderValue) -> Cow<'_, str> {
    let bytes = value.as_bytes();
    match std::str::from_utf8(bytes) {
        Ok(text) if text.is_ascii() => Cow::Borrowed(text),
        _ => Cow::Owned(bytes.iter().map(|&b| char::from(b)).collect()),
    }
}

/// A response header's value from text: `None` when a character is past
/// U+00FF (Python's `UnicodeEncodeError`) or HTTP cannot carry the byte (a
/// newline, say).
pub(crate) fn header_value(text: &str) -> Option<HeaderValue> {
    if text.is_ascii() {
        return HeaderValue::from_str(text).ok();
    }
    let bytes = text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect::<Option<Vec<u8>>>()?;
    HeaderValue::from_bytes(&bytes).ok()
}

/// A urlencoded body as Starlette reads it: latin-1 text whose `%`-escapes
/// alone are UTF-8 (raw UTF-8 `é` reads as `Ã©`, `%C3%A9` as `é`). Given to
/// a UTF-8 form parser, each byte past ASCII is first written as the escaped
/// UTF-8 of its latin-1 character (0xE9 → `%C3%A9`). An ASCII body, nearly
/// every one, is borrowed.
pub(crate) fn urlencoded(body: &[u8]) -> Cow<'_, [u8]> {
    if body.is_ascii() {
        return Cow::Borrowed(body);
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(body.len() + body.len() / 2);
    for &b in body {
        if b.is_ascii() {
            out.push(b);
        } else {
            // U+0080..U+00FF in UTF-8: 0xC2 or 0xC3, then 0x80 | low six bits.
            for byte in [0xC0 | (b >> 6), 0x80 | (b & 0x3F)] {
                out.extend([
                    b'%',
                    HEX[usize::from(byte >> 4)],
                    HEX[usize::from(byte & 0xF)],
                ]);
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_both_ways() {
        let sent = HeaderValue::from_bytes("café".as_bytes()).unwrap();
        assert_eq!(header_text(&sent), "cafÃ©");
        assert!(matches!(
            header_text(&HeaderValue::from_static("abc")),
            Cow::Borrowed("abc")
        ));
        assert_eq!(header_value("café").unwrap().as_bytes(), b"caf\xe9");
        assert_eq!(header_value("plain").unwrap().as_bytes(), b"plain");
        assert!(header_value("snow \u{2603}").is_none());
        assert!(header_value("a\nb").is_none());
        let back = header_value("ÿé").unwrap();
        assert_eq!(header_text(&back), "ÿé");
    }

    #[test]
    fn urlencoded_bodies_read_as_starlette_reads_them() {
        let decode = |body: &[u8]| -> Vec<(String, String)> {
            form_urlencoded::parse(&urlencoded(body))
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        };
        let pair = |k: &str, v: &str| (k.to_owned(), v.to_owned());
        assert_eq!(decode("a=café".as_bytes()), [pair("a", "cafÃ©")]);
        assert_eq!(decode(b"a=caf%C3%A9"), [pair("a", "café")]);
        assert_eq!(decode(b"a=\xff+%41"), [pair("a", "ÿ A")]);
        // An escape cut short by a raw byte: U+FFFD, then the byte's character.
        assert_eq!(decode(b"a=%C3\xa9"), [pair("a", "\u{FFFD}©")]);
        assert!(matches!(urlencoded(b"a=b"), Cow::Borrowed(_)));
    }
}
