//! Models read from text key/value pairs: the engine behind [`Query<T>`](super::query::Query)
//! and [`Form<T>`](super::form::Form).
//!
//! The model's JSON Schema says each field's type; values are converted with the same lax
//! rules as scalar parameters (`"10.0"` is 10, `"yes"` is true), repeated keys fill list
//! fields, and the model's own validation then reports every problem at its location.

use std::any::TypeId;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::Rejection;
use crate::error::{Loc, LocItem, ValidationError, ValidationErrors};
use crate::extract::param::{parse_lax_float, parse_lax_int, ParamValue};
use crate::spec::DocCtx;
use crate::validate::Validate;

/// How one field of a model is read from text values.
#[derive(Debug, Clone)]
pub struct FieldPlan {
    /// The field's name on the wire.
    pub name: String,
    kind: Kind,
    /// True for list fields (repeated keys).
    pub list: bool,
    /// True when the field must be present.
    pub required: bool,
    /// The field's schema (references resolved).
    pub schema: Value,
    /// The field's description.
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Integer,
    Number,
    Boolean,
    Text,
}

type Plans = RwLock<HashMap<TypeId, Arc<Vec<FieldPlan>>>>;

fn plans() -> &'static Plans {
    static PLANS: OnceLock<Plans> = OnceLock::new();
    PLANS.get_or_init(Default::default)
}

pub(crate) fn resolve<'a>(schema: &'a Value, ctx: &'a DocCtx) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => r
            .strip_prefix("#/components/schemas/")
            .and_then(|n| ctx.schemas.get(n))
            .map(|s| s.as_value())
            .unwrap_or(schema),
        None => schema,
    }
}

fn non_null<'a>(schema: &'a Value, ctx: &'a DocCtx) -> &'a Value {
    let schema = resolve(schema, ctx);
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(items)) = schema.get(key) {
            if let Some(v) = items
                .iter()
                .find(|s| s.get("type") != Some(&Value::from("null")))
            {
                return resolve(v, ctx);
            }
        }
    }
    if let Some(Value::Array(types)) = schema.get("type") {
        if types.iter().any(|t| t == "null") {
            return schema;
        }
    }
    schema
}

fn kind_of(schema: &Value) -> Kind {
    let ty = match schema.get("type") {
        Some(Value::String(s)) => s.as_str(),
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("string"),
        _ => "string",
    };
    match ty {
        "integer" => Kind::Integer,
        "number" => Kind::Number,
        "boolean" => Kind::Boolean,
        _ => Kind::Text,
    }
}

/// The plan for model `T`, computed once from its schema.
pub fn plan<T: crate::ToSchema + 'static>() -> Arc<Vec<FieldPlan>> {
    let id = TypeId::of::<T>();
    if let Some(p) = plans().read().expect("plans lock").get(&id) {
        return p.clone();
    }
    let mut ctx = DocCtx::default();
    let top = ctx.schema_of::<T>();
    let obj = resolve(&top, &ctx).clone();
    let required: Vec<String> = obj
        .get("required")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    let mut out = Vec::new();
    if let Some(Value::Object(props)) = obj.get("properties") {
        for (name, prop) in props {
            let inner = non_null(prop, &ctx);
            let list = inner.get("type") == Some(&Value::from("array"));
            let item = if list {
                inner
                    .get("items")
                    .map(|i| non_null(i, &ctx))
                    .unwrap_or(inner)
            } else {
                inner
            };
            let mut schema = resolve(prop, &ctx).clone();
            if let Value::Object(m) = &mut schema {
                m.remove("description");
            }
            out.push(FieldPlan {
                name: name.clone(),
                kind: kind_of(item),
                list,
                required: required.contains(name),
                schema,
                description: prop
                    .get("description")
                    .and_then(Value::as_str)
                    .map(String::from),
            });
        }
    }
    let p = Arc::new(out);
    plans().write().expect("plans lock").insert(id, p.clone());
    p
}

fn convert(raw: &str, kind: Kind) -> Result<Value, crate::error::Problem> {
    Ok(match kind {
        Kind::Integer => match parse_lax_int(raw)? {
            v if i64::try_from(v).is_ok() => Value::from(v as i64),
            v => Value::from(v as f64),
        },
        Kind::Number => serde_json::Number::from_f64(parse_lax_float(raw)?)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        Kind::Boolean => Value::Bool(<bool as ParamValue>::parse(raw)?),
        Kind::Text => Value::String(raw.to_string()),
    })
}

/// Builds `T` from text values: `values(name)` gives every value sent for a field, in
/// order. Errors are located under `source` (`"query"` or `"body"`); each field is checked
/// on its own, as FastAPI checks separate parameters: a missing field's `input` is `null`,
/// and a refused value's `input` is the text that was sent.
pub fn from_values<'a, T, F>(values: F, source: &'static str) -> Result<T, Rejection>
where
    T: DeserializeOwned + Validate + crate::ToSchema + 'static,
    F: Fn(&str) -> Vec<&'a str>,
{
    build::<T, F>(values, source, None)
}

/// Builds `T` from every `(name, value)` pair received, as pydantic validates a model made
/// of them (FastAPI's `Annotated[Model, Form()]`): like [`from_values`], except that a
/// missing field's `input` is the whole received object (`{"rating": "abc"}`), unknown
/// names included.
pub fn from_pairs<T>(pairs: &[(String, String)], source: &'static str) -> Result<T, Rejection>
where
    T: DeserializeOwned + Validate + crate::ToSchema + 'static,
{
    let plan = plan::<T>();
    let mut raw = Map::new();
    for f in plan.iter() {
        let mut sent = pairs.iter().filter(|(k, _)| *k == f.name).map(|(_, v)| v);
        if f.list {
            let all: Vec<Value> = sent.map(|v| Value::String(v.clone())).collect();
            if !all.is_empty() {
                raw.insert(f.name.clone(), Value::Array(all));
            }
        } else if let Some(last) = sent.next_back() {
            raw.insert(f.name.clone(), Value::String(last.clone()));
        }
    }
    for (k, v) in pairs {
        if !plan.iter().any(|f| f.name == *k) {
            raw.insert(k.clone(), Value::String(v.clone()));
        }
    }
    build::<T, _>(
        |name| {
            pairs
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect()
        },
        source,
        Some(Value::Object(raw)),
    )
}

/// The engine of [`from_values`] and [`from_pairs`]: `model_input` is the object reported
/// as a missing field's input (`None`: `null`, each field on its own).
fn build<'a, T, F>(
    values: F,
    source: &'static str,
    model_input: Option<Value>,
) -> Result<T, Rejection>
where
    T: DeserializeOwned + Validate + crate::ToSchema + 'static,
    F: Fn(&str) -> Vec<&'a str>,
{
    let mut obj = Map::new();
    let mut errors = ValidationErrors::new();
    let loc = Loc(vec![source.into()]);
    let plan = plan::<T>();
    let mut sent: Vec<Vec<&'a str>> = Vec::with_capacity(plan.len());
    for f in plan.iter() {
        let values = values(&f.name);
        if values.is_empty() {
            // Separate fields: reported here with FastAPI's `input: null`. A model's
            // missing fields are found by its own check below, in field order.
            if f.required && model_input.is_none() {
                errors.push(ValidationError::missing(loc.join(f.name.clone())));
            }
            sent.push(values);
            continue;
        }
        // A value that does not convert is kept as text: the model's own check then
        // reports it with pydantic's error, next to every other field's.
        let conv = |raw: &str| convert(raw, f.kind).unwrap_or_else(|_| Value::String(raw.into()));
        if f.list {
            obj.insert(
                f.name.clone(),
                Value::Array(values.iter().map(|r| conv(r)).collect()),
            );
        } else {
            obj.insert(f.name.clone(), conv(values[values.len() - 1]));
        }
        sent.push(values);
    }
    let value = Value::Object(obj);
    let result = match serde_json::from_value::<T>(value.clone()) {
        Ok(v) => {
            v.validate(&crate::error::At::Root(&loc), &mut errors);
            match errors.into_result() {
                Ok(()) => return Ok(v),
                Err(e) => e,
            }
        }
        Err(_) => {
            let mut found = ValidationErrors::new();
            T::validate_value(&value, &loc, &mut found);
            let reported: Vec<Loc> = errors.0.iter().map(|e| e.loc.clone()).collect();
            errors.extend(
                found
                    .into_iter()
                    .filter(|e| !(e.kind == "missing" && reported.contains(&e.loc))),
            );
            if errors.is_empty() {
                errors.push(ValidationError::new(
                    "value_error",
                    loc.clone(),
                    "Value error, invalid input",
                    value,
                ));
            }
            errors
        }
    };
    // The checks above saw converted values (`9`); FastAPI reports the text sent (`"9"`).
    let mut out = ValidationErrors::new();
    for mut e in result {
        let field = match e.loc.0.get(1) {
            Some(LocItem::Key(k)) if e.loc.0.len() <= 3 => plan.iter().position(|f| f.name == *k),
            _ => None,
        };
        if let Some(i) = field {
            let texts = &sent[i];
            match (e.kind.as_ref(), e.loc.0.get(2)) {
                ("missing", None) => {
                    if let Some(m) = &model_input {
                        e.input = m.clone();
                    }
                }
                (_, None) if plan[i].list => {
                    e.input = Value::Array(texts.iter().map(|t| Value::from(*t)).collect());
                }
                (_, None) => {
                    if let Some(t) = texts.last() {
                        e.input = Value::from(*t);
                    }
                }
                (_, Some(LocItem::Index(j))) => {
                    if let Some(t) = texts.get(*j) {
                        e.input = Value::from(*t);
                    }
                }
                _ => {}
            }
        }
        out.push(e);
    }
    Err(out.into())
}
