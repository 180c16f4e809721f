//! Dates, times and durations written as pydantic writes them.
//!
//! chrono's serde writes a UTC date-time's fraction in groups of three digits
//! (`.123Z`, `.123456789Z`); pydantic (Python's microseconds) writes six or
//! none (`.123000Z`). [`serialize`] writes chrono values pydantic's way;
//! [`Timedelta`] is Python's `timedelta`: ISO 8601 durations out (`PT1H`),
//! seconds, ISO 8601 and `HH:MM:SS` in.

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Timelike};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value pydantic would write as text: date-times, dates and times.
pub trait PydanticText {
    /// The text pydantic writes (a response model's field).
    fn pydantic_text(&self) -> String;

    /// The text Python's `isoformat()` writes, which is what FastAPI's
    /// `jsonable_encoder` sends for a value outside a response model (a
    /// `dict` a route returns): a UTC date-time ends `+00:00` there, where
    /// pydantic writes `Z`.
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// use ferroapi::datetime::PydanticText;
    ///
    /// let at = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
    /// assert_eq!(at.pydantic_text(), "2024-01-02T03:04:05Z");
    /// assert_eq!(at.isoformat(), "2024-01-02T03:04:05+00:00");
    /// ```
    fn isoformat(&self) -> String {
        self.pydantic_text()
    }
}

/// `n` as `width` digits, zero-padded (`n` has at most `width` digits).
fn digits(out: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        out.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
    }
}

/// `HH:MM:SS`, then `.ffffff` when there are microseconds (truncated, as
/// Python holds them).
fn write_time(out: &mut String, t: &NaiveTime) {
    digits(out, t.hour(), 2);
    out.push(':');
    digits(out, t.minute(), 2);
    out.push(':');
    digits(out, t.second(), 2);
    // A leap second's nanoseconds run past one second.
    let micros = (t.nanosecond() % 1_000_000_000) / 1000;
    if micros != 0 {
        out.push('.');
        digits(out, micros, 6);
    }
}

/// `YYYY-MM-DD`; a year outside Python's 1–9999 as chrono writes it.
fn write_date(out: &mut String, d: &NaiveDate) {
    match u32::try_from(d.year()) {
        Ok(year) if year <= 9999 => {
            digits(out, year, 4);
            out.push('-');
            digits(out, d.month(), 2);
            out.push('-');
            digits(out, d.day(), 2);
        }
        _ => {
            let _ = write!(out, "{}", d.format("%Y-%m-%d"));
        }
    }
}

impl PydanticText for NaiveTime {
    fn pydantic_text(&self) -> String {
        let mut s = String::with_capacity(15);
        write_time(&mut s, self);
        s
    }
}

impl PydanticText for NaiveDate {
    fn pydantic_text(&self) -> String {
        let mut s = String::with_capacity(10);
        write_date(&mut s, self);
        s
    }
}

impl PydanticText for NaiveDateTime {
    fn pydantic_text(&self) -> String {
        let mut s = String::with_capacity(26);
        write_date(&mut s, &self.date());
        s.push('T');
        write_time(&mut s, &self.time());
        s
    }
}

/// Date, time and offset; UTC as `utc` (`Z` for pydantic, `+00:00` for
/// `isoformat()`).
fn write_aware<Tz: TimeZone>(t: &DateTime<Tz>, utc: &str) -> String {
    let local = t.naive_local();
    let mut s = String::with_capacity(32);
    write_date(&mut s, &local.date());
    s.push('T');
    write_time(&mut s, &local.time());
    write_offset(&mut s, t.offset().fix().local_minus_utc(), utc);
    s
}

/// An offset as Python writes it (`+02:00`, seconds when there are some),
/// UTC as `utc`.
fn write_offset(s: &mut String, offset: i32, utc: &str) {
    if offset == 0 {
        s.push_str(utc);
    } else {
        s.push(if offset < 0 { '-' } else { '+' });
        let a = offset.unsigned_abs();
        digits(s, a / 3600, 2);
        s.push(':');
        digits(s, a / 60 % 60, 2);
        if !a.is_multiple_of(60) {
            s.push(':');
            digits(s, a % 60, 2);
        }
    }
}

impl<Tz: TimeZone> PydanticText for DateTime<Tz> {
    fn pydantic_text(&self) -> String {
        write_aware(self, "Z")
    }

    fn isoformat(&self) -> String {
        write_aware(self, "+00:00")
    }
}

/// Writes a chrono value (or an `Option` of one) as pydantic does:
/// `#[serde(serialize_with = "ferroapi::datetime::serialize")]`.
///
/// ```
/// use chrono::{TimeZone, Utc};
///
/// #[derive(serde::Serialize)]
/// struct Event {
///     #[serde(serialize_with = "ferroapi::datetime::serialize")]
///     at: chrono::DateTime<Utc>,
/// }
///
/// let at = Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap()
///     + chrono::TimeDelta::milliseconds(120);
/// assert_eq!(
///     serde_json::to_string(&Event { at }).unwrap(),
///     r#"{"at":"2024-01-02T03:04:05.120000Z"}"#
/// );
/// ```
pub fn serialize<T, S>(value: &T, serializer: S) -> Result<S::Ok, S::Error>
where
    T: SerializeText,
    S: Serializer,
{
    value.serialize_text(serializer)
}

/// What [`serialize`] takes: a chrono value, or an `Option` of one
/// (`None` is `null`).
pub trait SerializeText {
    /// Writes the value.
    fn serialize_text<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error>;
}

impl<T: PydanticText> SerializeText for T {
    fn serialize_text<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.pydantic_text())
    }
}

impl<T: PydanticText> SerializeText for Option<T> {
    fn serialize_text<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Some(v) => serializer.serialize_str(&v.pydantic_text()),
            None => serializer.serialize_none(),
        }
    }
}

/// Python's `datetime` as pydantic reads and writes it: naive or aware, as
/// sent. Text without an offset stays naive and is written back without
/// one; text with an offset, and a Unix timestamp (UTC), are aware. chrono's
/// `DateTime<FixedOffset>` takes naive text as UTC and `NaiveDateTime`
/// drops an offset: use this where a FastAPI field is a plain `datetime`.
///
/// ```
/// let naive: ferroapi::Datetime = serde_json::from_str(r#""2024-01-02T03:04:05""#).unwrap();
/// assert_eq!(serde_json::to_string(&naive).unwrap(), r#""2024-01-02T03:04:05""#);
/// let aware: ferroapi::Datetime = serde_json::from_str(r#""2024-01-02 03:04:05+00:00""#).unwrap();
/// assert_eq!(serde_json::to_string(&aware).unwrap(), r#""2024-01-02T03:04:05Z""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Datetime {
    /// No offset was given.
    Naive(NaiveDateTime),
    /// An offset was given (or a timestamp, UTC).
    Aware(DateTime<chrono::FixedOffset>),
}

impl Datetime {
    /// Reads text as pydantic's lax mode does (a date alone is midnight,
    /// naive; digits are a Unix timestamp, UTC).
    pub fn parse(raw: &str) -> Result<Self, crate::validation::Kind> {
        let (naive, offset) = crate::validation::lax::datetime_text(raw)?;
        Ok(match offset {
            None => Datetime::Naive(naive),
            Some(o) => Datetime::Aware(crate::validation::lax::with_offset(naive, o)?),
        })
    }
}

impl PydanticText for Datetime {
    fn pydantic_text(&self) -> String {
        match self {
            Datetime::Naive(n) => n.pydantic_text(),
            Datetime::Aware(a) => a.pydantic_text(),
        }
    }
    fn isoformat(&self) -> String {
        match self {
            Datetime::Naive(n) => n.isoformat(),
            Datetime::Aware(a) => a.isoformat(),
        }
    }
}

impl Serialize for Datetime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.pydantic_text())
    }
}

/// What pydantic reads a date-time or a time from in JSON: a number
/// (seconds) or text.
#[derive(Deserialize)]
#[serde(untagged)]
enum NumberOrText {
    Int(i64),
    Float(f64),
    Text(String),
}

impl NumberOrText {
    /// A number read by `number`, text by `text`.
    fn read<T>(
        self,
        number: impl FnOnce(crate::validation::lax::Number) -> Result<T, crate::validation::Kind>,
        text: impl FnOnce(&str) -> Result<T, crate::validation::Kind>,
    ) -> Result<T, crate::validation::Kind> {
        use crate::validation::lax::Number;
        match self {
            NumberOrText::Int(i) => number(Number::Int(i.into())),
            NumberOrText::Float(f) => number(Number::Float(f)),
            NumberOrText::Text(s) => text(&s),
        }
    }
}

impl<'de> Deserialize<'de> for Datetime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        NumberOrText::deserialize(deserializer)?
            .read(
                |n| crate::validation::lax::number_datetime(n).map(Datetime::Aware),
                Datetime::parse,
            )
            .map_err(|k| serde::de::Error::custom(k.msg))
    }
}

impl schemars::JsonSchema for Datetime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Datetime".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut s = schemars::json_schema!({"type": "string", "format": "date-time"});
        s.insert(AS_SENT_KEYWORD.into(), true.into());
        s
    }
}

/// Python's `time` as pydantic reads and writes it: naive or aware, as sent.
/// Text keeps its offset (`12:30:00+02:00`); a number is seconds since
/// midnight, UTC (written `Z`). chrono's `NaiveTime` drops an offset and
/// reads no number: use this where a FastAPI field is a `time`.
///
/// ```
/// let t: ferroapi::Time = serde_json::from_str(r#""12:30:00+02:00""#).unwrap();
/// assert_eq!(serde_json::to_string(&t).unwrap(), r#""12:30:00+02:00""#);
/// let t: ferroapi::Time = serde_json::from_str("3600.5").unwrap();
/// assert_eq!(serde_json::to_string(&t).unwrap(), r#""01:00:00.500000Z""#);
/// let t: ferroapi::Time = serde_json::from_str(r#""07:05""#).unwrap();
/// assert_eq!(serde_json::to_string(&t).unwrap(), r#""07:05:00""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Time {
    /// No offset was given.
    Naive(NaiveTime),
    /// An offset was given, in seconds east of UTC (or a number: UTC).
    Aware(NaiveTime, chrono::FixedOffset),
}

impl Time {
    /// Reads text as pydantic does (speedate's time parser).
    pub fn parse(raw: &str) -> Result<Self, crate::validation::Kind> {
        let (t, offset) = crate::validation::lax::time_text(raw)?;
        Ok(match offset.and_then(chrono::FixedOffset::east_opt) {
            None => Time::Naive(t),
            Some(o) => Time::Aware(t, o),
        })
    }

    /// Seconds since midnight, as pydantic reads a JSON number: UTC.
    pub fn from_number(n: crate::validation::lax::Number) -> Result<Self, crate::validation::Kind> {
        let t = crate::validation::lax::number_time(n)?;
        Ok(Time::Aware(
            t,
            chrono::FixedOffset::east_opt(0).expect("UTC"),
        ))
    }

    /// The time of day, without its offset.
    pub fn time(&self) -> NaiveTime {
        match self {
            Time::Naive(t) | Time::Aware(t, _) => *t,
        }
    }
}

impl Time {
    fn text(&self, utc: &str) -> String {
        let mut s = String::with_capacity(21);
        write_time(&mut s, &self.time());
        if let Time::Aware(_, o) = self {
            write_offset(&mut s, o.local_minus_utc(), utc);
        }
        s
    }
}

impl PydanticText for Time {
    fn pydantic_text(&self) -> String {
        self.text("Z")
    }
    fn isoformat(&self) -> String {
        self.text("+00:00")
    }
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.pydantic_text())
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        NumberOrText::deserialize(deserializer)?
            .read(Time::from_number, Time::parse)
            .map_err(|k| serde::de::Error::custom(k.msg))
    }
}

impl schemars::JsonSchema for Time {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Time".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut s = schemars::json_schema!({"type": "string", "format": "time"});
        s.insert(AS_SENT_KEYWORD.into(), true.into());
        s
    }
}

/// The schema keyword that tells the walker a date-time is a [`Datetime`]
/// (naive or aware as sent); never written into the document.
pub const AS_SENT_KEYWORD: &str = "x-ferroapi-as-sent";

/// The schema keyword that carries a [`Temporal`] rule to the walker; never
/// written into the document (pydantic documents these types as plain
/// `date` and `date-time`).
pub const TEMPORAL_KEYWORD: &str = "x-ferroapi-temporal";

/// What pydantic's constrained date and date-time types ask of a value
/// beyond being one: an offset or none, a moment past or to come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Temporal {
    /// `AwareDatetime`: with an offset.
    Aware,
    /// `NaiveDatetime`: without one.
    Naive,
    /// `PastDate`, `PastDatetime`: before now.
    Past,
    /// `FutureDate`, `FutureDatetime`: after now.
    Future,
}

impl Temporal {
    /// Its name in the schema keyword.
    pub fn name(self) -> &'static str {
        match self {
            Temporal::Aware => "aware",
            Temporal::Naive => "naive",
            Temporal::Past => "past",
            Temporal::Future => "future",
        }
    }

    /// The rule a schema keyword names.
    pub fn from_name(name: &str) -> Option<Self> {
        [
            Temporal::Aware,
            Temporal::Naive,
            Temporal::Past,
            Temporal::Future,
        ]
        .into_iter()
        .find(|t| t.name() == name)
    }

    /// Checks a date-time. Past and future compare a naive value with the
    /// local clock and an aware one with the moment, as pydantic does.
    pub fn check_datetime(self, d: Datetime) -> Result<(), crate::validation::Kind> {
        use crate::validation::kinds;
        use std::cmp::Ordering;
        let versus_now = || match d {
            Datetime::Naive(n) => n.cmp(&chrono::Local::now().naive_local()),
            Datetime::Aware(a) => a.cmp(&chrono::Utc::now().fixed_offset()),
        };
        match (self, &d) {
            (Temporal::Aware, Datetime::Naive(_)) => Err(kinds::timezone_aware()),
            (Temporal::Naive, Datetime::Aware(_)) => Err(kinds::timezone_naive()),
            (Temporal::Past, _) if versus_now() != Ordering::Less => Err(kinds::datetime_past()),
            (Temporal::Future, _) if versus_now() != Ordering::Greater => {
                Err(kinds::datetime_future())
            }
            _ => Ok(()),
        }
    }

    /// Checks a date against today's local date.
    pub fn check_date(self, d: NaiveDate) -> Result<(), crate::validation::Kind> {
        use crate::validation::kinds;
        let today = chrono::Local::now().date_naive();
        match self {
            Temporal::Past if d >= today => Err(kinds::date_past()),
            Temporal::Future if d <= today => Err(kinds::date_future()),
            _ => Ok(()),
        }
    }
}

/// Reads a date as pydantic's lax mode does (text, or a Unix timestamp at
/// midnight UTC).
fn deserialize_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    use crate::validation::lax;
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        Float(f64),
        Text(String),
    }
    let read = match Raw::deserialize(deserializer)? {
        Raw::Int(i) => lax::number_date(lax::Number::Int(i.into())),
        Raw::Float(f) => lax::number_date(lax::Number::Float(f)),
        Raw::Text(s) => lax::parse_date(&s),
    };
    read.map_err(|k| serde::de::Error::custom(k.msg))
}

/// The schema of a constrained date or date-time: pydantic's, plus the rule
/// for the walker.
fn temporal_schema(format: &str, rule: Temporal) -> schemars::Schema {
    let mut s = schemars::json_schema!({"type": "string", "format": format});
    if format == "date-time" {
        s.insert(AS_SENT_KEYWORD.into(), true.into());
    }
    s.insert(TEMPORAL_KEYWORD.into(), rule.name().into());
    s
}

/// A date or date-time type with a [`Temporal`] rule: `$inner` read as
/// pydantic reads it (`$parse` for text, `$read` for JSON), then checked by
/// `$check`; written and documented as `$inner` is.
macro_rules! constrained {
    (
        $(#[$doc:meta])* $name:ident($inner:ty), derive($($derive:ident),*),
        $format:literal, $parse:path, $read:path, $check:ident, $rule:expr
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash $(, $derive)*)]
        pub struct $name(pub $inner);

        impl $name {
            /// Reads text as pydantic does, then checks the type's rule.
            pub fn parse(raw: &str) -> Result<Self, crate::validation::Kind> {
                let d = $parse(raw)?;
                $rule.$check(d)?;
                Ok($name(d))
            }
        }

        impl std::ops::Deref for $name {
            type Target = $inner;
            fn deref(&self) -> &$inner {
                &self.0
            }
        }

        impl PydanticText for $name {
            fn pydantic_text(&self) -> String {
                self.0.pydantic_text()
            }
            fn isoformat(&self) -> String {
                self.0.isoformat()
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0.pydantic_text())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let d = $read(deserializer)?;
                $rule
                    .$check(d)
                    .map_err(|k| serde::de::Error::custom(k.msg))?;
                Ok($name(d))
            }
        }

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn inline_schema() -> bool {
                true
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                temporal_schema($format, $rule)
            }
        }
    };
}

constrained!(
    /// pydantic's `AwareDatetime`: a date-time with an offset (`timezone_aware`
    /// otherwise); a Unix timestamp is UTC.
    AwareDatetime(Datetime), derive(),
    "date-time", Datetime::parse, Datetime::deserialize, check_datetime,
    Temporal::Aware
);
constrained!(
    /// pydantic's `NaiveDatetime`: a date-time without an offset
    /// (`timezone_naive` otherwise, a Unix timestamp included).
    NaiveDatetime(Datetime), derive(),
    "date-time", Datetime::parse, Datetime::deserialize, check_datetime,
    Temporal::Naive
);
constrained!(
    /// pydantic's `PastDatetime`: before now (`datetime_past`); a naive value
    /// is compared with the local clock.
    PastDatetime(Datetime), derive(),
    "date-time", Datetime::parse, Datetime::deserialize, check_datetime,
    Temporal::Past
);
constrained!(
    /// pydantic's `FutureDatetime`: after now (`datetime_future`).
    FutureDatetime(Datetime), derive(),
    "date-time", Datetime::parse, Datetime::deserialize, check_datetime,
    Temporal::Future
);
constrained!(
    /// pydantic's `PastDate`: before today's local date (`date_past`).
    PastDate(NaiveDate), derive(PartialOrd, Ord),
    "date", crate::validation::lax::parse_date, deserialize_date, check_date,
    Temporal::Past
);
constrained!(
    /// pydantic's `FutureDate`: after today's local date (`date_future`).
    FutureDate(NaiveDate), derive(PartialOrd, Ord),
    "date", crate::validation::lax::parse_date, deserialize_date, check_date,
    Temporal::Future
);

/// Python's `timedelta`, as pydantic reads and writes it: out as an ISO 8601
/// duration (`PT1H`, `-P1DT21H`, `P1Y` for 365 days), in as a number of
/// seconds, an ISO 8601 duration or `[D day[s], ]HH:MM:SS[.f]`. Microsecond
/// precision, as Python's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timedelta(pub chrono::TimeDelta);

impl std::ops::Deref for Timedelta {
    type Target = chrono::TimeDelta;
    fn deref(&self) -> &chrono::TimeDelta {
        &self.0
    }
}

impl From<chrono::TimeDelta> for Timedelta {
    fn from(d: chrono::TimeDelta) -> Self {
        Timedelta(d)
    }
}

impl std::fmt::Display for Timedelta {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let micros = self.0.num_microseconds().unwrap_or(i64::MAX);
        let mut out = String::new();
        if micros < 0 {
            out.push('-');
        }
        let total = micros.unsigned_abs();
        let (days, rest) = (total / 86_400_000_000, total % 86_400_000_000);
        let (secs, micro) = (rest / 1_000_000, rest % 1_000_000);
        out.push('P');
        let (years, days) = (days / 365, days % 365);
        if years != 0 {
            let _ = write!(out, "{years}Y");
        }
        if days != 0 {
            let _ = write!(out, "{days}D");
        }
        if secs != 0 || micro != 0 {
            out.push('T');
            let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
            if h != 0 {
                let _ = write!(out, "{h}H");
            }
            if m != 0 {
                let _ = write!(out, "{m}M");
            }
            if s != 0 || micro != 0 {
                if micro == 0 {
                    let _ = write!(out, "{s}S");
                } else {
                    let frac = format!("{micro:06}");
                    let _ = write!(out, "{s}.{}S", frac.trim_end_matches('0'));
                }
            }
        }
        if total == 0 {
            out.push_str("T0S");
        }
        f.write_str(&out)
    }
}

impl Serialize for Timedelta {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timedelta {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Int(i64),
            Float(f64),
            Text(String),
        }
        let micros = match Raw::deserialize(deserializer)? {
            Raw::Int(i) => crate::validation::lax::seconds_to_micros(i as f64),
            Raw::Float(f) => crate::validation::lax::seconds_to_micros(f),
            Raw::Text(s) => crate::validation::lax::parse_duration(&s),
        }
        .map_err(|k| k.msg)
        .map_err(serde::de::Error::custom)?;
        Ok(Timedelta(chrono::TimeDelta::microseconds(micros)))
    }
}

impl schemars::JsonSchema for Timedelta {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timedelta".into()
    }
    fn inline_schema() -> bool {
        true
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "format": "duration"})
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// pydantic's text by way of chrono's `strftime`: what the digit writers
    /// replace.
    fn by_strftime(at: &DateTime<chrono::FixedOffset>) -> String {
        let mut s = at.format("%Y-%m-%dT%H:%M:%S").to_string();
        let micros = (at.nanosecond() % 1_000_000_000) / 1000;
        if micros != 0 {
            let _ = write!(s, ".{micros:06}");
        }
        let offset = at.offset().local_minus_utc();
        if offset == 0 {
            s.push('Z');
        } else {
            let a = offset.unsigned_abs();
            let sign = if offset < 0 { '-' } else { '+' };
            let _ = write!(s, "{sign}{:02}:{:02}", a / 3600, a / 60 % 60);
            if !a.is_multiple_of(60) {
                let _ = write!(s, ":{:02}", a % 60);
            }
        }
        s
    }

    #[test]
    fn date_times_are_written_as_strftime_would() {
        // Seconds from far before year 1 to far after 9999, nanoseconds and
        // offsets of every kind, from a fixed-seed walk.
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for i in 0..20_000u64 {
            let secs = (next() % 800_000_000_000) as i64 - 400_000_000_000;
            let nanos = match i % 4 {
                0 => 0,
                1 => (next() % 1_000) as u32 * 1_000,
                _ => (next() % 1_000_000_000) as u32,
            };
            let offset = match i % 3 {
                0 => 0,
                _ => (next() % 172_798) as i32 - 86_399,
            };
            let Some(utc) = DateTime::from_timestamp(secs, nanos) else {
                continue;
            };
            let Some(tz) = chrono::FixedOffset::east_opt(offset) else {
                continue;
            };
            let at = utc.with_timezone(&tz);
            assert_eq!(
                at.pydantic_text(),
                by_strftime(&at),
                "{secs} {nanos} {offset}"
            );
            let naive = at.naive_local();
            let want = by_strftime(&naive.and_utc().fixed_offset());
            assert_eq!(format!("{}Z", naive.pydantic_text()), want);
            assert_eq!(
                naive.date().pydantic_text(),
                naive.date().format("%Y-%m-%d").to_string()
            );
        }
    }

    fn td(micros: i64) -> String {
        Timedelta(chrono::TimeDelta::microseconds(micros)).to_string()
    }

    #[test]
    fn durations_read_as_pydantic_writes_them() {
        let h = 3_600_000_000;
        assert_eq!(td(0), "PT0S");
        assert_eq!(td(h), "PT1H");
        assert_eq!(td(1_500_000), "PT1.5S");
        assert_eq!(td(2 * 24 * h + 1), "P2DT0.000001S");
        assert_eq!(td(-45 * h), "-P1DT21H");
        assert_eq!(td(-5_000_000), "-PT5S");
        assert_eq!(td(21 * 24 * h), "P21D");
        assert_eq!(td(365 * 24 * h), "P1Y");
    }

    #[test]
    fn date_times_have_six_fraction_digits_and_z() {
        let at = chrono::Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(at.pydantic_text(), "2024-01-02T03:04:05Z");
        let at = at + chrono::TimeDelta::nanoseconds(123_456_789);
        assert_eq!(at.pydantic_text(), "2024-01-02T03:04:05.123456Z");
        let east = chrono::FixedOffset::west_opt(5 * 3600 + 1800).unwrap();
        let t = east.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap()
            + chrono::TimeDelta::microseconds(120);
        assert_eq!(t.pydantic_text(), "2024-01-02T03:04:05.000120-05:30");
        assert_eq!(
            t.naive_local().pydantic_text(),
            "2024-01-02T03:04:05.000120"
        );
    }
}
