//! The keywords of one schema compared, its nested schemas left out: type, nullability,
//! `enum`, `format`, `pattern`, the bounds, `default`.

use std::collections::{BTreeSet, HashSet};

use serde_json::Value;

use super::found::{push, push_as, SchemaChange};
use super::rules::{self, Direction, Rule};
use super::view::{Bound, View};

/// The keywords of the schema itself; says whether the types are disjoint (then nested
/// keywords are not compared: everything would differ).
pub(super) fn compare(
    o: &View<'_>,
    n: &View<'_>,
    dir: Direction,
    one_sided_union: bool,
    out: &mut Vec<SchemaChange>,
) -> bool {
    let mut disjoint = false;
    if !one_sided_union {
        if let Some((narrowed, widened, apart)) = type_change(&o.types, &n.types) {
            let breaking = match dir {
                Direction::Request => narrowed,
                Direction::Response => widened,
            };
            push_as(
                out,
                &rules::TYPE_CHANGED,
                breaking,
                format!(
                    "type changed from {} to {}",
                    types(&o.types),
                    types(&n.types)
                ),
            );
            disjoint = apart;
        }
    }
    match (o.nullable, n.nullable) {
        (false, true) => push(out, &rules::NULLABLE_ADDED, dir, "may now be null".into()),
        (true, false) => push(
            out,
            &rules::NULLABLE_REMOVED,
            dir,
            "may no longer be null".into(),
        ),
        _ => {}
    }
    enums(o, n, dir, out);
    if o.format != n.format {
        let (request, response) = match (o.format, n.format) {
            (None, _) => (true, false),
            (_, None) => (false, true),
            (Some(a), Some(b)) if widens(a, b) => (false, true),
            (Some(a), Some(b)) if widens(b, a) => (true, false),
            _ => (true, true),
        };
        let breaking = match dir {
            Direction::Request => request,
            Direction::Response => response,
        };
        push_as(
            out,
            &rules::FORMAT_CHANGED,
            breaking,
            format!("format: {} -> {}", quoted(o.format), quoted(n.format)),
        );
    }
    match (o.pattern, n.pattern) {
        (None, Some(p)) => push(
            out,
            &rules::PATTERN_ADDED,
            dir,
            format!("pattern `{p}` added"),
        ),
        (Some(p), None) => push(
            out,
            &rules::PATTERN_REMOVED,
            dir,
            format!("pattern `{p}` removed"),
        ),
        (Some(a), Some(b)) if a != b => push(
            out,
            &rules::PATTERN_CHANGED,
            dir,
            format!("pattern: `{a}` -> `{b}`"),
        ),
        _ => {}
    }
    for k in &BOUNDS {
        let (a, b, upper) = ((k.get)(o), (k.get)(n), k.upper);
        let Some(tightened) = tightened(a, b, upper) else {
            continue;
        };
        let rule = if tightened { k.tighter } else { k.looser };
        let message = format!("{}: {} -> {}", k.keyword, bound(a, upper), bound(b, upper));
        push(out, rule, dir, message);
    }
    if dir == Direction::Request && o.default != n.default {
        let show = |d: Option<&Value>| d.map_or("none".to_string(), Value::to_string);
        push(
            out,
            &rules::DEFAULT_CHANGED,
            dir,
            format!("default: {} -> {}", show(o.default), show(n.default)),
        );
    }
    disjoint
}

/// A bound keyword and its rules when it gets tighter or looser.
struct BoundKeyword {
    keyword: &'static str,
    /// A maximum (lower is tighter) or a minimum.
    upper: bool,
    get: fn(&View<'_>) -> Option<Bound>,
    tighter: &'static Rule,
    looser: &'static Rule,
}

const BOUNDS: [BoundKeyword; 6] = [
    BoundKeyword {
        keyword: "maxLength",
        upper: true,
        get: |v| v.max_length,
        tighter: &rules::MAX_LENGTH_DECREASED,
        looser: &rules::MAX_LENGTH_INCREASED,
    },
    BoundKeyword {
        keyword: "minLength",
        upper: false,
        get: |v| v.min_length,
        tighter: &rules::MIN_LENGTH_INCREASED,
        looser: &rules::MIN_LENGTH_DECREASED,
    },
    BoundKeyword {
        keyword: "maximum",
        upper: true,
        get: |v| v.maximum,
        tighter: &rules::MAXIMUM_DECREASED,
        looser: &rules::MAXIMUM_INCREASED,
    },
    BoundKeyword {
        keyword: "minimum",
        upper: false,
        get: |v| v.minimum,
        tighter: &rules::MINIMUM_INCREASED,
        looser: &rules::MINIMUM_DECREASED,
    },
    BoundKeyword {
        keyword: "maxItems",
        upper: true,
        get: |v| v.max_items,
        tighter: &rules::MAX_ITEMS_DECREASED,
        looser: &rules::MAX_ITEMS_INCREASED,
    },
    BoundKeyword {
        keyword: "minItems",
        upper: false,
        get: |v| v.min_items,
        tighter: &rules::MIN_ITEMS_INCREASED,
        looser: &rules::MIN_ITEMS_DECREASED,
    },
];

/// Whether the types narrowed (an old type is no longer accepted), widened (a new type was
/// not accepted before) and whether they have nothing in common; `None`: unchanged.
fn type_change(
    old: &Option<BTreeSet<&str>>,
    new: &Option<BTreeSet<&str>>,
) -> Option<(bool, bool, bool)> {
    let accepts = |set: &BTreeSet<&str>, t: &str| {
        set.contains(t) || (t == "integer" && set.contains("number"))
    };
    match (old, new) {
        (None, None) => None,
        (None, Some(_)) => Some((true, false, false)),
        (Some(_), None) => Some((false, true, false)),
        (Some(a), Some(b)) => {
            let narrowed = a.iter().any(|t| !accepts(b, t));
            let widened = b.iter().any(|t| !accepts(a, t));
            let apart = !a.is_empty()
                && !b.is_empty()
                && !a.iter().any(|t| accepts(b, t))
                && !b.iter().any(|t| accepts(a, t));
            (narrowed || widened).then_some((narrowed, widened, apart))
        }
    }
}

fn types(set: &Option<BTreeSet<&str>>) -> String {
    match set {
        None => "any".into(),
        Some(s) if s.is_empty() => "nothing".into(),
        Some(s) => s.iter().copied().collect::<Vec<_>>().join(" or "),
    }
}

fn enums(o: &View<'_>, n: &View<'_>, dir: Direction, out: &mut Vec<SchemaChange>) {
    let text =
        |values: &[&Value]| -> Vec<String> { values.iter().map(|v| v.to_string()).collect() };
    match (&o.enum_values, &n.enum_values) {
        (Some(a), Some(b)) => {
            let (a, b) = (text(a), text(b));
            let (sa, sb): (HashSet<&String>, HashSet<&String>) =
                (a.iter().collect(), b.iter().collect());
            let removed: Vec<&String> = a.iter().filter(|v| !sb.contains(v)).collect();
            let added: Vec<&String> = b.iter().filter(|v| !sa.contains(v)).collect();
            if !removed.is_empty() {
                push(
                    out,
                    &rules::ENUM_VALUE_REMOVED,
                    dir,
                    format!("enum values removed: {}", list(&removed)),
                );
            }
            if !added.is_empty() {
                push(
                    out,
                    &rules::ENUM_VALUE_ADDED,
                    dir,
                    format!("enum values added: {}", list(&added)),
                );
            }
        }
        (None, Some(b)) => {
            let b = text(b);
            let b: Vec<&String> = b.iter().collect();
            push(
                out,
                &rules::ENUM_CONSTRAINT_ADDED,
                dir,
                format!("now limited to {}", list(&b)),
            );
        }
        (Some(_), None) => push(
            out,
            &rules::ENUM_CONSTRAINT_REMOVED,
            dir,
            "no longer limited to a list of values".into(),
        ),
        (None, None) => {}
    }
}

/// At most ten values, then how many more.
fn list(values: &[&String]) -> String {
    let mut s = values
        .iter()
        .take(10)
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if values.len() > 10 {
        s.push_str(&format!(" and {} more", values.len() - 10));
    }
    s
}

/// Formats whose values all fit the wider one.
fn widens(narrow: &str, wide: &str) -> bool {
    matches!((narrow, wide), ("int32", "int64") | ("float", "double"))
}

fn quoted(s: Option<&str>) -> String {
    s.map_or("none".into(), |s| format!("`{s}`"))
}

/// `Some(true)` when the bound got tighter, `Some(false)` looser, `None` unchanged.
fn tightened(old: Option<Bound>, new: Option<Bound>, upper: bool) -> Option<bool> {
    match (old, new) {
        (None, None) => None,
        (None, Some(_)) => Some(true),
        (Some(_), None) => Some(false),
        (Some(a), Some(b)) if a == b => None,
        (Some(a), Some(b)) => Some(if a.value == b.value {
            b.exclusive
        } else if upper {
            b.value < a.value
        } else {
            b.value > a.value
        }),
    }
}

fn bound(b: Option<Bound>, upper: bool) -> String {
    match b {
        None => "none".into(),
        Some(Bound { value, exclusive }) => {
            let op = match (upper, exclusive) {
                (_, false) => "",
                (true, true) => "< ",
                (false, true) => "> ",
            };
            format!("{op}{value}")
        }
    }
}
