//! Enumerations in models and parameters, as pydantic has them: integer enums (`IntEnum`)
//! and literal string fields (`Literal[...]`), their schemas, defaults and errors.

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::{json, Value};

#[model]
#[derive(Clone, Copy, Debug, PartialEq, Eq, ParamEnum)]
enum Level {
    Debug = 10,
    Info = 20,
    Error = 40,
}

#[model]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
enum Colour {
    Red,
    Green,
}

#[model]
struct Entry {
    #[field(default = Level::Info)]
    level: Level,
    levels: Option<Vec<Level>>,
    #[field(literal = ["json", "text"])]
    format: String,
    #[field(literal = "v1", description = "The only version")]
    version: String,
    #[field(literal = ["a", "b"])]
    mode: Option<String>,
    #[field(default = vec![Colour::Red])]
    colours: Vec<Colour>,
}

#[post("/entries")]
async fn add(entry: Json<Entry>) -> Json<Entry> {
    entry
}

#[get("/entries")]
async fn list(#[query] level: Level, #[query] min: Option<Level>) -> Json<Value> {
    Json(json!({"level": level, "min": min}))
}

fn app() -> App {
    App::new().routes(routes![add, list])
}

fn errors(res: &ferrapi::testing::TestResponse) -> Vec<(String, Value, String, Value)> {
    res.json_value()["detail"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|e| {
            (
                e["type"].as_str().unwrap().to_string(),
                e["loc"].clone(),
                e["msg"].as_str().unwrap().to_string(),
                e["input"].clone(),
            )
        })
        .collect()
}

#[test]
fn integer_enums_are_numbers_read_leniently() {
    block_on(async {
        let c = TestClient::new(app());
        let ok = json!({"format": "json", "version": "v1"});
        let res = c.post("/entries").json(&ok).send().await;
        assert_eq!(res.status(), 200, "{}", res.text());
        assert_eq!(
            res.json_value(),
            json!({"level": 20, "levels": null, "format": "json", "version": "v1", "mode": null, "colours": ["red"]})
        );
        for (sent, want) in [(json!(40), 40), (json!("10"), 10), (json!(20.0), 20)] {
            let mut body = ok.clone();
            body["level"] = sent;
            body["levels"] = json!([10, "40"]);
            let res = c.post("/entries").json(&body).send().await;
            assert_eq!(res.json_value()["level"], want);
            assert_eq!(res.json_value()["levels"], json!([10, 40]));
        }
        let mut body = ok.clone();
        body["level"] = json!(30);
        body["levels"] = json!([10, "x", 1.5]);
        let res = c.post("/entries").json(&body).send().await;
        let msg = "Input should be 10, 20 or 40".to_string();
        assert_eq!(
            errors(&res),
            vec![
                (
                    "enum".into(),
                    json!(["body", "level"]),
                    msg.clone(),
                    json!(30)
                ),
                (
                    "enum".into(),
                    json!(["body", "levels", 1]),
                    msg.clone(),
                    json!("x")
                ),
                (
                    "enum".into(),
                    json!(["body", "levels", 2]),
                    msg.clone(),
                    json!(1.5)
                ),
            ]
        );
        assert_eq!(
            res.json_value()["detail"][0]["ctx"],
            json!({"expected": "10, 20 or 40"})
        );
        // As query parameters.
        let res = c.get("/entries?level=40&min=10").send().await;
        assert_eq!(res.json_value(), json!({"level": 40, "min": 10}));
        let res = c.get("/entries?level=Info&min=15").send().await;
        assert_eq!(
            errors(&res),
            vec![
                (
                    "enum".into(),
                    json!(["query", "level"]),
                    msg.clone(),
                    json!("Info")
                ),
                ("enum".into(), json!(["query", "min"]), msg, json!("15")),
            ]
        );
    });
}

#[test]
fn literal_fields_accept_only_their_values() {
    block_on(async {
        let c = TestClient::new(app());
        let body = json!({"format": "xml", "version": 1, "mode": "c", "colours": ["blue"]});
        let res = c.post("/entries").json(&body).send().await;
        assert_eq!(res.status(), 422);
        assert_eq!(
            errors(&res),
            vec![
                (
                    "literal_error".into(),
                    json!(["body", "format"]),
                    "Input should be 'json' or 'text'".into(),
                    json!("xml")
                ),
                (
                    "literal_error".into(),
                    json!(["body", "version"]),
                    "Input should be 'v1'".into(),
                    json!(1)
                ),
                (
                    "literal_error".into(),
                    json!(["body", "mode"]),
                    "Input should be 'a' or 'b'".into(),
                    json!("c")
                ),
                (
                    "enum".into(),
                    json!(["body", "colours", 0]),
                    "Input should be 'red' or 'green'".into(),
                    json!("blue")
                ),
            ]
        );
        assert_eq!(
            res.json_value()["detail"][0]["ctx"],
            json!({"expected": "'json' or 'text'"})
        );
        // The fast path (the body fits the types) checks literals too.
        let res = c
            .post("/entries")
            .json(&json!({"format": "yaml", "version": "v1", "mode": "a"}))
            .send()
            .await;
        assert_eq!(
            errors(&res),
            vec![(
                "literal_error".into(),
                json!(["body", "format"]),
                "Input should be 'json' or 'text'".into(),
                json!("yaml")
            )]
        );
        let res = c
            .post("/entries")
            .json(&json!({"format": "text", "version": "v1", "mode": null}))
            .send()
            .await;
        assert_eq!(res.status(), 200, "an optional literal may be null");
    });
}

#[test]
fn enum_and_literal_schemas_follow_pydantic() {
    let doc = app().openapi_value().unwrap();
    let s = &doc["components"]["schemas"];
    ferrapi_tests::export_doc(env!("CARGO_TARGET_TMPDIR"), "enums", &doc);
    assert_eq!(
        s["Level"],
        json!({"type": "integer", "title": "Level", "enum": [10, 20, 40]})
    );
    assert_eq!(
        s["Colour"]["title"], "Colour",
        "string enums are titled too"
    );
    let p = &s["Entry"]["properties"];
    assert_eq!(
        p["level"],
        json!({"$ref": "#/components/schemas/Level", "default": 20})
    );
    assert_eq!(
        p["format"],
        json!({"type": "string", "enum": ["json", "text"], "title": "Format"})
    );
    assert_eq!(
        p["version"],
        json!({"type": "string", "const": "v1", "description": "The only version", "title": "Version"})
    );
    assert_eq!(
        p["mode"],
        json!({"anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "null"}], "title": "Mode"})
    );
    assert_eq!(p["colours"]["default"], json!(["red"]));
    assert_eq!(
        s["Entry"]["required"],
        json!(["format", "version"]),
        "defaulted and optional fields are not required"
    );
    let params = &doc["paths"]["/entries"]["get"]["parameters"];
    assert_eq!(
        params[0]["schema"],
        json!({"$ref": "#/components/schemas/Level"})
    );
    assert_eq!(
        params[1]["schema"],
        json!({"anyOf": [{"$ref": "#/components/schemas/Level"}, {"type": "null"}], "title": "Min"})
    );
}
