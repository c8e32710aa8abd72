//! Dates, times and durations read as pydantic reads them, with pydantic's own parser
//! ([speedate](https://docs.rs/speedate)) and its error types and messages.
//!
//! | Rust type | accepts | errors |
//! |---|---|---|
//! | `chrono::DateTime<Utc>`, `DateTime<FixedOffset>` | RFC 3339 and ISO 8601 (`2024-05-01T10:00:00+02:00`, `2024-05-01 10:00`, `2024-05-01`), Unix seconds or milliseconds as a number or a numeric string | `datetime_from_date_parsing`, `datetime_type` |
//! | `chrono::NaiveDateTime` | the same | the same |
//! | `chrono::NaiveDate` | `2024-05-01`, a datetime at midnight, a Unix time at midnight | `date_from_datetime_parsing`, `date_from_datetime_inexact`, `date_type` |
//! | `chrono::NaiveTime` | `10:30`, `10:30:15.5`, seconds since midnight | `time_parsing`, `time_type` |
//! | [`Duration`] | ISO 8601 (`P1DT2H`, `PT30M`), `1 day`, `01:02:03`, seconds as a number | `time_delta_parsing`, `time_delta_type` |
//!
//! A value without a time zone given to an aware type (`DateTime<Utc>`) is taken as UTC, and
//! an aware value given to a naive type (`NaiveDateTime`) is converted to UTC: Rust types
//! hold one or the other, where Python's `datetime` holds either.

use chrono::{FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use serde_json::{json, Value};

use crate::error::Problem;

/// pydantic's `*_parsing` problem: `{kind}` with "`{what}`, {speedate's message}".
fn parsing(kind: &'static str, what: &str, err: &speedate::ParseError) -> Problem {
    let doc = strum_doc(err);
    Problem::new(kind, format!("{what}, {doc}")).with_ctx(json!({ "error": doc }))
}

/// speedate's message for an error (its variants' doc comments).
fn strum_doc(err: &speedate::ParseError) -> String {
    use speedate::ParseError::*;
    match err {
        TooShort => "input is too short",
        ExtraCharacters => "unexpected extra characters at the end of the input",
        InvalidCharDateTimeSep => "invalid datetime separator, expected `T`, `t`, `_` or space",
        InvalidCharDateSep => "invalid date separator, expected `-`",
        DateNotExact => "Timestamp is not an exact date",
        InvalidCharYear => "invalid character in year",
        InvalidCharMonth => "invalid character in month",
        InvalidCharDay => "invalid character in day",
        InvalidCharTimeSep => "invalid time separator, expected `:`",
        InvalidCharHour => "invalid character in hour",
        InvalidCharMinute => "invalid character in minute",
        InvalidCharSecond => "invalid character in second",
        InvalidCharSecondFraction => "invalid character in second fraction",
        InvalidCharTzSign => "invalid timezone sign",
        InvalidCharTzHour => "invalid timezone hour",
        InvalidCharTzMinute => "invalid timezone minute",
        OutOfRangeTzMinute => "timezone minute value is outside expected range of 0-59",
        OutOfRangeTz => "timezone offset must be less than 24 hours",
        TzRequired => "timezone is required to adjust to a new timezone",
        SystemTimeError => "Error getting system time",
        OutOfRangeMonth => "month value is outside expected range of 1-12",
        OutOfRangeDay => "day value is outside expected range",
        OutOfRangeHour => "hour value is outside expected range of 0-23",
        OutOfRangeMinute => "minute value is outside expected range of 0-59",
        OutOfRangeSecond => "second value is outside expected range of 0-59",
        SecondFractionTooLong => "second fraction value is more than 6 digits long",
        SecondFractionMissing => "second fraction digits missing after `.`",
        MillisecondFractionTooLong => "millisecond fraction value is more than 3 digits long",
        DurationInvalidNumber => "invalid digit in duration",
        DurationTRepeated => "`t` character repeated in duration",
        DurationInvalidFraction => "quantity fraction invalid in duration",
        DurationInvalidTimeUnit => "quantity invalid in time part of duration",
        DurationInvalidDateUnit => "quantity invalid in date part of duration",
        DurationInvalidDays => "\"day\" identifier in duration not correctly formatted",
        DurationValueTooLarge => "a numeric value in the duration is too large",
        DurationHourValueTooLarge => "durations may not exceed 999,999,999 hours",
        DurationDaysTooLarge => "durations may not exceed 999,999,999 days",
        DateTooSmall => "dates before 0000 are not supported as unix timestamps",
        DateTooLarge => "dates after 9999 are not supported as unix timestamps",
        TimeTooLarge => "numeric times may not exceed 86,399 seconds",
    }
    .to_string()
}

/// pydantic's reading of fractions of a second: digits past microseconds are dropped
/// (`.697435832` is `.697435`), so a timestamp written with nanoseconds (chrono's
/// `to_rfc3339`) is read.
fn time_config() -> speedate::TimeConfig {
    speedate::TimeConfig {
        microseconds_precision_overflow_behavior:
            speedate::MicrosecondsPrecisionOverflowBehavior::Truncate,
        unix_timestamp_offset: None,
    }
}

fn datetime_config() -> speedate::DateTimeConfig {
    speedate::DateTimeConfig {
        time_config: time_config(),
        ..Default::default()
    }
}

/// A datetime as pydantic reads it from JSON: a string, or a Unix time (UTC).
fn speedate_datetime(v: &Value) -> Result<speedate::DateTime, Problem> {
    const WHAT: &str = "Input should be a valid datetime or date";
    match v {
        Value::String(s) => {
            let s = s.trim();
            speedate::DateTime::parse_str_with_config(s, &datetime_config()).or_else(|_| {
                // A date alone is midnight (pydantic's "datetime or date"); when neither
                // reads, pydantic reports why it is not a date.
                match speedate::Date::parse_str(s) {
                    Ok(date) => Ok(speedate::DateTime {
                        date,
                        time: speedate::Time {
                            hour: 0,
                            minute: 0,
                            second: 0,
                            microsecond: 0,
                            tz_offset: None,
                        },
                    }),
                    Err(e) => Err(parsing("datetime_from_date_parsing", WHAT, &e)),
                }
            })
        }
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            let dt = speedate::DateTime::from_float_with_config(f, &Default::default())
                .map_err(|e| parsing("datetime_parsing", "Input should be a valid datetime", &e))?;
            // A Unix time is in UTC.
            Ok(speedate::DateTime {
                time: speedate::Time {
                    tz_offset: Some(0),
                    ..dt.time
                },
                ..dt
            })
        }
        _ => Err(Problem::new(
            "datetime_type",
            "Input should be a valid datetime",
        )),
    }
}

fn chrono_naive(dt: &speedate::DateTime) -> Option<NaiveDateTime> {
    let date = NaiveDate::from_ymd_opt(
        dt.date.year.into(),
        dt.date.month.into(),
        dt.date.day.into(),
    )?;
    let time = NaiveTime::from_hms_micro_opt(
        dt.time.hour.into(),
        dt.time.minute.into(),
        dt.time.second.into(),
        dt.time.microsecond,
    )?;
    Some(date.and_time(time))
}

fn out_of_range() -> Problem {
    Problem::new(
        "datetime_parsing",
        "Input should be a valid datetime, value is out of range",
    )
}

/// The instant as an aware datetime (a naive one taken as UTC).
pub(crate) fn aware_datetime(v: &Value) -> Result<chrono::DateTime<FixedOffset>, Problem> {
    let dt = speedate_datetime(v)?;
    let naive = chrono_naive(&dt).ok_or_else(out_of_range)?;
    let offset = FixedOffset::east_opt(dt.time.tz_offset.unwrap_or(0)).ok_or_else(out_of_range)?;
    offset
        .from_local_datetime(&naive)
        .single()
        .ok_or_else(out_of_range)
}

/// The wall time as a naive datetime (an aware one converted to UTC).
pub(crate) fn naive_datetime(v: &Value) -> Result<NaiveDateTime, Problem> {
    let dt = speedate_datetime(v)?;
    let naive = chrono_naive(&dt).ok_or_else(out_of_range)?;
    Ok(match dt.time.tz_offset {
        Some(off) => naive - chrono::TimeDelta::seconds(off.into()),
        None => naive,
    })
}

/// A date as pydantic reads it: a date, or a datetime (or Unix time) at exactly midnight.
pub(crate) fn date(v: &Value) -> Result<NaiveDate, Problem> {
    const WHAT: &str = "Input should be a valid date or datetime";
    let inexact = || {
        Problem::new(
            "date_from_datetime_inexact",
            "Datetimes provided to dates should have zero time - e.g. be exact dates",
        )
    };
    let from = |d: speedate::Date| {
        NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into()).ok_or_else(|| {
            Problem::new(
                "date_parsing",
                "Input should be a valid date, value is out of range",
            )
        })
    };
    let exact = |dt: speedate::DateTime| {
        let t = &dt.time;
        if t.hour == 0 && t.minute == 0 && t.second == 0 && t.microsecond == 0 {
            from(dt.date)
        } else {
            Err(inexact())
        }
    };
    match v {
        Value::String(s) => {
            let s = s.trim();
            match speedate::Date::parse_str(s) {
                Ok(d) => from(d),
                Err(date_err) => {
                    match speedate::DateTime::parse_str_with_config(s, &datetime_config()) {
                        Ok(dt) => exact(dt),
                        Err(_) => Err(parsing("date_from_datetime_parsing", WHAT, &date_err)),
                    }
                }
            }
        }
        Value::Number(_) => exact(speedate_datetime(v)?),
        _ => Err(Problem::new("date_type", "Input should be a valid date")),
    }
}

/// A time as pydantic reads it: `HH:MM[:SS[.ffffff]]`, or seconds since midnight. An offset
/// is taken off (the time in UTC), as for naive datetimes.
pub(crate) fn time(v: &Value) -> Result<NaiveTime, Problem> {
    const WHAT: &str = "Input should be in a valid time format";
    let t = match v {
        Value::String(s) => {
            speedate::Time::parse_bytes_with_config(s.trim().as_bytes(), &time_config())
                .map_err(|e| parsing("time_parsing", WHAT, &e))?
        }
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(-1.0);
            if !(0.0..86_400.0).contains(&f) {
                return Err(parsing(
                    "time_parsing",
                    WHAT,
                    &speedate::ParseError::TimeTooLarge,
                ));
            }
            speedate::Time::from_timestamp(
                f.trunc() as u32,
                ((f.fract() * 1e6).round() as u32).min(999_999),
            )
            .map_err(|e| parsing("time_parsing", WHAT, &e))?
        }
        _ => return Err(Problem::new("time_type", "Input should be a valid time")),
    };
    let naive = NaiveTime::from_hms_micro_opt(
        t.hour.into(),
        t.minute.into(),
        t.second.into(),
        t.microsecond,
    )
    .ok_or_else(|| {
        Problem::new(
            "time_parsing",
            "Input should be in a valid time format, value is out of range",
        )
    })?;
    Ok(match t.tz_offset {
        Some(off) => naive - chrono::TimeDelta::seconds(off.into()),
        None => naive,
    })
}

/// A span of time, as Python's `timedelta`: read from ISO 8601 (`P1DT2H`, `PT30M`,
/// `-PT30S`), `1 day`, `01:02:03`, or seconds as a JSON number; written as ISO 8601 as
/// pydantic writes it (`PT1M30S`); documented as `{"type": "string", "format": "duration"}`.
///
/// ```
/// use ferrapi::Duration;
///
/// let d: Duration = serde_json::from_str("\"P1DT2H\"").unwrap();
/// assert_eq!(d.0.num_seconds(), 93_600);
/// assert_eq!(serde_json::to_string(&Duration(chrono::TimeDelta::seconds(90))).unwrap(), "\"PT1M30S\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(pub chrono::TimeDelta);

impl Duration {
    /// Reads a duration as pydantic does.
    pub fn from_json(v: &Value) -> Result<Self, Problem> {
        const WHAT: &str = "Input should be a valid timedelta";
        match v {
            Value::String(s) => {
                let d = speedate::Duration::parse_str(s.trim())
                    .map_err(|e| parsing("time_delta_parsing", WHAT, &e))?;
                let micros = (i64::from(d.day) * 86_400 + i64::from(d.second)) * 1_000_000
                    + i64::from(d.microsecond);
                let micros = if d.positive { micros } else { -micros };
                Ok(Duration(chrono::TimeDelta::microseconds(micros)))
            }
            Value::Number(n) => {
                let f = n.as_f64().unwrap_or(f64::NAN);
                if !f.is_finite() || f.abs() > 86_400.0 * 999_999_999.0 {
                    return Err(parsing(
                        "time_delta_parsing",
                        WHAT,
                        &speedate::ParseError::DurationValueTooLarge,
                    ));
                }
                Ok(Duration(chrono::TimeDelta::microseconds(
                    (f * 1e6).round() as i64
                )))
            }
            _ => Err(Problem::new(
                "time_delta_type",
                "Input should be a valid timedelta",
            )),
        }
    }

    /// ISO 8601, as pydantic writes a `timedelta`.
    pub fn to_iso(&self) -> String {
        let micros = self.0.num_microseconds().unwrap_or(i64::MAX);
        let positive = micros >= 0;
        let abs = micros.unsigned_abs();
        let (secs, micro) = (abs / 1_000_000, (abs % 1_000_000) as u32);
        let (day, second) = ((secs / 86_400) as u32, (secs % 86_400) as u32);
        match speedate::Duration::new(positive, day, second, micro) {
            Ok(d) => d.to_string(),
            Err(_) => format!("PT{}S", self.0.num_seconds()),
        }
    }
}

impl serde::Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_iso())
    }
}

impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = Value::deserialize(d)?;
        Duration::from_json(&v).map_err(|p| serde::de::Error::custom(p.msg))
    }
}

impl std::ops::Deref for Duration {
    type Target = chrono::TimeDelta;
    fn deref(&self) -> &chrono::TimeDelta {
        &self.0
    }
}

/// The canonical text of each type, which its serde implementation reads.
pub(crate) trait Canonical: Sized {
    /// Reads a value as pydantic would.
    fn read(v: &Value) -> Result<Self, Problem>;
    /// The text serde reads back.
    fn canonical(&self) -> String;
}

impl Canonical for chrono::DateTime<chrono::Utc> {
    fn read(v: &Value) -> Result<Self, Problem> {
        aware_datetime(v).map(|d| d.with_timezone(&chrono::Utc))
    }
    fn canonical(&self) -> String {
        self.to_rfc3339()
    }
}

impl Canonical for chrono::DateTime<FixedOffset> {
    fn read(v: &Value) -> Result<Self, Problem> {
        aware_datetime(v)
    }
    fn canonical(&self) -> String {
        self.to_rfc3339()
    }
}

impl Canonical for NaiveDateTime {
    fn read(v: &Value) -> Result<Self, Problem> {
        naive_datetime(v)
    }
    fn canonical(&self) -> String {
        self.format("%Y-%m-%dT%H:%M:%S%.f").to_string()
    }
}

impl Canonical for NaiveDate {
    fn read(v: &Value) -> Result<Self, Problem> {
        date(v)
    }
    fn canonical(&self) -> String {
        self.format("%Y-%m-%d").to_string()
    }
}

impl Canonical for NaiveTime {
    fn read(v: &Value) -> Result<Self, Problem> {
        time(v)
    }
    fn canonical(&self) -> String {
        self.format("%H:%M:%S%.f").to_string()
    }
}

impl Canonical for Duration {
    fn read(v: &Value) -> Result<Self, Problem> {
        Duration::from_json(v)
    }
    fn canonical(&self) -> String {
        self.to_iso()
    }
}
