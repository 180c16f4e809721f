//! pydantic's lax coercions from strings (path, query, header, cookie and form
//! values all arrive as text), with its error kinds.

use std::borrow::Cow;

use super::{kinds, Kind};

/// Python's `str.strip()` for the ASCII and Unicode whitespace pydantic trims.
fn py_strip(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace())
}

/// Removes Python-style digit-group underscores; `None` if they are misplaced.
/// Borrowed when there are none (every parameter's number, usually).
fn strip_underscores(s: &str) -> Option<Cow<'_, str>> {
    if !s.contains('_') {
        return Some(Cow::Borrowed(s));
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
    Some(Cow::Owned(s.replace('_', "")))
}

/// Removes the underscores of a float's text as pydantic-core does: each
/// must stand between two other characters (`1_000.5`, `1_e5`, `+_1`; not
/// `_1`, `1_` or `1__0`). `None` if one does not.
fn strip_float_underscores(s: &str) -> Option<Cow<'_, str>> {
    if !s.contains('_') {
        return Some(Cow::Borrowed(s));
    }
    if s.starts_with('_') || s.ends_with('_') || s.contains("__") {
        return None;
    }
    Some(Cow::Owned(s.replace('_', "")))
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
    let mut body: &str = &s;
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

/// A well-formed integer's text (see [`parse_wide_int`]) as Python writes
/// the int: no spaces, `_`, `+`, leading zeros or zero fraction.
pub fn int_text(raw: &str) -> String {
    let s: String = py_strip(raw).chars().filter(|c| *c != '_').collect();
    let body = s.split('.').next().unwrap_or_default();
    let (sign, digits) = match body.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", body.strip_prefix('+').unwrap_or(body)),
    };
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        "0".into()
    } else {
        format!("{sign}{digits}")
    }
}

/// A float as Python's `float()` reads it (`inf`, `nan`, `1_000.5`, spaces).
pub fn parse_float(raw: &str) -> Result<f64, Kind> {
    let s = py_strip(raw);
    let s = strip_float_underscores(s).ok_or_else(kinds::float_parsing)?;
    // Any case, as Python's (and Rust's parser: `INF`, `1E5`), without a
    // lowered copy.
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(&s);
    let named = ["inf", "infinity", "nan"]
        .iter()
        .any(|n| unsigned.eq_ignore_ascii_case(n));
    let numeric = !unsigned.is_empty()
        && unsigned
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
        && unsigned.bytes().any(|c| c.is_ascii_digit());
    if !(named || numeric) {
        return Err(kinds::float_parsing());
    }
    s.parse::<f64>().map_err(|_| kinds::float_parsing())
}

/// A boolean from pydantic's accepted words (case-insensitive, no trimming).
pub fn parse_bool(raw: &str) -> Result<bool, Kind> {
    let is = |words: &[&str]| words.iter().any(|w| raw.eq_ignore_ascii_case(w));
    if is(&["1", "on", "t", "true", "y", "yes"]) {
        Ok(true)
    } else if is(&["0", "off", "f", "false", "n", "no"]) {
        Ok(false)
    } else {
        Err(kinds::bool_parsing())
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

// Dates and date-times are read by speedate, pydantic-core's own parser,
// with the configuration pydantic gives it; what is written here is only
// pydantic's glue around it: which error type a failure is reported as, and
// the lax fallbacks between dates and date-times.

use speedate::{
    Date as SDate, DateConfig, DateTime as SDateTime, DateTimeConfig,
    MicrosecondsPrecisionOverflowBehavior, ParseError, TimeConfig,
};
use strum::EnumMessage as _;

/// speedate's words for a failure, as pydantic puts them in `ctx.error`.
fn words(e: &ParseError) -> &'static str {
    e.get_documentation().unwrap_or_default()
}

/// pydantic's configuration: timestamps are UTC, microsecond digits past
/// six are cut off (`microseconds_precision='truncate'`).
fn datetime_config() -> DateTimeConfig {
    DateTimeConfig {
        time_config: TimeConfig {
            microseconds_precision_overflow_behavior:
                MicrosecondsPrecisionOverflowBehavior::Truncate,
            unix_timestamp_offset: Some(0),
        },
        ..Default::default()
    }
}

/// Python's words for year 0, which its `date` cannot hold (speedate reads
/// it): pydantic reports it as `date_parsing` / `datetime_parsing`, not as
/// the error of a malformed date.
const YEAR_ZERO: &str = "year 0 is out of range";

fn chrono_date(d: &SDate) -> Option<chrono::NaiveDate> {
    if d.year == 0 {
        return None;
    }
    chrono::NaiveDate::from_ymd_opt(i32::from(d.year), u32::from(d.month), u32::from(d.day))
}

/// A speedate date-time as a chrono one and its offset (`None`: naive).
fn chrono_datetime(dt: &SDateTime) -> Option<(chrono::NaiveDateTime, Option<i32>)> {
    let date = chrono_date(&dt.date)?;
    let t = &dt.time;
    let time = chrono::NaiveTime::from_hms_micro_opt(
        u32::from(t.hour),
        u32::from(t.minute),
        u32::from(t.second),
        t.microsecond,
    )?;
    Some((date.and_time(time), t.tz_offset))
}

/// A date-time from text as pydantic's lax mode reads it: a date-time (or
/// a Unix timestamp), else a date at midnight; a failure is the date's
/// (`datetime_from_date_parsing`).
pub fn datetime_text(raw: &str) -> Result<(chrono::NaiveDateTime, Option<i32>), Kind> {
    match SDateTime::parse_bytes_with_config(raw.as_bytes(), &datetime_config()) {
        Ok(dt) => chrono_datetime(&dt).ok_or_else(|| kinds::datetime_only_parsing(YEAR_ZERO)),
        Err(_) => match SDate::parse_bytes_with_config(raw.as_bytes(), &DateConfig::default()) {
            Ok(d) => chrono_date(&d)
                .map(|d| (d.and_time(chrono::NaiveTime::MIN), None))
                .ok_or_else(|| kinds::datetime_only_parsing(YEAR_ZERO)),
            Err(e) => Err(kinds::datetime_parsing(words(&e))),
        },
    }
}

/// A date from a date-time that must fall on midnight (any offset), as
/// pydantic's lax mode takes one.
fn date_of(dt: &SDateTime) -> Result<chrono::NaiveDate, Kind> {
    let t = &dt.time;
    if (t.hour, t.minute, t.second, t.microsecond) != (0, 0, 0, 0) {
        return Err(kinds::date_inexact());
    }
    chrono_date(&dt.date).ok_or_else(|| kinds::date_only_parsing(YEAR_ZERO))
}

/// A date as pydantic reads it: a date (or a Unix timestamp at midnight),
/// else a date-time at midnight; a failure is the date-time's
/// (`date_from_datetime_parsing`).
pub fn parse_date(raw: &str) -> Result<chrono::NaiveDate, Kind> {
    match SDate::parse_bytes_with_config(raw.as_bytes(), &DateConfig::default()) {
        Ok(d) => chrono_date(&d).ok_or_else(|| kinds::date_only_parsing(YEAR_ZERO)),
        Err(_) => match SDateTime::parse_bytes_with_config(raw.as_bytes(), &datetime_config()) {
            Ok(dt) => date_of(&dt),
            Err(e) => Err(kinds::date_parsing(words(&e))),
        },
    }
}

/// A naive date-time: the wall time as written (a written offset is ignored).
pub fn parse_naive_datetime(raw: &str) -> Result<chrono::NaiveDateTime, Kind> {
    datetime_text(raw).map(|(naive, _)| naive)
}

/// A date-time with an offset (UTC assumed when none is written).
pub fn parse_fixed_datetime(raw: &str) -> Result<chrono::DateTime<chrono::FixedOffset>, Kind> {
    let (naive, offset) = datetime_text(raw)?;
    with_offset(naive, offset.unwrap_or(0))
}

/// A wall time at an offset (seconds east of UTC).
pub fn with_offset(
    naive: chrono::NaiveDateTime,
    offset: i32,
) -> Result<chrono::DateTime<chrono::FixedOffset>, Kind> {
    chrono::FixedOffset::east_opt(offset)
        .and_then(|o| naive.and_local_timezone(o).single())
        .ok_or_else(|| kinds::datetime_parsing("invalid timezone offset"))
}

/// A JSON number as pydantic reads it for a date-time: a Unix timestamp,
/// seconds (milliseconds past 2e10), UTC. Failures are `datetime_parsing`.
pub fn number_datetime(n: Number) -> Result<chrono::DateTime<chrono::FixedOffset>, Kind> {
    let dt = number_speedate(n).map_err(|e| kinds::datetime_only_parsing(&e))?;
    let (naive, offset) =
        chrono_datetime(&dt).ok_or_else(|| kinds::datetime_only_parsing(YEAR_ZERO))?;
    with_offset(naive, offset.unwrap_or(0))
}

/// A JSON number as pydantic reads it for a date: a timestamp at midnight.
/// Failures are the date-time's (`date_from_datetime_parsing`).
pub fn number_date(n: Number) -> Result<chrono::NaiveDate, Kind> {
    let dt = number_speedate(n).map_err(|e| kinds::date_parsing(&e))?;
    date_of(&dt)
}

/// A time of day from text as pydantic reads it (speedate); an offset is
/// read and left out (chrono's `NaiveTime` has none).
pub fn parse_time(raw: &str) -> Result<chrono::NaiveTime, Kind> {
    time_text(raw).map(|(t, _)| t)
}

/// A time of day from text and its offset in seconds (`None`: naive), as
/// pydantic reads it.
pub fn time_text(raw: &str) -> Result<(chrono::NaiveTime, Option<i32>), Kind> {
    let config = datetime_config().time_config;
    let t = speedate::Time::parse_bytes_with_config(raw.as_bytes(), &config)
        .map_err(|e| kinds::time_parsing(words(&e)))?;
    Ok((chrono_time(&t)?, t.tz_offset))
}

fn chrono_time(t: &speedate::Time) -> Result<chrono::NaiveTime, Kind> {
    chrono::NaiveTime::from_hms_micro_opt(
        u32::from(t.hour),
        u32::from(t.minute),
        u32::from(t.second),
        t.microsecond,
    )
    .ok_or_else(|| kinds::time_parsing("hour value is outside expected range of 0-23"))
}

/// A time of day from a number of seconds, as pydantic reads a JSON number.
pub fn number_time(n: Number) -> Result<chrono::NaiveTime, Kind> {
    let (secs, micros) = match n {
        Number::Int(i) => (i, 0),
        Number::Float(f) if f.is_nan() => {
            return Err(kinds::time_parsing("NaN values not permitted"))
        }
        Number::Float(f) => (f.floor() as i128, (f.fract().abs() * 1e6).round() as u32),
    };
    if secs < 0 {
        return Err(kinds::time_parsing("time in seconds should be positive"));
    }
    let secs = u32::try_from(secs).unwrap_or(u32::MAX);
    let t =
        speedate::Time::from_timestamp_with_config(secs, micros, &datetime_config().time_config)
            .map_err(|e| kinds::time_parsing(words(&e)))?;
    chrono_time(&t)
}

/// An IP address as Python's `ipaddress` reads one: text, or an integer.
/// `v6`: `None` either family (`IPvAnyAddress`), else that family.
pub fn parse_ip(v: IpInput<'_>, v6: Option<bool>) -> Result<std::net::IpAddr, Kind> {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    let refused = || match v6 {
        None => kinds::ip_any_address(),
        Some(false) => kinds::ip_v4_address(),
        Some(true) => kinds::ip_v6_address(),
    };
    let ip = match v {
        IpInput::Text(s) => s.parse::<IpAddr>().map_err(|_| refused())?,
        IpInput::Int(i) => match (u32::try_from(i), u128::try_from(i), v6) {
            (Ok(n), _, None | Some(false)) => IpAddr::V4(Ipv4Addr::from(n)),
            (_, Ok(n), None | Some(true)) => IpAddr::V6(Ipv6Addr::from(n)),
            _ => return Err(refused()),
        },
    };
    match (ip, v6) {
        (IpAddr::V4(_), Some(true)) | (IpAddr::V6(_), Some(false)) => Err(refused()),
        _ => Ok(ip),
    }
}

/// The schema keyword value (`format`) pydantic documents each type with.
pub(crate) fn ip_net_format_of(v6: Option<bool>, interface: bool) -> &'static str {
    match (v6, interface) {
        (Some(false), false) => "ipv4network",
        (Some(true), false) => "ipv6network",
        (None, false) => "ipvanynetwork",
        (Some(false), true) => "ipv4interface",
        (Some(true), true) => "ipv6interface",
        (None, true) => "ipvanyinterface",
    }
}

/// The formats above, and what each asks for (for the schema walker).
pub(crate) fn ip_net_format(format: &str) -> Option<(Option<bool>, bool)> {
    [Some(false), Some(true), None]
        .into_iter()
        .flat_map(|v6| [(v6, false), (v6, true)])
        .find(|&(v6, interface)| ip_net_format_of(v6, interface) == format)
}

/// Reads an IP network (`interface`: an interface) as Python's `ipaddress`
/// does: `addr`, `addr/prefix`, an IPv4 `addr/netmask` or `addr/hostmask`,
/// or an integer (a single address). A network with host bits set is
/// refused. `v6`: `None` tries IPv4, then IPv6 (pydantic's `IPvAny...`).
pub fn parse_ip_net(
    v: IpInput<'_>,
    v6: Option<bool>,
    interface: bool,
) -> Result<(std::net::IpAddr, u8), Kind> {
    let families: &[bool] = match v6 {
        None => &[false, true],
        Some(false) => &[false],
        Some(true) => &[true],
    };
    families
        .iter()
        .find_map(|&six| ip_net_in(v, six, interface))
        .ok_or_else(|| kinds::ip_network(v6, interface))
}

fn ip_net_in(v: IpInput<'_>, six: bool, interface: bool) -> Option<(std::net::IpAddr, u8)> {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
    let max: u8 = if six { 128 } else { 32 };
    let (addr, prefix) = match v {
        IpInput::Int(n) if six => (IpAddr::V6(Ipv6Addr::from(u128::try_from(n).ok()?)), max),
        IpInput::Int(n) => (IpAddr::V4(Ipv4Addr::from(u32::try_from(n).ok()?)), max),
        IpInput::Text(s) => {
            let mut parts = s.split('/');
            let address = parts.next()?;
            let mask = parts.next();
            if parts.next().is_some() {
                return None;
            }
            let addr = if six {
                IpAddr::V6(address.parse().ok()?)
            } else {
                IpAddr::V4(address.parse().ok()?)
            };
            let prefix = match mask {
                None => max,
                Some(m) => ip_prefix(m, six)?,
            };
            (addr, prefix)
        }
    };
    let bits = match addr {
        IpAddr::V4(a) => u128::from(u32::from(a)) << 96,
        IpAddr::V6(a) => u128::from(a),
    };
    let host = if prefix == 0 {
        u128::MAX
    } else {
        (1u128 << (128 - u32::from(prefix))) - 1
    };
    // `strict=True`, as pydantic builds a network.
    if !interface && bits & host != 0 {
        return None;
    }
    Some((addr, prefix))
}

/// A prefix length as Python reads it: ASCII digits (leading zeros allowed)
/// up to the family's width, or, for IPv4, a netmask or a hostmask.
fn ip_prefix(m: &str, six: bool) -> Option<u8> {
    let max: u32 = if six { 128 } else { 32 };
    if !m.is_empty() && m.bytes().all(|b| b.is_ascii_digit()) {
        let digits = m.trim_start_matches('0');
        if digits.len() > 3 {
            return None;
        }
        let n: u32 = if digits.is_empty() {
            0
        } else {
            digits.parse().ok()?
        };
        return (n <= max).then_some(n as u8);
    }
    if six {
        return None;
    }
    let mask = u32::from(m.parse::<std::net::Ipv4Addr>().ok()?);
    // Contiguous ones from the top: a netmask; else from the bottom: a hostmask.
    let prefix_of = |ip: u32| {
        let zeros = ip.trailing_zeros();
        let ones = u64::from(ip).checked_shr(zeros).unwrap_or(0);
        let len = 32 - zeros;
        (ones == (1u64 << len) - 1).then_some(len as u8)
    };
    prefix_of(mask).or_else(|| prefix_of(!mask))
}

/// What an IP address is read from.
#[derive(Debug, Clone, Copy)]
pub enum IpInput<'a> {
    /// Its text.
    Text(&'a str),
    /// Its number.
    Int(i128),
}

/// A number a date or date-time is read from.
#[derive(Debug, Clone, Copy)]
pub enum Number {
    /// An integer (beyond 64 bits: too large for any date).
    Int(i128),
    /// A float.
    Float(f64),
}

fn number_speedate(n: Number) -> Result<SDateTime, String> {
    let config = datetime_config();
    let r = match n {
        Number::Int(i) => match i64::try_from(i) {
            Ok(i) => SDateTime::from_timestamp_with_config(i, 0, &config),
            Err(_) if i < 0 => Err(ParseError::DateTooSmall),
            Err(_) => Err(ParseError::DateTooLarge),
        },
        Number::Float(f) if f.is_nan() => return Err("NaN values not permitted".into()),
        Number::Float(f) => SDateTime::from_float_with_config(f, &config),
    };
    r.map_err(|e| words(&e).to_string())
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

    proptest::proptest! {
        /// Read in any case without a lowered copy, a float or a bool is
        /// what its lowered text reads as.
        #[test]
        fn case_is_read_as_lowered(raw in "[ +\\-_0-9.eEiInNfFaAtTyYrRuUsSoOlL]{0,12}") {
            let lowered = raw.to_ascii_lowercase();
            // Compared by their bits: `NaN` is not equal to itself.
            let float = |t: &str| parse_float(t).map(f64::to_bits).map_err(|k| k.kind);
            proptest::prop_assert_eq!(float(&raw), float(&lowered));
            proptest::prop_assert_eq!(
                parse_bool(&raw).map_err(|k| k.kind),
                parse_bool(&lowered).map_err(|k| k.kind)
            );
        }
    }

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
