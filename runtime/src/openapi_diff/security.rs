//! Security requirements: which credentials an operation needs, and the schemes that say
//! how clients send them.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use serde_json::Value;

use super::refs::resolve;
use super::rules::{self, Rule};
use super::{DiffError, Side};

/// A security requirement alternative: scheme name to scopes.
type Alternative = BTreeMap<String, BTreeSet<String>>;

fn requirements(doc: &Value, op: &Value) -> Vec<Alternative> {
    let list = op.get("security").or_else(|| doc.get("security"));
    list.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|alt| {
            alt.iter()
                .map(|(scheme, scopes)| {
                    let scopes = scopes.as_array().into_iter().flatten();
                    (
                        scheme.clone(),
                        scopes.filter_map(Value::as_str).map(String::from).collect(),
                    )
                })
                .collect()
        })
        .collect()
}

fn describe_alternative(alt: &Alternative) -> String {
    let parts: Vec<String> = alt
        .iter()
        .map(|(scheme, scopes)| {
            if scopes.is_empty() {
                format!("`{scheme}`")
            } else {
                let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
                format!("`{scheme}` (scopes {})", scopes.join(", "))
            }
        })
        .collect();
    parts.join(" and ")
}

fn describe_requirements(alts: &[Alternative]) -> String {
    alts.iter()
        .map(describe_alternative)
        .collect::<Vec<_>>()
        .join(" or ")
}

/// Whether a client satisfying `have` satisfies `need`.
fn satisfies(have: &Alternative, need: &Alternative) -> bool {
    need.iter()
        .all(|(scheme, scopes)| have.get(scheme).is_some_and(|h| scopes.is_subset(h)))
}

/// The changes of an operation's requirements (its own `security`, else the document's).
pub(super) fn compare(
    old_doc: &Value,
    new_doc: &Value,
    old_op: &Value,
    new_op: &Value,
) -> Vec<(&'static Rule, String)> {
    let olds = requirements(old_doc, old_op);
    let news = requirements(new_doc, new_op);
    let open = |alts: &[Alternative]| alts.is_empty() || alts.iter().any(|a| a.is_empty());
    let mut out = Vec::new();
    match (open(&olds), open(&news)) {
        (true, true) => {}
        (true, false) => out.push((
            &rules::SECURITY_ADDED,
            format!("now requires {}", describe_requirements(&news)),
        )),
        (false, true) => out.push((
            &rules::SECURITY_REMOVED,
            format!("no longer requires {}", describe_requirements(&olds)),
        )),
        (false, false) => {
            let mut compatible = Vec::new();
            for have in &olds {
                match news.iter().find(|need| satisfies(have, need)) {
                    Some(need) => no_longer_needed(have, need, &mut compatible),
                    None => out.push(not_enough(have, &news)),
                }
            }
            out.extend(compatible);
        }
    }
    out
}

/// A client's credentials `have` still satisfy `need`: what they hold that is no longer
/// needed.
fn no_longer_needed(
    have: &Alternative,
    need: &Alternative,
    out: &mut Vec<(&'static Rule, String)>,
) {
    for (scheme, scopes) in have {
        let note = match need.get(scheme) {
            None => (
                &rules::SECURITY_REMOVED,
                format!("`{scheme}` is no longer required"),
            ),
            Some(needed) => {
                let dropped: Vec<&str> = scopes.difference(needed).map(String::as_str).collect();
                if dropped.is_empty() {
                    continue;
                }
                (
                    &rules::SECURITY_SCOPE_REMOVED,
                    format!("`{scheme}` no longer needs scopes {}", dropped.join(", ")),
                )
            }
        };
        if !out.contains(&note) {
            out.push(note);
        }
    }
}

/// A client's credentials `have` satisfy none of `news`: more scopes of the same schemes,
/// or other schemes.
fn not_enough(have: &Alternative, news: &[Alternative]) -> (&'static Rule, String) {
    let same_schemes = news
        .iter()
        .find(|need| need.keys().all(|k| have.contains_key(k)));
    match same_schemes {
        Some(need) => {
            let extra: Vec<String> = need
                .iter()
                .flat_map(|(scheme, scopes)| {
                    scopes
                        .difference(&have[scheme])
                        .map(move |s| format!("{scheme}: {s}"))
                })
                .collect();
            (
                &rules::SECURITY_SCOPE_ADDED,
                format!("now needs scopes {}", extra.join(", ")),
            )
        }
        None => (
            &rules::SECURITY_ADDED,
            format!(
                "{} is no longer enough: now requires {}",
                describe_alternative(have),
                describe_requirements(news)
            ),
        ),
    }
}

/// The security schemes used by the new document's operations (`new_ops`) whose definition
/// changed in a way clients see (type, location, name, scheme, flows and their URLs): the
/// scheme's name and what changed.
pub(super) fn schemes<'a>(
    old: &'a Value,
    new: &'a Value,
    new_ops: impl Iterator<Item = &'a Value>,
) -> Result<Vec<(String, String)>, DiffError> {
    let mut used = HashSet::new();
    for op in new_ops {
        for alt in requirements(new, op) {
            used.extend(alt.into_keys());
        }
    }
    let schemes = |doc: &'a Value| {
        doc.pointer("/components/securitySchemes")
            .and_then(Value::as_object)
    };
    let mut out = Vec::new();
    let (Some(olds), Some(news)) = (schemes(old), schemes(new)) else {
        return Ok(out);
    };
    for (name, os) in olds {
        let Some(ns) = news.get(name) else { continue };
        if !used.contains(name) {
            continue;
        }
        let a = signature(resolve(old, Side::Old, os)?);
        let b = signature(resolve(new, Side::New, ns)?);
        if a != b {
            out.push((name.clone(), format!("{a} -> {b}")));
        }
    }
    Ok(out)
}

/// What a client needs to know of a security scheme to send credentials.
fn signature(scheme: &Value) -> String {
    let get = |key| scheme.get(key).and_then(Value::as_str).unwrap_or("?");
    match get("type") {
        "apiKey" => format!("apiKey in {} `{}`", get("in"), get("name")),
        "http" => format!("http {}", get("scheme").to_ascii_lowercase()),
        "openIdConnect" => format!("openIdConnect `{}`", get("openIdConnectUrl")),
        "oauth2" => {
            let flows = scheme.get("flows").and_then(Value::as_object);
            let flows: Vec<String> = flows
                .into_iter()
                .flatten()
                .map(|(flow, f)| {
                    let urls: Vec<&str> = ["authorizationUrl", "tokenUrl"]
                        .iter()
                        .filter_map(|k| f.get(*k).and_then(Value::as_str))
                        .collect();
                    format!("{flow} ({})", urls.join(", "))
                })
                .collect();
            format!("oauth2 {}", flows.join(", "))
        }
        other => other.to_string(),
    }
}
