//! pydantic's lax coercions from strings (path, query, header, cookie and form
//! values all arrive as text), with its error kinds.

use super::{kinds, Kind};

/// Python's `str.strip()` for the ASCII and Unicode whitespace pydantic trims.
fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace())
}

/// Removes Python-style digit-group underscores; `None` if they are misplaced.
fn strip_underscores(s: &str) -> Option<String> {
    if !s.contains('_') {
        return Some(s.to_string());
    }
    let b = s.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let prev_ok = i > 0 && b[i - 1].is_ascii_digit();
            let next_ok = i + 1 < b.len() && b[i + 1].is_ascii_digit();
            if !prev_ok || !next_ok {
                return None;
            }
        }
    }
    Some(s.replace('_', ""))
}

/// Removes the underscores of a float's text as pydantic-core does: each
/// must stand between two other characters (`1_000.5`, `1_e5`, `+_1`; not
/// `_1`, `1_` or `1__0`). `None` if one does not.
fn strip_float_underscores(s: &str) -> Option<String> {
    if !s.contains('_') {
        return Some(s.to_string());
    }
    if s.starts_with('_') || s.ends_with('_') || s.contains("__") {
        return None;
    }
    Some(s.replace('_', ""))
}

/// An integer as pydantic reads it from a string: surrounding whitespace, a sign,
/// `_` digit groups and a zero fraction (`4.00`) are accepted.
pub fn parse_int(raw: &str) -> Result<i128, Kind> {
    match parse_wide_int(raw)? {
        WideInt::Fits(v) => Ok(v),
        WideInt::Beyond { .. } => Err(kinds::int_parsing()),
    }
}

/// An integer's text read as [`parse_int`] reads it, telling a well-formed
/// integer too large for 128 bits (Python's `int` has no bound; a Rust
/// parameter answers its type's bound) from text that is no integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WideInt {
    /// The value.
    Fits(i128),
    /// Well formed, beyond `i128`.
    Beyond {
        /// Below zero (else above).
        negative: bool,
    },
}

/// See [`WideInt`].
pub fn parse_wide_int(raw: &str) -> Result<WideInt, Kind> {
    let s = py_strip(raw);
    let s = strip_underscores(s).ok_or_else(kinds::int_parsing)?;
    let mut body = s.as_str();
    if let Some((int, frac)) = body.split_once('.') {
        if frac.is_empty() || !frac.bytes().all(|c| c == b'0') {
            return Err(kinds::int_parsing());
        }
        body = int;
    }
    let digits = body.strip_prefix(['+', '-']).unwrap_or(body);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(kinds::int_parsing());
    }
    Ok(match body.parse::<i128>() {
        Ok(v) => WideInt::Fits(v),
        Err(_) => WideInt::Beyond {
            negative: body.starts_with('-'),
        },
    })
}

/// A float as Python's `float()` reads it (`inf`, `nan`, `1_000.5`, spaces).
pub fn parse_float(raw: &str) -> Result<f64, Kind> {
    let s = py_strip(raw);
    let s = strip_float_underscores(s).ok_or_else(kinds::float_parsing)?;
    let lower = s.to_ascii_lowercase();
    let unsigned = lower.strip_prefix(['+', '-']).unwrap_or(&lower);
    let named = matches!(unsigned, "inf" | "infinity" | "nan");
    let numeric = !unsigned.is_empty()
        && unsigned
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'+' | b'-'))
        && unsigned.bytes().any(|c| c.is_ascii_digit());
    if !(named || numeric) {
        return Err(kinds::float_parsing());
    }
    lower.parse::<f64>().map_err(|_| kinds::float_parsing())
}

/// A boolean from pydantic's accepted words (case-insensitive, no trimming).
pub fn parse_bool(raw: &str) -> Result<bool, Kind> {
    match raw.to_ascii_lowercase().as_str() {
        "1" | "on" | "t" | "true" | "y" | "yes" => Ok(true),
        "0" | "off" | "f" | "false" | "n" | "no" => Ok(false),
        _ => Err(kinds::bool_parsing()),
    }
}

/// A UUID, with the `uuid` crate's error text as pydantic reports it.
pub fn parse_uuid(raw: &str) -> Result<uuid::Uuid, Kind> {
    uuid::Uuid::parse_str(raw).map_err(|e| {
        // The uuid crate says "invalid length: expected ..., found N"; pydantic
        // (built on the same crate, older wording) says "invalid length: found N".
        let text = e.to_string();
        let text = match text.split_once("found ") {
            Some((head, tail)) if head.starts_with("invalid length") => {
                format!("invalid length: found {tail}")
            }
            _ => text,
        };
        kinds::uuid_parsing(text)
    })
}

/// A parsed date-time, before conversion to a chrono type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateTimeParts {
    /// The calendar date.
    pub date: chrono::NaiveDate,
    /// Time of day, if any was given.
    pub time: Option<chrono::NaiveTime>,
    /// Offset from UTC in seconds, if any.
    pub offset: Option<i32>,
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, n: usize, what: &'static str) -> Result<u32, &'static str> {
        let mut v = 0u32;
        for _ in 0..n {
            match self.b.get(self.i) {
                Some(c) if c.is_ascii_digit() => {
                    v = v * 10 + u32::from(c - b'0');
                    self.i += 1;
                }
                Some(_) => return Err(what),
                None => return Err("input is too short"),
            }
        }
        Ok(v)
    }
    fn expect(&mut self, c: u8, what: &'static str) -> Result<(), &'static str> {
        match self.b.get(self.i) {
            Some(&x) if x == c => {
                self.i += 1;
                Ok(())
            }
            Some(_) => Err(what),
            None => Err("input is too short"),
        }
    }
}

fn parse_date_part(c: &mut Cursor<'_>) -> Result<chrono::NaiveDate, &'static str> {
    if c.b.len() < 10 {
        return Err("input is too short");
    }
    let y = c.digits(4, "invalid character in year")?;
    c.expect(b'-', "invalid date separator, expected `-`")?;
    let m = c.digits(2, "invalid character in month")?;
    c.expect(b'-', "invalid date separator, expected `-`")?;
    let d = c.digits(2, "invalid character in day")?;
    if y == 0 {
        return Err(YEAR_ZERO);
    }
    if !(1..=12).contains(&m) {
        return Err("month value is outside expected range of 1-12");
    }
    chrono::NaiveDate::from_ymd_opt(y as i32, m, d).ok_or("day value is outside expected range")
}

/// speedate's words for year 0, which Python's `date` cannot hold; pydantic
/// reports it as `date_parsing` / `datetime_parsing`, not as the
/// date-or-datetime error of every other malformed date.
const YEAR_ZERO: &str = "year 0 is out of range";

fn parse_time_part(c: &mut Cursor<'_>) -> Result<(chrono::NaiveTime, Option<i32>), &'static str> {
    // speedate wants `HH:MM` at least before it looks at a character.
    if c.b.len() - c.i < 5 {
        return Err("input is too short");
    }
    let h = c.digits(2, "invalid character in hour")?;
    c.expect(b':', "invalid time separator, expected `:`")?;
    let mi = c.digits(2, "invalid character in minute")?;
    let mut s = 0;
    let mut nanos = 0u32;
    if c.b.get(c.i) == Some(&b':') {
        c.i += 1;
        s = c.digits(2, "invalid character in second")?;
        if matches!(c.b.get(c.i), Some(b'.' | b',')) {
            c.i += 1;
            let start = c.i;
            let mut scale = 100_000_000u32;
            while let Some(d) = c.b.get(c.i).filter(|d| d.is_ascii_digit()) {
                nanos += u32::from(d - b'0') * scale;
                scale /= 10;
                c.i += 1;
            }
            if c.i == start {
                return Err("second fraction digits missing after `.`");
            }
            // Python's datetime holds microseconds: the rest is cut off.
            nanos -= nanos % 1000;
        }
    }
    if h > 23 {
        return Err("hour value is outside expected range of 0-23");
    }
    if mi > 59 {
        return Err("minute value is outside expected range of 0-59");
    }
    if s > 59 {
        return Err("second value is outside expected range of 0-59");
    }
    let time = chrono::NaiveTime::from_hms_nano_opt(h, mi, s, nanos)
        .ok_or("hour value is outside expected range of 0-23")?;
    let offset = match c.b.get(c.i) {
        Some(b'Z' | b'z') => {
            c.i += 1;
            Some(0)
        }
        Some(&sign @ (b'+' | b'-')) => {
            c.i += 1;
            let oh = c
                .digits(2, "invalid timezone hour")
                .map_err(|_| "invalid timezone hour")?;
            if c.b.get(c.i) == Some(&b':') {
                c.i += 1;
            }
            let om = c
                .digits(2, "invalid timezone minute")
                .map_err(|_| "invalid timezone minute")?;
            if oh > 23 {
                return Err("timezone offset must be less than 24 hours");
            }
            if om > 59 {
                return Err("timezone minute value is outside expected range of 0-59");
            }
            let secs = (oh * 3600 + om * 60) as i32;
            Some(if sign == b'-' { -secs } else { secs })
        }
        _ => None,
    };
    Ok((time, offset))
}

/// Past this many, a Unix timestamp counts milliseconds, not seconds
/// (speedate's rule, 2e10).
pub const MS_WATERSHED: i128 = 20_000_000_000;

/// A whole Unix timestamp as pydantic reads it: seconds, or milliseconds
/// past [`MS_WATERSHED`].
pub fn unix_timestamp(n: i128) -> Option<chrono::DateTime<chrono::Utc>> {
    let (secs, ms) = if n.abs() > MS_WATERSHED {
        (n.div_euclid(1000), n.rem_euclid(1000))
    } else {
        (n, 0)
    };
    chrono::DateTime::from_timestamp(i64::try_from(secs).ok()?, (ms * 1_000_000) as u32)
}

/// A Unix timestamp written as text, as speedate reads one: an optional
/// `-`, digits, and an optional fraction (`1700000000.5`, `-1`, `.5`,
/// `1700000000.`), seconds or — past 2e10 — milliseconds, rounded to the
/// microsecond. `None` when the text is not such a number (or too long for
/// one): it is then read as a date.
fn text_timestamp(raw: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let (negative, rest) = match raw.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, raw),
    };
    let (whole, fraction) = rest.split_once('.').unwrap_or((rest, ""));
    let digits = |t: &str| t.bytes().all(|c| c.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !digits(whole) || !digits(fraction) {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let whole = i128::from(whole);
    // The fraction in units of 1e-7 of the whole's unit, for rounding.
    let mut tenths_of_micro: i128 = 0;
    for d in fraction.bytes().chain(std::iter::repeat(b'0')).take(7) {
        tenths_of_micro = tenths_of_micro * 10 + i128::from(d - b'0');
    }
    // Microseconds of the whole value; milliseconds past 2e10.
    let micros = if whole > MS_WATERSHED {
        whole * 1000 + (tenths_of_micro + 5_000) / 10_000
    } else {
        whole * 1_000_000 + (tenths_of_micro + 5) / 10
    };
    let micros = if negative { -micros } else { micros };
    let secs = i64::try_from(micros.div_euclid(1_000_000)).ok()?;
    let nanos = (micros.rem_euclid(1_000_000) * 1000) as u32;
    chrono::DateTime::from_timestamp(secs, nanos)
}

/// Why a date or date-time's text was refused: speedate's words, and
/// whether they are about the part after the date (which a date-time field
/// reports only as trailing characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTimeError {
    /// speedate's words.
    pub msg: &'static str,
    /// The date parsed; the time or offset after it did not.
    pub in_time: bool,
}

/// Parses a date or date-time as speedate (pydantic's parser) does for the
/// common ISO 8601 forms, and Unix timestamps. Errors carry speedate's wording.
pub fn parse_datetime_parts(raw: &str) -> Result<DateTimeParts, DateTimeError> {
    let date_error = |msg| DateTimeError {
        msg,
        in_time: false,
    };
    if let Some(dt) = text_timestamp(raw) {
        return Ok(DateTimeParts {
            date: dt.date_naive(),
            time: Some(dt.time()),
            offset: Some(0),
        });
    }
    let mut c = Cursor {
        b: raw.as_bytes(),
        i: 0,
    };
    let date = parse_date_part(&mut c).map_err(date_error)?;
    if c.i == c.b.len() {
        return Ok(DateTimeParts {
            date,
            time: None,
            offset: None,
        });
    }
    let time_error = |msg| DateTimeError { msg, in_time: true };
    match c.b[c.i] {
        b'T' | b't' | b' ' | b'_' => c.i += 1,
        _ => {
            return Err(date_error(
                "unexpected extra characters at the end of the input",
            ))
        }
    }
    let (time, offset) = parse_time_part(&mut c).map_err(time_error)?;
    if c.i != c.b.len() {
        return Err(time_error(
            "unexpected extra characters at the end of the input",
        ));
    }
    Ok(DateTimeParts {
        date,
        time: Some(time),
        offset,
    })
}

/// For a date-time field, every malformed time or offset is reported as
/// trailing characters after a date (speedate reads the date alone first).
fn datetime_error(e: DateTimeError) -> Kind {
    if e.msg == YEAR_ZERO {
        kinds::datetime_only_parsing(e.msg)
    } else if e.in_time {
        kinds::datetime_parsing("unexpected extra characters at the end of the input")
    } else {
        kinds::datetime_parsing(e.msg)
    }
}

/// A date as pydantic reads it (a date-time with zero time is accepted).
pub fn parse_date(raw: &str) -> Result<chrono::NaiveDate, Kind> {
    let parts = parse_datetime_parts(raw).map_err(|e| {
        if e.msg == YEAR_ZERO {
            kinds::date_only_parsing(e.msg)
        } else {
            kinds::date_parsing(e.msg)
        }
    })?;
    match parts.time {
        Some(t) if t != chrono::NaiveTime::MIN || parts.offset.is_some_and(|o| o != 0) => {
            Err(kinds::date_inexact())
        }
        _ => Ok(parts.date),
    }
}

/// A naive date-time: the wall time as written (a written offset is ignored).
pub fn parse_naive_datetime(raw: &str) -> Result<chrono::NaiveDateTime, Kind> {
    let p = parse_datetime_parts(raw).map_err(datetime_error)?;
    Ok(p.date.and_time(p.time.unwrap_or(chrono::NaiveTime::MIN)))
}

/// A date-time with an offset (UTC assumed when none is written).
pub fn parse_fixed_datetime(raw: &str) -> Result<chrono::DateTime<chrono::FixedOffset>, Kind> {
    let p = parse_datetime_parts(raw).map_err(datetime_error)?;
    let naive = p.date.and_time(p.time.unwrap_or(chrono::NaiveTime::MIN));
    let offset = chrono::FixedOffset::east_opt(p.offset.unwrap_or(0))
        .ok_or_else(|| kinds::datetime_parsing("invalid timezone offset"))?;
    naive
        .and_local_timezone(offset)
        .single()
        .ok_or_else(|| kinds::datetime_parsing("invalid timezone offset"))
}

/// The longest `HttpUrl` pydantic takes.
pub const HTTP_URL_MAX: usize = 2083;

/// A URL as pydantic reads it (with the same WHATWG parser, the `url`
/// crate): `http_only` for `HttpUrl` (its schemes and length bound).
pub fn parse_url(raw: &str, http_only: bool) -> Result<url::Url, Kind> {
    if raw.is_empty() {
        return Err(kinds::url_parsing("input is empty"));
    }
    if http_only && raw.chars().count() > HTTP_URL_MAX {
        return Err(kinds::url_too_long(HTTP_URL_MAX));
    }
    let url = url::Url::parse(raw).map_err(|e| kinds::url_parsing(&e.to_string()))?;
    if http_only && !matches!(url.scheme(), "http" | "https") {
        return Err(kinds::url_scheme("'http' or 'https'"));
    }
    Ok(url)
}

/// The longest duration pydantic takes, in microseconds.
const MAX_DURATION_MICROS: f64 = 999_999_999.0 * 86_400.0 * 1e6;

/// A number of seconds as a duration in microseconds (pydantic's bound).
pub fn seconds_to_micros(secs: f64) -> Result<i64, Kind> {
    let micros = (secs * 1e6).round();
    if !micros.is_finite() || micros.abs() > MAX_DURATION_MICROS {
        return Err(kinds::time_delta_parsing(
            "durations may not exceed 999,999,999 days",
        ));
    }
    Ok(micros as i64)
}

/// A number at the start of `s` (digits, an optional fraction), times
/// `unit` microseconds, in whole microseconds (exact: no float on the way);
/// and the bytes it took.
fn leading_number(s: &str, unit: i128) -> Option<(i128, usize)> {
    let int = s.bytes().take_while(u8::is_ascii_digit).count();
    if int == 0 || int > 30 {
        return None;
    }
    let whole: i128 = s[..int].parse().ok()?;
    let mut value = whole.checked_mul(unit)?;
    let mut end = int;
    if s.as_bytes().get(int) == Some(&b'.') {
        let digits = s[int + 1..].bytes().take_while(u8::is_ascii_digit).count();
        end += 1 + digits;
        // Python keeps microseconds: the fraction counts to 1e-6 of the unit.
        let mut scale: i128 = 1;
        let mut frac: i128 = 0;
        for c in s[int + 1..int + 1 + digits].bytes().take(18) {
            frac = frac * 10 + i128::from(c - b'0');
            scale *= 10;
        }
        value += frac * unit / scale;
    }
    Some((value, end))
}

const MICROS: i128 = 1_000_000;

/// A duration as pydantic (speedate) reads text: ISO 8601 (`P1DT2H`, `PT1.5S`,
/// weeks, 365-day years, 30-day months), `[-]HH:MM:SS[.f]` and
/// `N day[s][, HH:MM:SS]`. The value in microseconds.
pub fn parse_duration(raw: &str) -> Result<i64, Kind> {
    let err = kinds::time_delta_parsing;
    let (negative, s) = match raw.as_bytes().first() {
        Some(b'-') => (true, &raw[1..]),
        Some(b'+') => (false, &raw[1..]),
        _ => (false, raw),
    };
    if s.is_empty() {
        return Err(err("input is too short"));
    }
    let day = 86_400 * MICROS;
    let mut total: i128 = 0;
    if let Some(iso) = s.strip_prefix('P').or_else(|| s.strip_prefix('p')) {
        let (date, time) = match iso.split_once(['T', 't']) {
            Some((d, t)) => (d, Some(t)),
            None => (iso, None),
        };
        if date.is_empty() && time.is_none_or(str::is_empty) {
            return Err(err("input is too short"));
        }
        total += iso_part(
            date,
            &[
                (b'Y', 365 * day),
                (b'M', 30 * day),
                (b'W', 7 * day),
                (b'D', day),
            ],
            "quantity invalid in date part of duration",
        )?;
        if let Some(time) = time {
            if time.is_empty() {
                return Err(err("input is too short"));
            }
            total += iso_part(
                time,
                &[(b'H', 3600 * MICROS), (b'M', 60 * MICROS), (b'S', MICROS)],
                "quantity invalid in time part of duration",
            )?;
        }
    } else {
        let day_error = || err("\"day\" identifier in duration not correctly formatted");
        let (_, used) = leading_number(s, 1).ok_or_else(|| err("invalid digit in duration"))?;
        let rest = &s[used..];
        if rest.starts_with(':') {
            total = clock(s)?;
        } else {
            let after = rest
                .strip_prefix(" days")
                .or_else(|| rest.strip_prefix(" day"))
                .ok_or_else(day_error)?;
            if s[..used].contains('.') {
                return Err(day_error());
            }
            let (n, _) = leading_number(s, day).ok_or_else(day_error)?;
            total = n;
            if !after.is_empty() {
                let time = after.strip_prefix(", ").ok_or_else(day_error)?;
                total += clock(time)?;
            }
        }
    }
    let max = 999_999_999 * day;
    if total > max {
        return Err(err("durations may not exceed 999,999,999 days"));
    }
    let micros =
        i64::try_from(total).map_err(|_| err("durations may not exceed 999,999,999 days"))?;
    Ok(if negative { -micros } else { micros })
}

/// One part of an ISO 8601 duration (`1Y2M3D`, `4H5.5S`): numbers each
/// followed by one of `units`, in microseconds.
fn iso_part(mut rest: &str, units: &[(u8, i128)], invalid: &'static str) -> Result<i128, Kind> {
    let err = kinds::time_delta_parsing;
    let mut total = 0;
    while !rest.is_empty() {
        let used = rest
            .bytes()
            .take_while(|c| c.is_ascii_digit() || *c == b'.')
            .count();
        let letter = rest.as_bytes().get(used).map(u8::to_ascii_uppercase);
        let unit = match units.iter().find(|(u, _)| Some(*u) == letter) {
            Some((_, unit)) => *unit,
            None if used == 0 => return Err(err("invalid digit in duration")),
            None => return Err(err(invalid)),
        };
        let (n, _) = leading_number(rest, unit).ok_or_else(|| err("invalid digit in duration"))?;
        total += n;
        rest = &rest[used + 1..];
    }
    Ok(total)
}

/// `H+:MM:SS[.f]` (hours of any size) in microseconds.
fn clock(s: &str) -> Result<i128, Kind> {
    let err = kinds::time_delta_parsing;
    let day_error = || err("\"day\" identifier in duration not correctly formatted");
    let mut parts = s.splitn(3, ':');
    let (Some(h), Some(m), Some(sec)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(day_error());
    };
    let two = |t: &str| t.len() == 2 && t.bytes().all(|c| c.is_ascii_digit());
    if h.is_empty() || h.len() > 18 || !h.bytes().all(|c| c.is_ascii_digit()) || !two(m) {
        return Err(day_error());
    }
    let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
    if !two(whole) || !frac.bytes().all(|c| c.is_ascii_digit()) {
        return Err(day_error());
    }
    let num = |t: &str| t.parse::<i128>().map_err(|_| day_error());
    let (h, m, whole) = (num(h)?, num(m)?, num(whole)?);
    if m > 59 {
        return Err(err("minute value is outside expected range of 0-59"));
    }
    if whole > 59 {
        return Err(err("second value is outside expected range of 0-59"));
    }
    let frac = if frac.is_empty() {
        0
    } else {
        leading_number(&format!("0.{frac}"), MICROS).map_or(0, |(n, _)| n)
    };
    Ok((h * 3600 + m * 60 + whole) * MICROS + frac)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_like_pydantic() {
        assert_eq!(parse_int(" 1_0 ").unwrap(), 10);
        assert_eq!(parse_int("+7").unwrap(), 7);
        assert_eq!(parse_int("4.00").unwrap(), 4);
        assert_eq!(parse_int("-0").unwrap(), 0);
        for bad in [
            "4.5", "4.", "1__0", "_1", "0x10", "1e3", "", "true", "١٢", "+-5", "--5", "+_1",
        ] {
            assert_eq!(parse_int(bad).unwrap_err().kind, "int_parsing", "{bad}");
        }
        let huge = "170141183460469231731687303715884105728";
        assert_eq!(
            parse_wide_int(huge),
            Ok(WideInt::Beyond { negative: false })
        );
        assert_eq!(
            parse_wide_int(&format!(" -1_{huge} ")),
            Ok(WideInt::Beyond { negative: true })
        );
        assert_eq!(parse_int(huge).unwrap_err().kind, "int_parsing");
        assert!(parse_wide_int(&format!("+-{huge}")).is_err());
    }

    /// pydantic-core's float underscores (recorded from pydantic 2.14): each
    /// stands between two other characters, whichever they are.
    #[test]
    fn float_underscores_like_pydantic() {
        for (text, value) in [
            ("1_e5", 1e5),
            ("1e_5", 1e5),
            ("+_1", 1.0),
            ("1_._5", 1.5),
            ("1e-_5", 1e-5),
            ("1_000.000_1", 1000.0001),
        ] {
            assert_eq!(parse_float(text).unwrap(), value, "{text}");
        }
        assert!(parse_float("in_f").unwrap().is_infinite());
        for bad in ["_1.5", "1.5_", "1__0", "nan_", "0_x10", "+-5"] {
            assert_eq!(parse_float(bad).unwrap_err().kind, "float_parsing", "{bad}");
        }
    }

    #[test]
    fn floats_and_bools_like_pydantic() {
        assert_eq!(parse_float("1_000.5").unwrap(), 1000.5);
        assert_eq!(parse_float(" 2.5 ").unwrap(), 2.5);
        assert!(parse_float("-Infinity").unwrap().is_infinite());
        assert!(parse_float("nan").unwrap().is_nan());
        assert!(parse_float("0x1").is_err());
        assert!(parse_float("").is_err());
        assert!(parse_bool("TRUE").unwrap());
        assert!(!parse_bool("off").unwrap());
        assert!(parse_bool(" true").is_err());
        assert!(parse_bool("2").is_err());
    }

    /// Recorded from pydantic 2.14 (`TypeAdapter(datetime)`).
    #[test]
    fn text_timestamps_like_speedate() {
        let at = |t: &str| text_timestamp(t).map(|d| d.format("%Y-%m-%d %H:%M:%S%.6f").to_string());
        assert_eq!(at("1700000000.5").unwrap(), "2023-11-14 22:13:20.500000");
        assert_eq!(
            at("1700000000.1234567").unwrap(),
            "2023-11-14 22:13:20.123457"
        );
        assert_eq!(
            at("1700000000.9999999").unwrap(),
            "2023-11-14 22:13:21.000000"
        );
        assert_eq!(at("-1700000000.25").unwrap(), "1916-02-18 01:46:39.750000");
        assert_eq!(at("-1").unwrap(), "1969-12-31 23:59:59.000000");
        assert_eq!(at(".5").unwrap(), "1970-01-01 00:00:00.500000");
        assert_eq!(at("17000000001234").unwrap(), "2508-09-16 06:13:21.234000");
        for not_one in ["1e9", "", "-", ".", "1.2.3", "99999999999999999999", "+1"] {
            assert_eq!(at(not_one), None, "{not_one}");
        }
        let err = |t: &str| parse_datetime_parts(t).unwrap_err();
        assert_eq!(
            err("2024-01-01T10:00:00+24:00").msg,
            "timezone offset must be less than 24 hours"
        );
        assert_eq!(err("2024-01-01T10:00:00+02").msg, "invalid timezone minute");
        assert_eq!(err("2024-01-01Tab").msg, "input is too short");
        assert!(err("2024-01-01T10:61").in_time);
        assert_eq!(parse_date("0000-01-01").unwrap_err().kind, "date_parsing");
        assert_eq!(
            parse_naive_datetime("2024-01-01T10:00:00+24:00").unwrap_err().msg,
            "Input should be a valid datetime or date, unexpected extra characters at the end of the input"
        );
    }

    #[test]
    fn dates_like_speedate() {
        assert_eq!(
            parse_date("2024-13-01").unwrap_err().msg,
            "Input should be a valid date or datetime, month value is outside expected range of 1-12"
        );
        assert_eq!(
            parse_date("2024-1-1").unwrap_err().msg,
            "Input should be a valid date or datetime, input is too short"
        );
        assert_eq!(
            parse_date("2024-02-30").unwrap_err().msg,
            "Input should be a valid date or datetime, day value is outside expected range"
        );
        assert!(parse_date("2024-01-01T00:00:00").is_ok());
        assert_eq!(
            parse_date("2024-01-01T10:00:00Z").unwrap_err().kind,
            "date_from_datetime_inexact"
        );
        assert!(parse_naive_datetime("2024-01-01 10:00").is_ok());
        assert!(parse_fixed_datetime("2024-01-01T10:00:00+0100").is_ok());
        assert_eq!(
            parse_naive_datetime("2024-01-01T10").unwrap_err().msg,
            "Input should be a valid datetime or date, unexpected extra characters at the end of the input"
        );
        assert_eq!(
            parse_naive_datetime("2024-01-01T25:00:00").unwrap_err().msg,
            "Input should be a valid datetime or date, unexpected extra characters at the end of the input"
        );
        assert_eq!(
            parse_date("2024-01-01T25:00:00").unwrap_err().msg,
            "Input should be a valid date or datetime, hour value is outside expected range of 0-23"
        );
    }

    #[test]
    fn uuid_errors_like_pydantic() {
        assert_eq!(
            parse_uuid("1234").unwrap_err().msg,
            "Input should be a valid UUID, invalid length: found 4"
        );
        assert!(parse_uuid("550e8400e29b41d4a716446655440000").is_ok());
    }
}
