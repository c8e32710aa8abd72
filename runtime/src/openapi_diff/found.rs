//! A change found inside a schema, with the path from the compared schema to it.

use super::rules::{Direction, Rule};

/// One step of the path from the compared schema to where a change is.
#[derive(Debug, Clone)]
pub(super) enum Seg {
    /// A property.
    Prop(String),
    /// The items of an array.
    Items,
    /// The values of a map (`additionalProperties`).
    Values,
    /// A `oneOf`/`anyOf` member.
    Member(String),
}

/// A change found inside a schema.
#[derive(Debug, Clone)]
pub(super) struct SchemaChange {
    pub(super) rule: &'static Rule,
    pub(super) breaking: bool,
    /// Innermost step first.
    pub(super) path: Vec<Seg>,
    pub(super) message: String,
}

impl SchemaChange {
    /// `base`, then where in the schema: `request body: property "owner.name"`.
    pub(super) fn location(&self, base: &str) -> String {
        if self.path.is_empty() {
            return base.to_string();
        }
        let mut s = String::new();
        for seg in self.path.iter().rev() {
            match seg {
                Seg::Prop(name) => {
                    if !s.is_empty() {
                        s.push('.');
                    }
                    s.push_str(name);
                }
                Seg::Items => s.push_str("[]"),
                Seg::Values => s.push_str(if s.is_empty() { "*" } else { ".*" }),
                Seg::Member(label) => {
                    s.push('(');
                    s.push_str(label);
                    s.push(')');
                }
            }
        }
        if self.path.iter().any(|seg| matches!(seg, Seg::Prop(_))) {
            format!("{base}: property \"{s}\"")
        } else {
            format!("{base}: schema \"{s}\"")
        }
    }
}

/// Adds a change of `rule` found in `dir`, breaking as the rule says.
pub(super) fn push(
    out: &mut Vec<SchemaChange>,
    rule: &'static Rule,
    dir: Direction,
    message: String,
) {
    push_as(out, rule, rule.breaks(dir), message);
}

/// Adds a change of `rule`, breaking or not as given.
pub(super) fn push_as(
    out: &mut Vec<SchemaChange>,
    rule: &'static Rule,
    breaking: bool,
    message: String,
) {
    out.push(SchemaChange {
        rule,
        breaking,
        path: Vec::new(),
        message,
    });
}
