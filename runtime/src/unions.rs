//! Unions as pydantic has them: `#[model]` enums whose variants hold data.
//!
//! An enum is a *tagged* union when a tag says which variant a value is: serde's
//! representations (`{"Cat": {...}}`, `#[serde(tag = "kind")]`,
//! `#[serde(tag = "t", content = "c")]`) or pydantic's discriminated union
//! (`#[model(discriminator = "kind")]` over models that each have a `literal` field
//! `kind`). It is *untagged* (`#[serde(untagged)]`, pydantic's plain `Union[A, B]`) when
//! the value itself decides.
//!
//! Validation runs inside the variant as it does inside a struct, and errors are located as
//! pydantic locates them:
//!
//! - tagged: under the tag (`["body", "pets", 1, "parrot", "words"]`); a missing tag is
//!   `union_tag_not_found` and an unknown one `union_tag_invalid`, both at the union;
//! - untagged: when no member accepts the value, every member's errors, each under the
//!   member's name (`["body", "shape", "Circle", "radius"]`). A member is chosen as
//!   pydantic's smart mode chooses: of those that take the value exactly as sent, the one
//!   it sets the most fields of (the first on a tie), else the same among those that take
//!   it after lax conversion (`"4"` for a number).
//!
//! The document shows an untagged union as `anyOf` its members, and a discriminated one as
//! `oneOf` their `$ref`s with `discriminator: {propertyName, mapping}`.

use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::error::{Loc, ValidationError, ValidationErrors};
use crate::validate::Validate;

/// The tag of a tagged union as sent, as pydantic shows it (`5` for a number), cut as every
/// echoed input is ([`crate::error::MAX_INPUT_CHARS`]): a megabyte of tag is not written
/// back twice in the message and its `ctx`.
fn tag_text(value: &Value) -> String {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    text.chars().take(crate::error::MAX_INPUT_CHARS).collect()
}

fn quoted(items: &[&str]) -> String {
    items
        .iter()
        .map(|t| format!("'{t}'"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// pydantic's `union_tag_not_found`: the object has no `discriminator` key.
pub fn union_tag_not_found(
    discriminator: &str,
    value: &Value,
    loc: &Loc,
    errors: &mut ValidationErrors,
) {
    errors.push(
        ValidationError::new(
            "union_tag_not_found",
            loc.clone(),
            format!("Unable to extract tag using discriminator '{discriminator}'"),
            value.clone(),
        )
        .with_ctx(json!({ "discriminator": format!("'{discriminator}'") })),
    );
}

/// pydantic's `union_tag_invalid`: the tag names no variant.
pub fn union_tag_invalid(
    discriminator: &str,
    tag: &Value,
    expected: &[&str],
    value: &Value,
    loc: &Loc,
    errors: &mut ValidationErrors,
) {
    let tag = tag_text(tag);
    let expected = quoted(expected);
    errors.push(
        ValidationError::new(
            "union_tag_invalid",
            loc.clone(),
            format!(
                "Input tag '{tag}' found using '{discriminator}' does not match any of the expected tags: {expected}"
            ),
            value.clone(),
        )
        .with_ctx(json!({
            "discriminator": format!("'{discriminator}'"),
            "tag": tag,
            "expected_tags": expected,
        })),
    );
}

/// Reads the tag of an internally tagged or discriminated union at `loc`: the index of the
/// variant whose tags (`tags[i]`) hold it and the tag as sent (errors inside the variant are
/// located under it), or `None` after recording why not (not an object, no tag, unknown
/// tag).
pub fn find_tag<'v>(
    value: &'v Value,
    discriminator: &str,
    tags: &[&[&str]],
    loc: &Loc,
    errors: &mut ValidationErrors,
) -> Option<(usize, &'v str)> {
    let Some(obj) = value.as_object() else {
        crate::validate::generated::not_an_object(value, loc, errors);
        return None;
    };
    let Some(tag) = obj.get(discriminator) else {
        union_tag_not_found(discriminator, value, loc, errors);
        return None;
    };
    let found = tag.as_str().and_then(|t| position(tags, t).map(|i| (i, t)));
    if found.is_none() {
        let all: Vec<&str> = tags.iter().flat_map(|t| t.iter().copied()).collect();
        union_tag_invalid(discriminator, tag, &all, value, loc, errors);
    }
    found
}

/// The index of the variant a discriminated union's value names, without recording
/// anything (used to read and to convert lax values).
pub fn tag_index(value: &Value, discriminator: &str, tags: &[&[&str]]) -> Option<usize> {
    position(tags, value.get(discriminator)?.as_str()?)
}

fn position(tags: &[&[&str]], tag: &str) -> Option<usize> {
    tags.iter().position(|t| t.contains(&tag))
}

/// The tags of a discriminated union's member `M`: the values its literal field
/// `discriminator` allows.
pub fn member_tags<M: Validate>(discriminator: &str) -> &'static [&'static str] {
    M::LITERALS
        .iter()
        .find(|(f, _)| *f == discriminator)
        .map(|(_, v)| *v)
        .unwrap_or(&[])
}

/// Whether `literals` (a model's [`Validate::LITERALS`]) has the field `name`: checked at
/// compile time for each member of a discriminated union.
pub const fn has_literal_field(literals: &[(&str, &[&str])], name: &str) -> bool {
    let mut i = 0;
    while i < literals.len() {
        let f = literals[i].0.as_bytes();
        let n = name.as_bytes();
        if f.len() == n.len() {
            let mut j = 0;
            while j < f.len() && f[j] == n[j] {
                j += 1;
            }
            if j == f.len() {
                return true;
            }
        }
        i += 1;
    }
    false
}

/// One member of an untagged union, tried the way pydantic's smart mode tries it.
pub struct Member<T> {
    /// The member's name in error locations (`Circle`, `int`).
    pub label: &'static str,
    /// Reads the value as this member, `strict` without lax conversion.
    pub read: fn(&Value, bool) -> Option<T>,
    /// Checks the raw value as this member.
    pub check: fn(&Value, &Loc, &mut ValidationErrors),
    /// Converts lax values as this member would.
    pub coerce: fn(&mut Value),
    /// The member's fields (wire name first), for smart mode's "most fields set".
    pub fields: &'static [(&'static str, &'static str)],
}

/// How many of a member's fields the value sets (0 for a non-object or a non-model).
fn fields_set<T>(value: &Value, m: &Member<T>) -> usize {
    match value.as_object() {
        Some(o) => m
            .fields
            .iter()
            .filter(|(wire, _)| o.contains_key(*wire))
            .count(),
        None => 0,
    }
}

/// The member that reads `value` (strictly or not) and sets the most of its fields, the
/// first one on a tie: pydantic's smart mode.
fn best<T>(value: &Value, members: &[Member<T>], strict: bool) -> Option<(usize, T)> {
    let mut found: Option<(usize, usize, T)> = None;
    for (i, m) in members.iter().enumerate() {
        if let Some(v) = (m.read)(value, strict) {
            let set = fields_set(value, m);
            if found
                .as_ref()
                .is_none_or(|(_, best_set, _)| set > *best_set)
            {
                found = Some((i, set, v));
            }
        }
    }
    found.map(|(i, _, v)| (i, v))
}

/// Reads `value` as the member type `M`: strictly (serde as is, then `M`'s constraints), or
/// after pydantic's lax conversions.
pub fn read_member<M: DeserializeOwned + Validate>(value: &Value, strict: bool) -> Option<M> {
    let root = Loc(Vec::new());
    let mut errors = ValidationErrors::new();
    if !strict {
        return crate::extract::json::read_lax(value, &root, &mut errors, None);
    }
    if M::EXPECTS_OBJECT && !value.is_object() {
        return None;
    }
    let m = serde_json::from_value::<M>(value.clone()).ok()?;
    m.validate(&crate::error::At::Root(&root), &mut errors);
    errors.is_empty().then_some(m)
}

/// Chooses the member an untagged union's value is, as pydantic's smart mode does: of the
/// members that take it as sent, the one it sets the most fields of (the first on a tie);
/// else the same among those that take it after lax conversion.
pub fn choose<T>(value: &Value, members: &[Member<T>]) -> Option<T> {
    best(value, members, true)
        .or_else(|| best(value, members, false))
        .map(|(_, v)| v)
}

/// The index of the member an untagged union's value is (see [`choose`]), for lax
/// conversion.
fn chosen_index<T>(value: &Value, members: &[Member<T>]) -> Option<usize> {
    best(value, members, true)
        .or_else(|| best(value, members, false))
        .map(|(i, _)| i)
}

/// Checks a raw value against an untagged union: nothing when a member takes it, else every
/// member's errors under the member's name.
pub fn check_untagged<T>(
    value: &Value,
    members: &[Member<T>],
    loc: &Loc,
    errors: &mut ValidationErrors,
) {
    if chosen_index(value, members).is_some() {
        return;
    }
    for m in members {
        if errors.is_full() {
            break;
        }
        (m.check)(value, &loc.join(m.label), errors);
    }
}

/// Converts lax values in an untagged union's value as its chosen member would.
pub fn coerce_untagged<T>(value: &mut Value, members: &[Member<T>]) {
    if let Some(i) = chosen_index(value, members) {
        (members[i].coerce)(value);
    }
}

/// The schema of an untagged union: `anyOf` its members, as pydantic writes `Union[A, B]`.
pub fn any_of(members: Vec<Value>, description: Option<&str>) -> Value {
    let mut out = json!({ "anyOf": members });
    if let Some(d) = description {
        out["description"] = d.into();
    }
    out
}

/// The schema of a discriminated union: `oneOf` the members' `$ref`s with a discriminator
/// whose mapping sends each tag to its member.
pub fn one_of_discriminated(
    discriminator: &str,
    members: Vec<(Vec<&'static str>, Value)>,
    description: Option<&str>,
) -> Value {
    let mut mapping = serde_json::Map::new();
    let mut items = Vec::with_capacity(members.len());
    for (tags, schema) in members {
        if let Some(r) = schema.get("$ref") {
            for t in tags {
                mapping.insert(t.to_string(), r.clone());
            }
        }
        items.push(schema);
    }
    let mut out = json!({ "oneOf": items });
    if let Some(d) = description {
        out["description"] = d.into();
    }
    out["discriminator"] = json!({ "propertyName": discriminator });
    if !mapping.is_empty() {
        out["discriminator"]["mapping"] = Value::Object(mapping);
    }
    out
}

/// The name an untagged union gives its member `T` in error locations: `T`'s
/// [`UNION_LABEL`](Validate::UNION_LABEL), else the variant's name.
pub fn union_label<T: Validate>(variant: &'static str) -> &'static str {
    if T::UNION_LABEL.is_empty() {
        variant
    } else {
        T::UNION_LABEL
    }
}

/// The variant an externally tagged value names (`"Unit"` or `{"Variant": content}`): its
/// index, its name and its content.
pub fn external_tag<'v>(value: &'v Value, tags: &[&[&str]]) -> Option<(usize, &'v str, &'v Value)> {
    match value {
        Value::String(s) => position(tags, s).map(|i| (i, s.as_str(), value)),
        Value::Object(m) if m.len() == 1 => {
            let (k, v) = m.iter().next()?;
            position(tags, k).map(|i| (i, k.as_str(), v))
        }
        _ => None,
    }
}

/// Records serde's own complaint about `value` as a `value_error` (for shapes pydantic has
/// no union error for, such as an externally tagged value with two keys).
pub fn serde_value_error<T: DeserializeOwned>(
    value: &Value,
    loc: &Loc,
    errors: &mut ValidationErrors,
) {
    let msg = match serde_json::from_value::<T>(value.clone()) {
        Ok(_) => return,
        Err(e) => e.to_string(),
    };
    errors.push(
        ValidationError::new(
            "value_error",
            loc.clone(),
            format!("Value error, {msg}"),
            value.clone(),
        )
        .with_ctx(json!({ "error": {} })),
    );
}

/// A tuple variant's content that is not a list of `n` items.
pub fn tuple_expected(value: &Value, n: usize, loc: &Loc, errors: &mut ValidationErrors) {
    let (kind, msg) = match value {
        Value::Array(_) => ("too_long", format!("Tuple should have {n} items")),
        _ => ("tuple_type", "Input should be a valid tuple".to_string()),
    };
    errors.push(ValidationError::new(kind, loc.clone(), msg, value.clone()));
}
