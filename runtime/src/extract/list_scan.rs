//! Finds a JSON body's over-long lists without reading the body into memory: a model's
//! lists with a `max_items` are counted as the JSON streams past, so 650,000 items sent to
//! a list of at most 256 cost one error and no memory, not a 90 MB tree to walk.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::error::{Loc, ValidationErrors, MAX_INPUT_ENTRIES};

/// The `too_long` errors of the top-level fields of `text` named in `limits` whose list is
/// longer than its limit; `None` when none is (or the body is not a JSON object).
pub(crate) fn oversized_lists(
    text: &str,
    limits: &[(&str, usize)],
    loc: &Loc,
) -> Option<ValidationErrors> {
    let mut de = serde_json::Deserializer::from_str(text);
    let found = de.deserialize_map(TopLevel { limits }).ok()?;
    if found.is_empty() {
        return None;
    }
    let mut errors = ValidationErrors::new();
    for (field, max, count, first) in found {
        let input = Value::Array(first);
        errors.extend(crate::validate::generated::list_too_long(
            count,
            max,
            loc.join(field.to_string()),
            &input,
        ));
    }
    Some(errors)
}

type Found<'l> = Vec<(&'l str, usize, usize, Vec<Value>)>;

struct TopLevel<'l> {
    limits: &'l [(&'l str, usize)],
}

impl<'de, 'l> Visitor<'de> for TopLevel<'l> {
    type Value = Found<'l>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Found<'l>, A::Error> {
        let mut found = Vec::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match self.limits.iter().find(|(name, _)| *name == key) {
                Some(&(name, max)) => {
                    if let Some((count, first)) = map.next_value_seed(Count)? {
                        if count > max {
                            found.push((name, max, count, first));
                        }
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(found)
    }
}

/// A list's length and its first entries (what an error echoes); `None` for anything else.
struct Count;

impl<'de> DeserializeSeed<'de> for Count {
    type Value = Option<(usize, Vec<Value>)>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Count {
    type Value = Option<(usize, Vec<Value>)>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut first = Vec::new();
        let mut count = 0;
        while count < MAX_INPUT_ENTRIES {
            match seq.next_element::<Value>()? {
                Some(v) => first.push(v),
                None => return Ok(Some((count, first))),
            }
            count += 1;
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {
            count += 1;
        }
        Ok(Some((count, first)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_lists_without_keeping_them() {
        let items: Vec<String> = (0..1000).map(|i| format!("{{\"x\":{i}}}")).collect();
        let text = format!(
            r#"{{"name":"a","items":[{}],"tags":"not a list"}}"#,
            items.join(",")
        );
        let limits = [("items", 10), ("tags", 2)];
        let errors = oversized_lists(&text, &limits, &Loc::body()).unwrap();
        assert_eq!(errors.0.len(), 1);
        let e = serde_json::to_value(&errors.0[0]).unwrap();
        assert_eq!(e["type"], "too_long");
        assert_eq!(e["loc"], serde_json::json!(["body", "items"]));
        assert_eq!(e["input"].as_array().unwrap().len(), MAX_INPUT_ENTRIES);
        assert!(e["msg"].as_str().unwrap().contains("not 1000"), "{e}");
        // Within the limit, or not an object: nothing to say.
        assert!(oversized_lists(&text, &[("items", 1000)], &Loc::body()).is_none());
        assert!(oversized_lists("[1,2,3]", &limits, &Loc::body()).is_none());
        assert!(oversized_lists("{\"items\": [1,", &limits, &Loc::body()).is_none());
    }
}
