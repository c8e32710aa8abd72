//! Writing a [`Report`]: for people (`text`), for a CI comment (`markdown`), for tools
//! (`json`).

use std::fmt::Write;

use super::{Change, Report};

/// The output format of `app openapi diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// One line per change, then the summary.
    #[default]
    Text,
    /// A table for a pull-request comment, under the summary.
    Markdown,
    /// An array of `{rule, breaking, allowed, operation, location, message}`.
    Json,
}

impl std::str::FromStr for Format {
    type Err = String;
    /// `text`, `markdown` or `json`, as `--format` takes them.
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "text" => Ok(Format::Text),
            "markdown" => Ok(Format::Markdown),
            "json" => Ok(Format::Json),
            other => Err(format!(
                "unknown report format `{other}`: choose text, markdown or json"
            )),
        }
    }
}

/// The report written in `format` (ending with a newline).
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => text(report),
        Format::Markdown => markdown(report),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&report.changes).expect("changes serialize");
            s.push('\n');
            s
        }
    }
}

fn label(change: &Change) -> &'static str {
    match (change.breaking, change.allowed) {
        (true, false) => "BREAKING",
        (true, true) => "allowed",
        (false, _) => "compatible",
    }
}

fn place(change: &Change) -> String {
    match &change.operation {
        Some(op) => format!("{op} {}", change.location),
        None => change.location.clone(),
    }
}

/// `BREAKING   POST /items/ request body: property "name": added, required [request-property-added-required]`
fn text(report: &Report) -> String {
    let mut s = String::new();
    for c in &report.changes {
        let _ = writeln!(
            s,
            "{:<10} {}: {} [{}]",
            label(c),
            place(c),
            c.message,
            c.rule
        );
    }
    let _ = writeln!(s, "{}", report.summary());
    s
}

fn markdown(report: &Report) -> String {
    let mut s = format!("**OpenAPI changes: {}**\n", report.summary());
    if report.changes.is_empty() {
        return s;
    }
    s.push_str("\n| | operation | where | change | rule |\n|---|---|---|---|---|\n");
    for c in &report.changes {
        let kind = match label(c) {
            "BREAKING" => "**breaking**",
            other => other,
        };
        let op = c
            .operation
            .as_deref()
            .map_or(String::new(), |op| format!("`{}`", cell(op)));
        let _ = writeln!(
            s,
            "| {kind} | {op} | {} | {} | `{}` |",
            cell(&c.location),
            cell(&c.message),
            c.rule
        );
    }
    s
}

/// A table cell: pipes escaped, on one line.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}
