//! Comparing the operations of two documents: which exist, their parameters, request
//! bodies, responses and security requirements. Schemas are left to `schema`.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::found::SchemaChange;
use super::refs::resolve;
use super::rules::{self, Direction, Rule};
use super::schema::Schemas;
use super::security;
use super::{Change, DiffError, Side, MAX_CHANGES};

/// The methods of a path item (3.2's `query` included).
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
];

/// `/items/{id}` and `/items/{item_id}` name the same operation: `/items/{}`.
pub(super) fn normalize_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if !in_param => out.push(c),
            _ => {}
        }
    }
    out
}

/// The parameter names of a path template, in order.
fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
        .collect()
}

struct Op<'a> {
    method: &'static str,
    path: &'a str,
    item: &'a Value,
    op: &'a Value,
}

impl Op<'_> {
    fn label(&self) -> String {
        format!("{} {}", self.method.to_ascii_uppercase(), self.path)
    }
}

fn operations(doc: &Value, side: Side) -> Result<Vec<Op<'_>>, DiffError> {
    let mut ops = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Ok(ops);
    };
    for (path, item) in paths {
        let item = resolve(doc, side, item)?;
        for method in METHODS {
            if let Some(op) = item.get(*method).filter(|o| o.is_object()) {
                ops.push(Op {
                    method,
                    path,
                    item,
                    op,
                });
            }
        }
    }
    Ok(ops)
}

/// Every change from `old` to `new` (both checked to be OpenAPI 3 documents).
pub(super) fn compare(old: &Value, new: &Value) -> Result<Vec<Change>, DiffError> {
    let old_ops = operations(old, Side::Old)?;
    let new_ops = operations(new, Side::New)?;
    let mut index = HashMap::new();
    for (j, op) in new_ops.iter().enumerate() {
        index
            .entry((op.method, normalize_path(op.path)))
            .or_insert(j);
    }
    let mut d = Differ {
        old,
        new,
        schemas: Schemas::new(old, new),
        out: Vec::new(),
    };
    let mut matched = vec![false; new_ops.len()];
    for o in &old_ops {
        match index.get(&(o.method, normalize_path(o.path))) {
            Some(&j) if !matched[j] => {
                matched[j] = true;
                d.operation(o, &new_ops[j])?;
            }
            _ => d.push(
                Some(&o.label()),
                &rules::OPERATION_REMOVED,
                "operation",
                "removed".into(),
            )?,
        }
    }
    for (n, _) in new_ops.iter().zip(&matched).filter(|(_, m)| !**m) {
        d.push(
            Some(&n.label()),
            &rules::OPERATION_ADDED,
            "operation",
            "added".into(),
        )?;
    }
    d.security_schemes(&new_ops)?;
    Ok(d.out)
}

struct Differ<'a> {
    old: &'a Value,
    new: &'a Value,
    schemas: Schemas<'a>,
    out: Vec<Change>,
}

/// A parameter, keyed by where it is and its name (a header's without case; a path
/// parameter's by its place in the template, so renaming it keeps it).
struct Param<'a> {
    key: (String, String),
    location: &'a str,
    name: &'a str,
    value: &'a Value,
}

impl<'a> Param<'a> {
    fn place(&self) -> String {
        format!("{} parameter \"{}\"", self.location, self.name)
    }

    fn required(&self) -> bool {
        self.location == "path" || self.value.get("required") == Some(&Value::Bool(true))
    }

    fn schema(&self) -> Option<&'a Value> {
        self.value.get("schema").or_else(|| {
            let (_, media) = self.value.get("content")?.as_object()?.iter().next()?;
            media.get("schema")
        })
    }

    /// `style` and `explode`, defaults filled in.
    fn serialization(&self) -> (&str, bool) {
        let style =
            self.value
                .get("style")
                .and_then(Value::as_str)
                .unwrap_or(match self.location {
                    "query" | "cookie" => "form",
                    _ => "simple",
                });
        let explode = self
            .value
            .get("explode")
            .and_then(Value::as_bool)
            .unwrap_or(style == "form");
        (style, explode)
    }
}

fn parameters<'a>(doc: &'a Value, side: Side, op: &Op<'a>) -> Result<Vec<Param<'a>>, DiffError> {
    let names = template_names(op.path);
    let mut list: Vec<Param<'a>> = Vec::new();
    let mut at: HashMap<(String, String), usize> = HashMap::new();
    // Path-level parameters first; the operation's replace those with the same key.
    for source in [op.item.get("parameters"), op.op.get("parameters")] {
        for p in source.and_then(Value::as_array).into_iter().flatten() {
            let value = resolve(doc, side, p)?;
            let (Some(name), Some(location)) = (
                value.get("name").and_then(Value::as_str),
                value.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let ident = match location {
                "path" => match names.iter().position(|n| *n == name) {
                    Some(i) => format!("#{i}"),
                    None => name.to_string(),
                },
                "header" => name.to_ascii_lowercase(),
                _ => name.to_string(),
            };
            let key = (location.to_string(), ident);
            let param = Param {
                key: key.clone(),
                location,
                name,
                value,
            };
            match at.get(&key) {
                Some(&i) => list[i] = param,
                None => {
                    at.insert(key, list.len());
                    list.push(param);
                }
            }
        }
    }
    Ok(list)
}

/// The media types of a `content` object, lower-cased.
fn media_types(content: Option<&Value>) -> Vec<(String, &Value)> {
    content
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect()
}

fn text<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str)
}

impl<'a> Differ<'a> {
    fn push(
        &mut self,
        op: Option<&str>,
        rule: &'static Rule,
        location: &str,
        message: String,
    ) -> Result<(), DiffError> {
        let breaking = rule.breaks(Direction::Request);
        self.push_as(op, rule, breaking, location.to_string(), message)
    }

    fn push_as(
        &mut self,
        op: Option<&str>,
        rule: &'static Rule,
        breaking: bool,
        location: String,
        message: String,
    ) -> Result<(), DiffError> {
        if self.out.len() >= MAX_CHANGES {
            return Err(DiffError::TooManyChanges { limit: MAX_CHANGES });
        }
        self.out.push(Change {
            rule: rule.id,
            breaking,
            allowed: false,
            operation: op.map(String::from),
            location,
            message,
        });
        Ok(())
    }

    fn push_schema(
        &mut self,
        op: &str,
        base: &str,
        found: Vec<SchemaChange>,
    ) -> Result<(), DiffError> {
        for change in found {
            let location = change.location(base);
            self.push_as(
                Some(op),
                change.rule,
                change.breaking,
                location,
                change.message,
            )?;
        }
        Ok(())
    }

    fn operation(&mut self, o: &Op<'a>, n: &Op<'a>) -> Result<(), DiffError> {
        let label = n.label();
        if template_names(o.path) != template_names(n.path) {
            let message = format!("`{}` is now `{}`", o.path, n.path);
            self.push(
                Some(&label),
                &rules::PATH_PARAMETER_RENAMED,
                "path",
                message,
            )?;
        }
        let deprecated = |op: &Value| op.get("deprecated") == Some(&Value::Bool(true));
        if !deprecated(o.op) && deprecated(n.op) {
            self.push(
                Some(&label),
                &rules::OPERATION_DEPRECATED,
                "operation",
                "deprecated".into(),
            )?;
        }
        if let (Some(a), Some(b)) = (text(o.op, "operationId"), text(n.op, "operationId")) {
            if a != b {
                let message = format!("`{a}` -> `{b}`");
                self.push(
                    Some(&label),
                    &rules::OPERATION_ID_CHANGED,
                    "operationId",
                    message,
                )?;
            }
        }
        for key in ["summary", "description"] {
            if o.op.get(key) != n.op.get(key) {
                self.push(
                    Some(&label),
                    &rules::DOCUMENTATION_CHANGED,
                    key,
                    "changed".into(),
                )?;
            }
        }
        self.parameters(o, n, &label)?;
        self.request_body(o, n, &label)?;
        self.responses(o, n, &label)?;
        self.security(o, n, &label)
    }

    fn parameters(&mut self, o: &Op<'a>, n: &Op<'a>, label: &str) -> Result<(), DiffError> {
        let olds = parameters(self.old, Side::Old, o)?;
        let news = parameters(self.new, Side::New, n)?;
        let index: HashMap<&(String, String), usize> =
            news.iter().enumerate().map(|(j, p)| (&p.key, j)).collect();
        let mut matched = vec![false; news.len()];
        for p in &olds {
            match index.get(&p.key) {
                Some(&j) => {
                    matched[j] = true;
                    self.parameter(label, p, &news[j])?;
                }
                None => self.push(
                    Some(label),
                    &rules::PARAMETER_REMOVED,
                    &p.place(),
                    "removed".into(),
                )?,
            }
        }
        for (p, _) in news.iter().zip(&matched).filter(|(_, m)| !**m) {
            let (rule, message) = if p.required() {
                (&rules::REQUIRED_PARAMETER_ADDED, "added, required")
            } else {
                (&rules::OPTIONAL_PARAMETER_ADDED, "added, optional")
            };
            self.push(Some(label), rule, &p.place(), message.into())?;
        }
        Ok(())
    }

    fn parameter(&mut self, label: &str, o: &Param<'a>, n: &Param<'a>) -> Result<(), DiffError> {
        let place = n.place();
        match (o.required(), n.required()) {
            (false, true) => self.push(
                Some(label),
                &rules::PARAMETER_BECAME_REQUIRED,
                &place,
                "became required".into(),
            )?,
            (true, false) => self.push(
                Some(label),
                &rules::PARAMETER_BECAME_OPTIONAL,
                &place,
                "became optional".into(),
            )?,
            _ => {}
        }
        let deprecated = |p: &Param<'_>| p.value.get("deprecated") == Some(&Value::Bool(true));
        if !deprecated(o) && deprecated(n) {
            self.push(
                Some(label),
                &rules::PARAMETER_DEPRECATED,
                &place,
                "deprecated".into(),
            )?;
        }
        if o.value.get("description") != n.value.get("description") {
            self.push(
                Some(label),
                &rules::DOCUMENTATION_CHANGED,
                &place,
                "description changed".into(),
            )?;
        }
        let (os, ns) = (o.serialization(), n.serialization());
        if os != ns {
            let message = format!(
                "style {}, explode {} -> style {}, explode {}",
                os.0, os.1, ns.0, ns.1
            );
            self.push(
                Some(label),
                &rules::PARAMETER_SERIALIZATION_CHANGED,
                &place,
                message,
            )?;
        }
        if let (Some(a), Some(b)) = (o.schema(), n.schema()) {
            let mut found = self.schemas.compare(a, b, Direction::Request)?;
            for change in &mut found {
                if change.path.is_empty() && change.rule.id == rules::TYPE_CHANGED.id {
                    change.rule = &rules::PARAMETER_TYPE_CHANGED;
                }
            }
            self.push_schema(label, &place, found)?;
        }
        Ok(())
    }

    fn request_body(&mut self, o: &Op<'a>, n: &Op<'a>, label: &str) -> Result<(), DiffError> {
        let ob =
            o.op.get("requestBody")
                .map(|b| resolve(self.old, Side::Old, b))
                .transpose()?;
        let nb =
            n.op.get("requestBody")
                .map(|b| resolve(self.new, Side::New, b))
                .transpose()?;
        let required = |b: &Value| b.get("required") == Some(&Value::Bool(true));
        let place = "request body";
        match (ob, nb) {
            (None, None) => Ok(()),
            (Some(_), None) => self.push(
                Some(label),
                &rules::REQUEST_BODY_REMOVED,
                place,
                "removed".into(),
            ),
            (None, Some(b)) if required(b) => self.push(
                Some(label),
                &rules::REQUEST_BODY_BECAME_REQUIRED,
                place,
                "added, required".into(),
            ),
            (None, Some(_)) => self.push(
                Some(label),
                &rules::REQUEST_BODY_ADDED,
                place,
                "added, optional".into(),
            ),
            (Some(a), Some(b)) => {
                match (required(a), required(b)) {
                    (false, true) => self.push(
                        Some(label),
                        &rules::REQUEST_BODY_BECAME_REQUIRED,
                        place,
                        "became required".into(),
                    )?,
                    (true, false) => self.push(
                        Some(label),
                        &rules::REQUEST_BODY_BECAME_OPTIONAL,
                        place,
                        "became optional".into(),
                    )?,
                    _ => {}
                }
                if a.get("description") != b.get("description") {
                    self.push(
                        Some(label),
                        &rules::DOCUMENTATION_CHANGED,
                        place,
                        "description changed".into(),
                    )?;
                }
                let media = (
                    &rules::REQUEST_MEDIA_TYPE_REMOVED,
                    &rules::REQUEST_MEDIA_TYPE_ADDED,
                );
                self.content(label, place, a, b, Direction::Request, media)
            }
        }
    }

    /// The media types of a body and their schemas.
    fn content(
        &mut self,
        label: &str,
        place: &str,
        a: &'a Value,
        b: &'a Value,
        dir: Direction,
        (removed, added): (&'static Rule, &'static Rule),
    ) -> Result<(), DiffError> {
        let olds = media_types(a.get("content"));
        let news = media_types(b.get("content"));
        let index: HashMap<&str, &Value> = news.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        for (media, om) in &olds {
            let Some(nm) = index.get(media.as_str()) else {
                self.push(Some(label), removed, place, format!("`{media}` removed"))?;
                continue;
            };
            let base = if media == "application/json" {
                place.to_string()
            } else {
                format!("{place} ({media})")
            };
            // The body's schema; 3.2's `itemSchema`, one item of a stream.
            for (key, suffix) in [("schema", ""), ("itemSchema", " item")] {
                if let (Some(os), Some(ns)) = (om.get(key), nm.get(key)) {
                    let found = self.schemas.compare(os, ns, dir)?;
                    self.push_schema(label, &format!("{base}{suffix}"), found)?;
                }
            }
        }
        let old_set: HashSet<&str> = olds.iter().map(|(k, _)| k.as_str()).collect();
        for (media, _) in news.iter().filter(|(k, _)| !old_set.contains(k.as_str())) {
            self.push(Some(label), added, place, format!("`{media}` added"))?;
        }
        Ok(())
    }

    fn responses(&mut self, o: &Op<'a>, n: &Op<'a>, label: &str) -> Result<(), DiffError> {
        let statuses = |op: &'a Value| -> Vec<(String, &'a Value)> {
            let map = op.get("responses").and_then(Value::as_object);
            map.into_iter()
                .flatten()
                .map(|(k, v)| (k.to_ascii_uppercase(), v))
                .collect()
        };
        let (olds, news) = (statuses(o.op), statuses(n.op));
        let index: HashMap<&str, &Value> = news.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        for (status, or) in &olds {
            let place = format!("response {status}");
            let Some(nr) = index.get(status.as_str()) else {
                let rule = if status.starts_with(['1', '2', '3']) {
                    &rules::RESPONSE_STATUS_REMOVED
                } else {
                    &rules::RESPONSE_ERROR_STATUS_REMOVED
                };
                self.push(Some(label), rule, &place, "removed".into())?;
                continue;
            };
            let or = resolve(self.old, Side::Old, or)?;
            let nr = resolve(self.new, Side::New, nr)?;
            if or.get("description") != nr.get("description") {
                self.push(
                    Some(label),
                    &rules::DOCUMENTATION_CHANGED,
                    &place,
                    "description changed".into(),
                )?;
            }
            let media = (
                &rules::RESPONSE_MEDIA_TYPE_REMOVED,
                &rules::RESPONSE_MEDIA_TYPE_ADDED,
            );
            self.content(label, &place, or, nr, Direction::Response, media)?;
            self.headers(label, &place, or, nr)?;
        }
        let old_set: HashSet<&str> = olds.iter().map(|(k, _)| k.as_str()).collect();
        for (status, _) in news.iter().filter(|(k, _)| !old_set.contains(k.as_str())) {
            self.push(
                Some(label),
                &rules::RESPONSE_STATUS_ADDED,
                &format!("response {status}"),
                "added".into(),
            )?;
        }
        Ok(())
    }

    fn headers(
        &mut self,
        label: &str,
        place: &str,
        a: &'a Value,
        b: &'a Value,
    ) -> Result<(), DiffError> {
        let headers = |r: &'a Value| -> Vec<(String, &'a str, &'a Value)> {
            let map = r.get("headers").and_then(Value::as_object);
            map.into_iter()
                .flatten()
                .map(|(k, v)| (k.to_ascii_lowercase(), k.as_str(), v))
                .collect()
        };
        let (olds, news) = (headers(a), headers(b));
        let index: HashMap<&str, &Value> = news.iter().map(|(k, _, v)| (k.as_str(), *v)).collect();
        for (key, name, oh) in &olds {
            let at = format!("{place}: header \"{name}\"");
            let Some(nh) = index.get(key.as_str()) else {
                self.push(
                    Some(label),
                    &rules::RESPONSE_HEADER_REMOVED,
                    &at,
                    "removed".into(),
                )?;
                continue;
            };
            let oh = resolve(self.old, Side::Old, oh)?;
            let nh = resolve(self.new, Side::New, nh)?;
            if let (Some(os), Some(ns)) = (oh.get("schema"), nh.get("schema")) {
                let found = self.schemas.compare(os, ns, Direction::Response)?;
                self.push_schema(label, &at, found)?;
            }
        }
        let old_set: HashSet<&str> = olds.iter().map(|(k, _, _)| k.as_str()).collect();
        for (_, name, _) in news
            .iter()
            .filter(|(k, _, _)| !old_set.contains(k.as_str()))
        {
            let at = format!("{place}: header \"{name}\"");
            self.push(
                Some(label),
                &rules::RESPONSE_HEADER_ADDED,
                &at,
                "added".into(),
            )?;
        }
        Ok(())
    }

    fn security(&mut self, o: &Op<'a>, n: &Op<'a>, label: &str) -> Result<(), DiffError> {
        for (rule, message) in security::compare(self.old, self.new, o.op, n.op) {
            self.push(Some(label), rule, "security", message)?;
        }
        Ok(())
    }

    fn security_schemes(&mut self, new_ops: &[Op<'a>]) -> Result<(), DiffError> {
        let used = new_ops.iter().map(|op| op.op);
        for (name, message) in security::schemes(self.old, self.new, used)? {
            let place = format!("security scheme \"{name}\"");
            self.push(None, &rules::SECURITY_SCHEME_CHANGED, &place, message)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{normalize_path, template_names};

    #[test]
    fn templates_are_compared_without_parameter_names() {
        assert_eq!(normalize_path("/items/{id}"), "/items/{}");
        assert_eq!(
            normalize_path("/items/{item_id}"),
            normalize_path("/items/{id}")
        );
        assert_eq!(normalize_path("/a/{x}/b/{y}.json"), "/a/{}/b/{}.json");
        assert_eq!(normalize_path("/plain/"), "/plain/");
        assert_eq!(template_names("/a/{x}/b/{y}"), ["x", "y"]);
        assert!(template_names("/a/").is_empty());
    }
}
