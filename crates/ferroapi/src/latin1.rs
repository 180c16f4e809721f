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
}
