//! The log subscriber every app's command line installs ([`init`]): `tracing` events, one
//! line each on standard output, filtered by `RUST_LOG`, as text or (`LOG_FORMAT=json`)
//! one JSON object per line.
//!
//! A fixed format needs none of tracing-subscriber's machinery (composable layers, a
//! registry of open spans), which cost every clean build some 1.8 s of CPU
//! (`docs/benchmarks.md`). What it leaves out: span context (a span's fields are not
//! written next to the events inside it) and span or field filters in `RUST_LOG`. An app
//! that wants those installs tracing-subscriber's before `run`; this one is then left out.
//!
//! Text lines are tracing-subscriber's default format:
//! `2026-12-01T07:01:08.123456Z  INFO ferrapi::app::serve: serving on http://127.0.0.1:8000`,
//! the level coloured when standard output is a terminal and `NO_COLOR` is unset. JSON lines
//! are its `json()` format: `{"timestamp":…,"level":"INFO","fields":{"message":…},"target":…}`.

use std::fmt::{self, Write as _};
use std::io::{IsTerminal, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use tracing::field::{Field, Visit};
use tracing::level_filters::LevelFilter;
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

/// Installs the subscriber, reading `RUST_LOG` (default `info`) and `LOG_FORMAT`; an app
/// that installed its own subscriber first keeps it. A `RUST_LOG` it cannot read is said
/// on standard error, and `info` applies.
pub fn init() {
    let filter = match std::env::var("RUST_LOG") {
        Ok(directives) if !directives.trim().is_empty() => {
            directives.parse::<Targets>().unwrap_or_else(|e| {
                eprintln!(
                    "warning: RUST_LOG={directives:?} is not understood ({e}); logging at info"
                );
                Targets::default()
            })
        }
        _ => Targets::default(),
    };
    let json = std::env::var("LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let color = !json && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let format = match (json, color) {
        (true, _) => Format::Json,
        (false, true) => Format::Color,
        (false, false) => Format::Text,
    };
    let _ = tracing::subscriber::set_global_default(Logger::new(filter, format));
}

/// `RUST_LOG`'s `target=level` directives and default level (`warn,ferrapi=debug`): an
/// event passes when its level is at most that of the longest directive whose target
/// starts its target (the default level when none does).
#[derive(Debug, Clone, PartialEq)]
pub struct Targets {
    default: LevelFilter,
    /// Longest target first.
    directives: Vec<(String, LevelFilter)>,
}

impl Default for Targets {
    /// Everything at `info` and above.
    fn default() -> Self {
        Targets {
            default: LevelFilter::INFO,
            directives: Vec::new(),
        }
    }
}

impl Targets {
    /// Whether an event of `level` from `target` is written.
    pub fn enabled(&self, target: &str, level: &Level) -> bool {
        let filter = self
            .directives
            .iter()
            .find(|(prefix, _)| target.starts_with(prefix.as_str()))
            .map_or(self.default, |(_, filter)| *filter);
        filter >= *level
    }

    /// The most verbose level any directive lets through.
    fn max_level(&self) -> LevelFilter {
        self.directives
            .iter()
            .map(|(_, f)| *f)
            .fold(self.default, LevelFilter::max)
    }
}

impl std::str::FromStr for Targets {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let level = |text: &str| {
            text.trim().parse::<LevelFilter>().map_err(|_| {
                format!(
                    "`{}` is not a level: trace, debug, info, warn, error or off",
                    text.trim()
                )
            })
        };
        // No directive is `info`, as with tracing-subscriber's `Targets`… but a bare level
        // sets the default.
        let mut targets = Targets::default();
        for directive in s.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            match directive.split_once('=') {
                Some((target, lvl)) if !target.trim().is_empty() => {
                    let target = target.trim();
                    if target.contains(['[', '{', ' ']) {
                        return Err(format!(
                            "`{directive}`: span and field filters are not read (install \
                             tracing-subscriber's EnvFilter for them)"
                        ));
                    }
                    targets.directives.push((target.to_string(), level(lvl)?));
                }
                Some(_) => return Err(format!("`{directive}` has no target before `=`")),
                None => match level(directive) {
                    Ok(filter) => targets.default = filter,
                    // A bare target: everything from it.
                    Err(_) if is_target(directive) => {
                        targets
                            .directives
                            .push((directive.to_string(), LevelFilter::TRACE));
                    }
                    Err(e) => return Err(e),
                },
            }
        }
        targets
            .directives
            .sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
        Ok(targets)
    }
}

/// A Rust path as targets are written (`shop`, `ferrapi::server`).
fn is_target(s: &str) -> bool {
    s.split("::")
        .all(|seg| !seg.is_empty() && seg.chars().all(|c| c.is_alphanumeric() || c == '_'))
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Text,
    Color,
    Json,
}

/// The subscriber: filters, formats and writes events; spans get ids and nothing else.
struct Logger {
    filter: Targets,
    max_level: LevelFilter,
    format: Format,
    next_span: AtomicU64,
}

impl Logger {
    fn new(filter: Targets, format: Format) -> Self {
        Logger {
            max_level: filter.max_level(),
            filter,
            format,
            next_span: AtomicU64::new(1),
        }
    }
}

impl Subscriber for Logger {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        // Spans are not written, so none is enabled; events and `enabled!` hints are
        // filtered.
        !metadata.is_span() && self.filter.enabled(metadata.target(), metadata.level())
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(self.max_level)
    }

    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(self.next_span.fetch_add(1, Ordering::Relaxed))
    }

    fn record(&self, _: &Id, _: &Record<'_>) {}

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let line = line(event, self.format, SystemTime::now());
        // One write per line, so that lines from several threads do not interleave.
        let _ = std::io::stdout().lock().write_all(line.as_bytes());
    }

    fn enter(&self, _: &Id) {}

    fn exit(&self, _: &Id) {}
}

/// The line (with its newline) an event is written as.
fn line(event: &Event<'_>, format: Format, now: SystemTime) -> String {
    let meta = event.metadata();
    let timestamp = rfc3339(now);
    let level = meta.level();
    match format {
        Format::Json => {
            let mut fields = JsonFields::default();
            event.record(&mut fields);
            let mut out = crate::reply::json_text(&serde_json::json!({
                "timestamp": timestamp,
                "level": level.as_str(),
                "fields": fields.0,
                "target": meta.target(),
            }));
            out.push('\n');
            out
        }
        Format::Text | Format::Color => {
            let mut fields = TextFields::default();
            event.record(&mut fields);
            let shown = match (format, *level) {
                (Format::Color, Level::ERROR) => format!("\x1b[31m{:>5}\x1b[0m", "ERROR"),
                (Format::Color, Level::WARN) => format!("\x1b[33m{:>5}\x1b[0m", "WARN"),
                (Format::Color, Level::INFO) => format!("\x1b[32m{:>5}\x1b[0m", "INFO"),
                (Format::Color, Level::DEBUG) => format!("\x1b[34m{:>5}\x1b[0m", "DEBUG"),
                (Format::Color, _) => format!("\x1b[35m{:>5}\x1b[0m", "TRACE"),
                _ => format!("{:>5}", level.as_str()),
            };
            let mut out = format!("{timestamp} {shown} {}: {}", meta.target(), fields.message);
            if !fields.rest.is_empty() {
                if !fields.message.is_empty() {
                    out.push(' ');
                }
                out.push_str(&fields.rest);
            }
            out.push('\n');
            out
        }
    }
}

/// Fields as text: the message, then `name=value` for the others.
#[derive(Default)]
struct TextFields {
    message: String,
    rest: String,
}

impl Visit for TextFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.message.push_str(value);
        } else {
            self.record_debug(field, &value);
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
            return;
        }
        if !self.rest.is_empty() {
            self.rest.push(' ');
        }
        let _ = write!(self.rest, "{}={value:?}", field.name());
    }
}

/// Fields as a JSON object: numbers and booleans as such, the rest as strings.
#[derive(Default)]
struct JsonFields(serde_json::Map<String, serde_json::Value>);

impl Visit for JsonFields {
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.insert(field.name().into(), value.into());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .insert(field.name().into(), format!("{value:?}").into());
    }
}

/// `2026-12-01T07:01:08.123456Z` (UTC, microseconds).
fn rfc3339(t: SystemTime) -> String {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = since.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60,
        since.subsec_micros()
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's
/// `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Runs `f` under a logger of `format` filtered by `rust_log` (the clock stopped at
/// 2026-11-29T08:41:08Z), returning the lines it wrote.
#[cfg(test)]
fn lines_of(format: Format, rust_log: &str, f: impl FnOnce()) -> Vec<String> {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;
    #[derive(Clone, Default)]
    struct Capture(Arc<Mutex<Vec<String>>>);
    struct Capturing(Logger, Capture);
    impl Subscriber for Capturing {
        fn enabled(&self, m: &Metadata<'_>) -> bool {
            self.0.enabled(m)
        }
        fn max_level_hint(&self) -> Option<LevelFilter> {
            self.0.max_level_hint()
        }
        fn new_span(&self, a: &Attributes<'_>) -> Id {
            self.0.new_span(a)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, e: &Event<'_>) {
            let at = UNIX_EPOCH + Duration::from_secs(1_795_941_668);
            (self.1).0.lock().unwrap().push(line(e, self.0.format, at));
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }
    let capture = Capture::default();
    let logger = Logger::new(rust_log.parse().unwrap(), format);
    tracing::subscriber::with_default(Capturing(logger, capture.clone()), f);
    let lines = capture.0.lock().unwrap().clone();
    lines
}

/// [`lines_of`] in the text format, for other modules' tests.
#[cfg(test)]
pub(crate) fn text_lines_of(rust_log: &str, f: impl FnOnce()) -> Vec<String> {
    lines_of(Format::Text, rust_log, f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn timestamps_are_utc_rfc3339_with_microseconds() {
        let at = |secs: u64, micros: u32| {
            rfc3339(UNIX_EPOCH + Duration::from_secs(secs) + Duration::from_micros(micros.into()))
        };
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(at(951_782_400, 5), "2000-02-29T00:00:00.000005Z");
        assert_eq!(at(1_795_941_668, 123_456), "2026-11-29T08:41:08.123456Z");
        assert_eq!(at(4_107_542_399, 999_999), "2100-02-28T23:59:59.999999Z");
        assert_eq!(
            rfc3339(UNIX_EPOCH - Duration::from_secs(1)),
            "1970-01-01T00:00:00.000000Z"
        );
    }

    #[test]
    fn the_longest_matching_target_decides() {
        let t: Targets = "warn,ferrapi=debug,ferrapi::server=error".parse().unwrap();
        assert!(t.enabled("ferrapi::app", &Level::DEBUG));
        assert!(!t.enabled("ferrapi::app", &Level::TRACE));
        assert!(!t.enabled("ferrapi::server", &Level::WARN));
        assert!(t.enabled("ferrapi::server::conn", &Level::ERROR));
        assert!(t.enabled("hyper", &Level::WARN));
        assert!(!t.enabled("hyper", &Level::INFO));
        assert_eq!(t.max_level(), LevelFilter::DEBUG);
        // A bare target is everything from it; an empty one is the default.
        let t: Targets = "shop".parse().unwrap();
        assert!(t.enabled("shop::orders", &Level::TRACE));
        assert!(t.enabled("axum", &Level::INFO) && !t.enabled("axum", &Level::DEBUG));
        assert_eq!("".parse::<Targets>().unwrap(), Targets::default());
        let t: Targets = "OFF".parse().unwrap();
        assert!(!t.enabled("ferrapi", &Level::ERROR));
    }

    #[test]
    fn directives_it_cannot_read_are_errors_that_say_why() {
        for (bad, says) in [
            ("ferrapi=loud", "`loud` is not a level"),
            ("=info", "has no target"),
            ("ferrapi[request]=debug", "span and field filters"),
            ("not a target", "is not a level"),
        ] {
            let err = bad.parse::<Targets>().unwrap_err();
            assert!(err.contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn text_lines_are_timestamp_level_target_message_fields() {
        let lines = lines_of(Format::Text, "info,noisy=error", || {
            tracing::info!(target: "ferrapi::app", "serving on http://{}", "127.0.0.1:8000");
            tracing::warn!(target: "ferrapi::server", cap = 3, peer = %"1.2.3.4", "cap reached");
            tracing::debug!(target: "ferrapi::app", "not written");
            tracing::warn!(target: "noisy::x", "filtered out");
            let span = tracing::info_span!("request", uri = "/items/");
            let _in = span.enter();
            tracing::error!(target: "shop", reason = "a \"quoted\" thing");
        });
        assert_eq!(
            lines,
            [
                "2026-11-29T08:41:08.000000Z  INFO ferrapi::app: serving on http://127.0.0.1:8000\n",
                "2026-11-29T08:41:08.000000Z  WARN ferrapi::server: cap reached cap=3 peer=1.2.3.4\n",
                "2026-11-29T08:41:08.000000Z ERROR shop: reason=\"a \\\"quoted\\\" thing\"\n",
            ]
        );
    }

    #[test]
    fn enabled_hints_follow_the_filter_and_spans_are_off() {
        let lines = lines_of(Format::Text, "info,noisy=error", || {
            assert!(tracing::enabled!(target: "ferrapi::access", Level::INFO));
            assert!(!tracing::enabled!(target: "ferrapi::access", Level::DEBUG));
            assert!(!tracing::enabled!(target: "noisy::x", Level::WARN));
            assert!(tracing::info_span!("request").is_disabled());
        });
        assert!(lines.is_empty(), "{lines:?}");
    }

    #[test]
    fn colored_levels_only_change_the_level() {
        let lines = lines_of(
            Format::Color,
            "info,noisy=error",
            || tracing::warn!(target: "t", "careful"),
        );
        assert_eq!(
            lines,
            ["2026-11-29T08:41:08.000000Z \x1b[33m WARN\x1b[0m t: careful\n"]
        );
    }

    #[test]
    fn json_lines_are_one_object_each_with_typed_fields() {
        let lines = lines_of(Format::Json, "info,noisy=error", || {
            tracing::info!(target: "ferrapi::app", n = 3, ok = true, ratio = 0.5, who = %"me", "hello \"you\"\nbye");
        });
        assert_eq!(lines.len(), 1);
        assert!(lines[0].ends_with('\n') && !lines[0].trim_end().contains('\n'));
        let v: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
        assert_eq!(
            v,
            serde_json::json!({
                "timestamp": "2026-11-29T08:41:08.000000Z",
                "level": "INFO",
                "fields": {"message": "hello \"you\"\nbye", "n": 3, "ok": true, "ratio": 0.5, "who": "me"},
                "target": "ferrapi::app",
            })
        );
    }
}
