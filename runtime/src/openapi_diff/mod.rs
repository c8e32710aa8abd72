//! Breaking changes between two OpenAPI 3 documents (`app openapi diff OLD.json [NEW.json]`).
//!
//! [`diff`] lists every change from the old document to the new one, each named by a
//! [rule](rules::RULES) and classified as breaking (existing clients may fail) or
//! compatible. Direction matters: tightening a request breaks the clients that send it,
//! widening a response breaks the clients that read it. The guide's
//! [page](crate::guide::openapi_diff) has the rule table.
//!
//! ```
//! use serde_json::json;
//!
//! let old = json!({"openapi": "3.1.0", "paths": {"/items/": {"get": {"responses": {"200": {}}}}}});
//! let new = json!({"openapi": "3.1.0", "paths": {}});
//! let report = ferrapi::openapi_diff::diff(&old, &new).unwrap();
//! assert_eq!(report.changes[0].rule, "operation-removed");
//! assert!(report.changes[0].breaking);
//! ```
//!
//! Operations are matched by method and path with the parameter names of the template left
//! out; parameters by `in` and name (headers without case, path parameters by position);
//! media types and response headers without case. Schemas are compared through their
//! `$ref`s (local ones: `#/...`), `allOf`s, `oneOf`/`anyOf` members, both dialects of
//! nullability, `required`, `items` and `additionalProperties`.
//!
//! Hostile documents give an error, never a hang or a stack overflow: schema nesting is
//! bounded by [`MAX_DEPTH`], the work by [`MAX_STEPS`], the report by [`MAX_CHANGES`]; a
//! recursive schema is compared once per pair of nodes; a `$ref` to nothing is an error.

pub mod format;
mod found;
mod keywords;
mod operations;
mod refs;
pub mod rules;
mod schema;
mod security;
mod view;

use std::fmt;
use std::str::FromStr;

use serde_json::Value;

pub use format::Format;

/// The deepest nesting of schemas compared (properties in properties, items, members).
pub const MAX_DEPTH: usize = 100;
/// The most pairs of schemas compared in one diff.
pub const MAX_STEPS: usize = 2_000_000;
/// The most changes reported in one diff.
pub const MAX_CHANGES: usize = 100_000;

/// Which of the two documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The old document (the released one).
    Old,
    /// The new document.
    New,
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Side::Old => "the old document",
            Side::New => "the new document",
        })
    }
}

/// Why two documents could not be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffError {
    /// The value is not an OpenAPI 3 document.
    NotOpenApi {
        /// Which document.
        side: Side,
        /// What is wrong with it.
        reason: String,
    },
    /// A `$ref` points to nothing.
    MissingRef {
        /// Which document.
        side: Side,
        /// The reference.
        reference: String,
    },
    /// A `$ref` to another file (only `#/...` references are followed).
    ExternalRef {
        /// Which document.
        side: Side,
        /// The reference.
        reference: String,
    },
    /// A chain of `$ref`s to `$ref`s that never reaches a value.
    RefCycle {
        /// Which document.
        side: Side,
        /// The first reference of the chain.
        reference: String,
    },
    /// Schemas nest deeper than the limit.
    TooDeep {
        /// Which document, when known.
        side: Option<Side>,
        /// The limit.
        limit: usize,
    },
    /// More schema comparisons than [`MAX_STEPS`].
    TooLarge {
        /// The limit.
        limit: usize,
    },
    /// More changes than [`MAX_CHANGES`].
    TooManyChanges {
        /// The limit.
        limit: usize,
    },
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffError::NotOpenApi { side, reason } => {
                write!(f, "{side} is not an OpenAPI 3 document: {reason}")
            }
            DiffError::MissingRef { side, reference } => {
                write!(f, "{side} refers to `{reference}`, which it does not contain")
            }
            DiffError::ExternalRef { side, reference } => write!(
                f,
                "{side} refers to `{reference}` in another file; only references inside the document (`#/...`) are followed"
            ),
            DiffError::RefCycle { side, reference } => {
                write!(f, "{side}: `{reference}` is a cycle of references that never reaches a value")
            }
            DiffError::TooDeep { side: Some(side), limit } => {
                write!(f, "{side} nests schemas (or their `$ref`s and `allOf`s) more than {limit} deep")
            }
            DiffError::TooDeep { side: None, limit } => {
                write!(f, "the documents nest schemas more than {limit} deep")
            }
            DiffError::TooLarge { limit } => write!(
                f,
                "the documents are too large to compare: more than {limit} pairs of schemas"
            ),
            DiffError::TooManyChanges { limit } => {
                write!(f, "more than {limit} changes: the documents are too different to report")
            }
        }
    }
}

impl std::error::Error for DiffError {}

/// One change between the documents.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// The rule's id, e.g. `request-property-added-required`.
    pub rule: &'static str,
    /// Whether existing clients may fail.
    pub breaking: bool,
    /// Whether `--allow` accepted this breaking change ([`Report::allow`]).
    pub allowed: bool,
    /// The operation, `POST /items/` (the new document's path when both have it); `None` for
    /// changes outside operations (a security scheme).
    pub operation: Option<String>,
    /// Where in the operation: `request body: property "name"`, `query parameter "limit"`.
    pub location: String,
    /// What changed.
    pub message: String,
}

/// Every change from one document to another.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The changes, operation by operation in the old document's order, then the added
    /// operations.
    pub changes: Vec<Change>,
}

impl Report {
    /// How many changes are breaking (allowed ones included).
    pub fn breaking(&self) -> usize {
        self.changes.iter().filter(|c| c.breaking).count()
    }

    /// How many breaking changes `--allow` accepted.
    pub fn allowed(&self) -> usize {
        self.changes
            .iter()
            .filter(|c| c.breaking && c.allowed)
            .count()
    }

    /// How many changes are compatible.
    pub fn compatible(&self) -> usize {
        self.changes.len() - self.breaking()
    }

    /// How many breaking changes are not allowed: the command fails when this is not zero.
    pub fn blocking(&self) -> usize {
        self.breaking() - self.allowed()
    }

    /// Marks the breaking changes matched by one of `allow` as allowed.
    pub fn allow(&mut self, allow: &[Allow]) {
        for change in &mut self.changes {
            change.allowed = change.breaking && allow.iter().any(|a| a.matches(change));
        }
    }

    /// `3 breaking (1 allowed), 5 compatible`.
    pub fn summary(&self) -> String {
        let allowed = match self.allowed() {
            0 => String::new(),
            n => format!(" ({n} allowed)"),
        };
        format!(
            "{} breaking{allowed}, {} compatible",
            self.breaking(),
            self.compatible()
        )
    }
}

/// A breaking change accepted on purpose: a rule id, everywhere (`operation-removed`) or in
/// one operation (`operation-removed@DELETE /items/{id}`; the path's parameter names do not
/// matter).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    rule: &'static str,
    operation: Option<(String, String)>,
}

impl FromStr for Allow {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (id, operation) = match s.split_once('@') {
            Some((id, op)) => {
                let (method, path) = op.trim().split_once(char::is_whitespace).ok_or_else(|| {
                    format!("`{op}` is not an operation: write `RULE@METHOD /path`, e.g. `operation-removed@GET /items/`")
                })?;
                let path = operations::normalize_path(path.trim());
                (id.trim(), Some((method.to_ascii_uppercase(), path)))
            }
            None => (s.trim(), None),
        };
        let rule = rules::find(id).ok_or_else(|| {
            format!("unknown rule `{id}` (the rules are listed in the guide, docs/openapi-diff.md)")
        })?;
        Ok(Allow {
            rule: rule.id,
            operation,
        })
    }
}

impl Allow {
    /// Whether this allows `change`.
    pub fn matches(&self, change: &Change) -> bool {
        if change.rule != self.rule {
            return false;
        }
        let Some((method, path)) = &self.operation else {
            return true;
        };
        let Some((m, p)) = change
            .operation
            .as_deref()
            .and_then(|op| op.split_once(' '))
        else {
            return false;
        };
        m == method && operations::normalize_path(p) == *path
    }
}

/// Checks that `doc` is an OpenAPI 3 document: an object with an `openapi` field `3.x` and,
/// if any, an object of `paths`.
pub fn check_document(doc: &Value, side: Side) -> Result<(), DiffError> {
    let fail = |reason: &str| {
        Err(DiffError::NotOpenApi {
            side,
            reason: reason.to_string(),
        })
    };
    let Some(obj) = doc.as_object() else {
        return fail("it is not a JSON object");
    };
    if obj.contains_key("swagger") {
        return fail("Swagger 2.0 is not supported; convert it to OpenAPI 3 first");
    }
    match obj.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.") => {}
        Some(v) => return fail(&format!("version `{v}` is not 3.x")),
        None => return fail("it has no `openapi` version field"),
    }
    if obj.get("paths").is_some_and(|p| !p.is_object()) {
        return fail("`paths` is not an object");
    }
    Ok(())
}

/// Every change from `old` to `new`, both OpenAPI 3 documents (any of 3.0, 3.1, 3.2; the
/// two may differ, the dialects' nullability and exclusive bounds are read alike).
pub fn diff(old: &Value, new: &Value) -> Result<Report, DiffError> {
    check_document(old, Side::Old)?;
    check_document(new, Side::New)?;
    Ok(Report {
        changes: operations::compare(old, new)?,
    })
}
