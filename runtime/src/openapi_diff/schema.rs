//! Comparing two schemas in one direction: walking properties, items,
//! `additionalProperties` and `oneOf`/`anyOf` members (the keywords of each schema itself
//! are `keywords`'s).
//!
//! Bounded on hostile input: the nesting depth (`MAX_DEPTH`), the number of schema pairs
//! visited (`MAX_STEPS`) and the number of changes (`MAX_CHANGES`). A recursive schema does
//! not loop: comparing the nested part of a pair of nodes that is already being compared
//! further up adds nothing, and the nested part of each pair of nodes is compared once and
//! cached (unless its result depended on a pair still in progress).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use serde_json::Value;

use super::found::{push, SchemaChange, Seg};
use super::keywords;
use super::rules::{self, Direction};
use super::view::{self, Additional, View};
use super::{DiffError, Side, MAX_CHANGES, MAX_DEPTH, MAX_STEPS};

type Key = (usize, usize, Direction);

/// The schema comparer of one pair of documents.
pub(super) struct Schemas<'a> {
    old: &'a Value,
    new: &'a Value,
    cache: HashMap<Key, Rc<Vec<SchemaChange>>>,
    in_progress: Vec<Key>,
    lowest_hit: usize,
    steps: usize,
}

impl<'a> Schemas<'a> {
    pub(super) fn new(old: &'a Value, new: &'a Value) -> Self {
        Schemas {
            old,
            new,
            cache: HashMap::new(),
            in_progress: Vec::new(),
            lowest_hit: usize::MAX,
            steps: 0,
        }
    }

    /// The changes from `old` (a schema of the old document) to `new`, in `direction`.
    pub(super) fn compare(
        &mut self,
        old: &'a Value,
        new: &'a Value,
        direction: Direction,
    ) -> Result<Vec<SchemaChange>, DiffError> {
        self.node(old, new, direction, 0)
    }

    fn node(
        &mut self,
        old: &'a Value,
        new: &'a Value,
        dir: Direction,
        depth: usize,
    ) -> Result<Vec<SchemaChange>, DiffError> {
        self.steps += 1;
        if self.steps > MAX_STEPS {
            return Err(DiffError::TooLarge { limit: MAX_STEPS });
        }
        if depth > MAX_DEPTH {
            return Err(DiffError::TooDeep {
                side: None,
                limit: MAX_DEPTH,
            });
        }
        let o = view::build(self.old, Side::Old, old)?;
        let n = view::build(self.new, Side::New, new)?;
        let mut out = Vec::new();
        let one_sided_union = o.union.is_empty() != n.union.is_empty();
        let disjoint = keywords::compare(&o, &n, dir, one_sided_union, &mut out);
        if disjoint || !(o.has_deep() || n.has_deep()) {
            return Ok(out);
        }
        match (o.deep_key(), n.deep_key()) {
            (Some(a), Some(b)) if !one_sided_union => {
                self.cached_deep((a, b, dir), &o, &n, (old, new), depth, &mut out)?
            }
            _ => self.deep(&o, &n, (old, new), dir, depth, &mut out)?,
        }
        Ok(out)
    }

    fn cached_deep(
        &mut self,
        key: Key,
        o: &View<'a>,
        n: &View<'a>,
        raw: (&'a Value, &'a Value),
        depth: usize,
        out: &mut Vec<SchemaChange>,
    ) -> Result<(), DiffError> {
        if let Some(known) = self.cache.get(&key) {
            out.extend(known.iter().cloned());
            return check_count(out);
        }
        if let Some(at) = self.in_progress.iter().position(|k| *k == key) {
            // A recursive schema: this pair is being compared further up.
            self.lowest_hit = self.lowest_hit.min(at);
            return Ok(());
        }
        let index = self.in_progress.len();
        self.in_progress.push(key);
        let outer = std::mem::replace(&mut self.lowest_hit, usize::MAX);
        let mut found = Vec::new();
        let result = self.deep(o, n, raw, key.2, depth, &mut found);
        self.in_progress.pop();
        let hit = self.lowest_hit;
        self.lowest_hit = outer.min(hit);
        result?;
        if hit >= index {
            self.cache.insert(key, Rc::new(found.clone()));
        }
        out.extend(found);
        check_count(out)
    }

    /// Properties, `additionalProperties`, items, union members.
    fn deep(
        &mut self,
        o: &View<'a>,
        n: &View<'a>,
        raw: (&'a Value, &'a Value),
        dir: Direction,
        depth: usize,
        out: &mut Vec<SchemaChange>,
    ) -> Result<(), DiffError> {
        if !o.union.is_empty() || !n.union.is_empty() {
            return self.unions(o, n, raw, dir, depth, out);
        }
        self.properties(o, n, dir, depth, out)?;
        let (a, b) = (
            o.additional.unwrap_or(Additional::Any),
            n.additional.unwrap_or(Additional::Any),
        );
        match (a, b) {
            (Additional::Schema(x), Additional::Schema(y)) => {
                let found = self.node(x, y, dir, depth + 1)?;
                nest(out, found, Seg::Values)?;
            }
            (Additional::Any, Additional::Any) | (Additional::Never, Additional::Never) => {}
            (Additional::Any, _) | (Additional::Schema(_), Additional::Never) => push(
                out,
                &rules::ADDITIONAL_PROPERTIES_NARROWED,
                dir,
                format!("additional properties: {} (was {})", extra(b), extra(a)),
            ),
            (Additional::Never, _) | (Additional::Schema(_), Additional::Any) => push(
                out,
                &rules::ADDITIONAL_PROPERTIES_WIDENED,
                dir,
                format!("additional properties: {} (was {})", extra(b), extra(a)),
            ),
        }
        if let (Some(x), Some(y)) = (o.items, n.items) {
            let found = self.node(x, y, dir, depth + 1)?;
            nest(out, found, Seg::Items)?;
        }
        Ok(())
    }

    fn properties(
        &mut self,
        o: &View<'a>,
        n: &View<'a>,
        dir: Direction,
        depth: usize,
        out: &mut Vec<SchemaChange>,
    ) -> Result<(), DiffError> {
        // A read-only property is not part of a request, a write-only one of a response.
        let hidden = match dir {
            Direction::Request => "readOnly",
            Direction::Response => "writeOnly",
        };
        let new_props: HashMap<&str, &Value> = n
            .properties
            .iter()
            .filter(|(_, s)| !view::flag(s, hidden))
            .map(|(name, s)| (*name, *s))
            .collect();
        let mut old_names = HashSet::new();
        for (name, old_schema) in o.properties.iter().filter(|(_, s)| !view::flag(s, hidden)) {
            old_names.insert(*name);
            let was_required = o.required.contains(name);
            let Some(new_schema) = new_props.get(name) else {
                let rule = match dir {
                    Direction::Request => &rules::REQUEST_PROPERTY_REMOVED,
                    Direction::Response => &rules::RESPONSE_PROPERTY_REMOVED,
                };
                let mut found = Vec::new();
                push(&mut found, rule, dir, "removed".into());
                nest(out, found, Seg::Prop(name.to_string()))?;
                continue;
            };
            let mut found = Vec::new();
            let is_required = n.required.contains(name);
            if was_required != is_required {
                let (rule, message) = match (dir, is_required) {
                    (Direction::Request, true) => {
                        (&rules::REQUEST_PROPERTY_BECAME_REQUIRED, "became required")
                    }
                    (Direction::Request, false) => {
                        (&rules::REQUEST_PROPERTY_BECAME_OPTIONAL, "became optional")
                    }
                    (Direction::Response, false) => (
                        &rules::RESPONSE_PROPERTY_BECAME_OPTIONAL,
                        "became optional: it may be absent",
                    ),
                    (Direction::Response, true) => (
                        &rules::RESPONSE_PROPERTY_BECAME_REQUIRED,
                        "became required: it is always present",
                    ),
                };
                push(&mut found, rule, dir, message.into());
            }
            found.extend(self.node(old_schema, new_schema, dir, depth + 1)?);
            nest(out, found, Seg::Prop(name.to_string()))?;
        }
        for (name, _) in n.properties.iter().filter(|(_, s)| !view::flag(s, hidden)) {
            if old_names.contains(name) {
                continue;
            }
            let (rule, message) = match (dir, n.required.contains(name)) {
                (Direction::Request, true) => {
                    (&rules::REQUEST_PROPERTY_ADDED_REQUIRED, "added, required")
                }
                (Direction::Request, false) => (&rules::REQUEST_PROPERTY_ADDED, "added, optional"),
                (Direction::Response, _) => (&rules::RESPONSE_PROPERTY_ADDED, "added"),
            };
            let mut found = Vec::new();
            push(&mut found, rule, dir, message.into());
            nest(out, found, Seg::Prop(name.to_string()))?;
        }
        Ok(())
    }

    /// `oneOf`/`anyOf` members, matched by `$ref`, then by equal inline schemas, then the
    /// remaining inline ones in order. A side without a union counts as a union of itself.
    fn unions(
        &mut self,
        o: &View<'a>,
        n: &View<'a>,
        raw: (&'a Value, &'a Value),
        dir: Direction,
        depth: usize,
        out: &mut Vec<SchemaChange>,
    ) -> Result<(), DiffError> {
        let olds = if o.union.is_empty() {
            vec![raw.0]
        } else {
            o.union.clone()
        };
        let news = if n.union.is_empty() {
            vec![raw.1]
        } else {
            n.union.clone()
        };
        let kind = if n.union.is_empty() {
            o.union_kind
        } else {
            n.union_kind
        };
        let old_keys: Vec<MemberKey> = olds.iter().map(|m| member_key(m)).collect();
        let new_keys: Vec<MemberKey> = news.iter().map(|m| member_key(m)).collect();
        let mut by_key: HashMap<&MemberKey, Vec<usize>> = HashMap::new();
        for (j, key) in new_keys.iter().enumerate().rev() {
            by_key.entry(key).or_default().push(j);
        }
        let mut pairs = Vec::new();
        let mut old_left = Vec::new();
        let mut new_used = vec![false; news.len()];
        for (i, key) in old_keys.iter().enumerate() {
            match by_key.get_mut(key).and_then(Vec::pop) {
                Some(j) => {
                    new_used[j] = true;
                    pairs.push((i, j));
                }
                None => old_left.push(i),
            }
        }
        // Inline members that changed: paired in order.
        let mut new_inline = (0..news.len())
            .filter(|j| !new_used[*j] && matches!(new_keys[*j], MemberKey::Inline(_)))
            .collect::<Vec<_>>()
            .into_iter();
        let mut removed = Vec::new();
        for i in old_left {
            match (&old_keys[i], new_inline.next()) {
                (MemberKey::Inline(_), Some(j)) => {
                    new_used[j] = true;
                    pairs.push((i, j));
                }
                _ => removed.push(i),
            }
        }
        pairs.sort_unstable();
        for (i, j) in pairs {
            let found = self.node(olds[i], news[j], dir, depth + 1)?;
            nest(out, found, Seg::Member(label(&new_keys[j], j)))?;
        }
        for i in removed {
            push(
                out,
                &rules::UNION_MEMBER_REMOVED,
                dir,
                format!("{kind} member {} removed", label(&old_keys[i], i)),
            );
        }
        for (j, used) in new_used.iter().enumerate() {
            if !used {
                push(
                    out,
                    &rules::UNION_MEMBER_ADDED,
                    dir,
                    format!("{kind} member {} added", label(&new_keys[j], j)),
                );
            }
        }
        check_count(out)
    }
}

#[derive(Debug, PartialEq, Eq, Hash)]
enum MemberKey {
    Ref(String),
    Inline(String),
}

/// A union member's identity: the component it names (through `allOf: [$ref]` and
/// nullable wrappers), else its text.
fn member_key(member: &Value) -> MemberKey {
    let mut m = member;
    for _ in 0..8 {
        if let Some(reference) = m.get("$ref").and_then(Value::as_str) {
            return MemberKey::Ref(reference.to_string());
        }
        let single = ["allOf", "oneOf", "anyOf"].iter().find_map(|kind| {
            let members = m.get(kind)?.as_array()?;
            let mut others = members.iter().filter(|x| !view::is_null_schema(x));
            match (others.next(), others.next()) {
                (Some(one), None) => Some(one),
                _ => None,
            }
        });
        match single {
            Some(inner) => m = inner,
            None => break,
        }
    }
    MemberKey::Inline(serde_json::to_string(member).unwrap_or_default())
}

fn label(key: &MemberKey, index: usize) -> String {
    match key {
        MemberKey::Ref(reference) => format!("`{}`", super::refs::short_name(reference)),
        MemberKey::Inline(_) => format!("#{index}"),
    }
}

fn extra(a: Additional<'_>) -> &'static str {
    match a {
        Additional::Any => "allowed",
        Additional::Never => "forbidden",
        Additional::Schema(_) => "constrained by a schema",
    }
}

/// Adds the changes `found` inside `seg` to `out`.
fn nest(out: &mut Vec<SchemaChange>, found: Vec<SchemaChange>, seg: Seg) -> Result<(), DiffError> {
    for mut change in found {
        change.path.push(seg.clone());
        out.push(change);
    }
    check_count(out)
}

fn check_count(out: &[SchemaChange]) -> Result<(), DiffError> {
    if out.len() > MAX_CHANGES {
        return Err(DiffError::TooManyChanges { limit: MAX_CHANGES });
    }
    Ok(())
}
