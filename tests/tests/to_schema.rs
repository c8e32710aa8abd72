//! `#[derive(ToSchema)]` on hand-written types: every serde form and `#[schema]` keyword
//! the derive reads, checked against the exact schema it must write.

// The types exist to be described, not built.
#![allow(dead_code)]

use std::collections::HashMap;

use ferrapi::prelude::*;
use serde_json::{json, Value};

/// A point.
#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Point {
    /// Horizontal.
    x_pos: f64,
    #[serde(rename = "why")]
    y: Option<i32>,
    #[serde(skip)]
    #[allow(dead_code)]
    cache: u8,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
}

#[derive(serde::Serialize, ToSchema)]
struct WithExtra {
    name: String,
    #[serde(flatten)]
    extra: HashMap<String, i64>,
}

#[derive(serde::Serialize, ToSchema)]
struct Tree {
    label: String,
    children: Vec<Tree>,
    parent: Option<Box<Tree>>,
}

#[derive(serde::Serialize, ToSchema)]
struct Page<T> {
    items: Vec<T>,
}

fn colour() -> Value {
    json!({"type": "string", "pattern": "^#[0-9a-f]{6}$"})
}

#[derive(serde::Serialize, ToSchema)]
#[schema(as = Settings, description = "Display settings.", deprecated)]
struct DisplaySettings {
    #[schema(schema_with = colour)]
    accent: String,
    #[schema(value_type = String, format = "date", examples("2024-01-01"))]
    since: u64,
    #[schema(minimum = 1, maximum = 10, default = 5, title = "Zoom level")]
    zoom: u8,
    #[schema(min_items = 1, max_items = 3, unique_items = true)]
    fonts: Vec<String>,
    #[serde(default = "Vec::new")]
    #[schema(default = Vec::new)]
    aliases: Vec<String>,
}

#[derive(serde::Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
enum Mode {
    Light,
    DarkMode,
}

#[derive(serde::Serialize, ToSchema)]
enum External {
    Unit,
    New(Point),
    Pair(i64, String),
    Named { size: u32 },
}

#[derive(serde::Serialize, ToSchema)]
#[serde(tag = "kind")]
enum Internal {
    Empty,
    Named { size: u32 },
    Wrapped(Point),
}

#[derive(serde::Serialize, ToSchema)]
#[serde(tag = "t", content = "c")]
enum Adjacent {
    Ping,
    Text(String),
}

#[derive(serde::Serialize, ToSchema)]
#[serde(untagged)]
enum Untagged {
    Nothing,
    Number(f64),
}

#[test]
fn structs_read_serde_docs_and_keywords() {
    assert_eq!(Point::name().as_deref(), Some("Point"));
    assert_eq!(
        Point::schema(),
        json!({
            "type": "object",
            "description": "A point.",
            "required": ["xPos"],
            "properties": {
                "xPos": {"type": "number", "format": "double", "description": "Horizontal."},
                "why": {"type": ["integer", "null"], "format": "int32"},
                "tags": {"type": "array", "items": {"type": "string"}}
            },
            "additionalProperties": false
        })
    );
    assert_eq!(
        WithExtra::schema(),
        json!({
            "type": "object",
            "required": ["name"],
            "properties": {"name": {"type": "string"}},
            "additionalProperties": {"type": "integer", "format": "int64"}
        })
    );
    assert_eq!(DisplaySettings::name().as_deref(), Some("Settings"));
    assert_eq!(
        DisplaySettings::schema(),
        json!({
            "type": "object",
            "description": "Display settings.",
            "deprecated": true,
            "required": ["accent", "since", "zoom", "fonts"],
            "properties": {
                "accent": {"type": "string", "pattern": "^#[0-9a-f]{6}$"},
                "since": {"type": "string", "format": "date", "examples": ["2024-01-01"]},
                "zoom": {"type": "integer", "format": "int32", "minimum": 1, "maximum": 10, "default": 5, "title": "Zoom level"},
                "fonts": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3, "uniqueItems": true},
                "aliases": {"type": "array", "items": {"type": "string"}, "default": []}
            }
        })
    );
}

#[test]
fn recursion_and_generics_refer_to_components() {
    let s = Tree::schema();
    assert_eq!(
        s["properties"]["children"]["items"]["$ref"],
        "#/components/schemas/Tree"
    );
    assert_eq!(
        s["properties"]["parent"],
        json!({"oneOf": [{"$ref": "#/components/schemas/Tree"}, {"type": "null"}]})
    );
    let mut out = Vec::new();
    ferrapi::to_schema::add_schemas::<Tree>(&mut out);
    assert_eq!(
        out.len(),
        1,
        "a model that contains itself is collected once"
    );

    assert_eq!(<Page<Point>>::name().as_deref(), Some("Page_Point_"));
    assert_eq!(<Page<Point>>::schema()["title"], "Page[Point]");
    let mut out = Vec::new();
    <Page<Point>>::schemas(&mut out);
    assert_eq!(
        out.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
        ["Point"]
    );
}

#[test]
fn enums_follow_serde_representations() {
    assert_eq!(
        Mode::schema(),
        json!({"type": "string", "enum": ["light", "dark_mode"]})
    );
    assert_eq!(
        External::schema(),
        json!({"oneOf": [
            {"type": "string", "enum": ["Unit"]},
            {"type": "object", "required": ["New"], "properties": {"New": {"$ref": "#/components/schemas/Point"}}},
            {"type": "object", "required": ["Pair"], "properties": {"Pair": {
                "type": "array",
                "prefixItems": [{"type": "integer", "format": "int64"}, {"type": "string"}],
                "minItems": 2, "maxItems": 2
            }}},
            {"type": "object", "required": ["Named"], "properties": {"Named": {
                "type": "object", "required": ["size"],
                "properties": {"size": {"type": "integer", "format": "int32", "minimum": 0}}
            }}}
        ]})
    );
    let tag = json!({"type": "string", "enum": ["Empty"]});
    assert_eq!(
        Internal::schema()["oneOf"][0],
        json!({"type": "object", "required": ["kind"], "properties": {"kind": tag}})
    );
    assert_eq!(
        Internal::schema()["oneOf"][1]["required"],
        json!(["size", "kind"])
    );
    assert_eq!(
        Internal::schema()["oneOf"][2]["allOf"][0],
        json!({"$ref": "#/components/schemas/Point"})
    );
    assert_eq!(
        Adjacent::schema()["oneOf"][1],
        json!({"type": "object", "required": ["c", "t"], "properties": {
            "c": {"type": "string"}, "t": {"type": "string", "enum": ["Text"]}
        }})
    );
    assert_eq!(
        Untagged::schema(),
        json!({"oneOf": [{"type": "null"}, {"type": "number", "format": "double"}]})
    );
}

#[get("/settings")]
async fn settings() -> Json<Vec<Page<Internal>>> {
    Json(vec![])
}

#[test]
fn a_document_registers_everything_a_schema_refers_to() {
    let doc = App::new()
        .routes(routes![settings])
        .openapi_value()
        .unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in ["Page_Internal_", "Internal", "Point"] {
        assert!(schemas.contains_key(name), "{name} missing: {schemas:?}");
    }
    assert_eq!(schemas["Internal"]["oneOf"].as_array().unwrap().len(), 3);
    let text = doc.to_string();
    for (name, _) in schemas {
        assert!(text.contains(&format!("#/components/schemas/{name}")) || name.starts_with("HTTP"));
    }
}

/// Refers to `Point` but forgets to list it in `schemas()`.
struct Forgetful;

impl ToSchema for Forgetful {
    fn name() -> Option<std::borrow::Cow<'static, str>> {
        Some("Forgetful".into())
    }
    fn schema() -> Value {
        json!({"type": "object", "properties": {"p": ferrapi::to_schema::schema_ref::<Point>()}})
    }
}

impl serde::Serialize for Forgetful {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_unit()
    }
}

#[get("/forgetful")]
async fn forgetful() -> Json<Forgetful> {
    Json(Forgetful)
}

#[test]
fn a_reference_to_an_unregistered_component_stops_the_app() {
    let err = App::new()
        .routes(routes![forgetful])
        .openapi_value()
        .unwrap_err()
        .to_string();
    assert!(err.contains("refers to the schema `Point`"), "{err}");
    assert!(err.contains("add_schemas"), "{err}");
}
