//! Validation runs inside every container (issue 12.1): each enum representation serde has
//! (external, internal, adjacent, untagged), newtype variants wrapping models, struct
//! variants with `#[field(...)]`, `Option`, `Vec`, sets, maps, `Box` and generic models. A
//! constraint broken inside any of them is a 422 with the location pydantic gives it, lax
//! values are converted inside them, and a literal tag never lets one variant pass as
//! another. FastAPI's own answers for the pydantic shapes are pinned by conformance app 29.

use std::collections::{BTreeSet, HashMap};

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::{json, Value};

#[model]
struct Cat {
    #[field(literal = "cat")]
    kind: String,
    #[field(ge = 0, le = 9)]
    lives: i64,
}

#[model]
struct Dog {
    #[field(literal = "dog")]
    kind: String,
    #[field(min_length = 1)]
    name: Option<String>,
}

/// Untagged over models with literal tags: `{"kind": "fish"}` must not become a Dog.
#[model]
#[serde(untagged)]
enum AnyPet {
    Cat(Cat),
    Dog(Dog),
}

/// serde's internally tagged enum with struct variants carrying constraints.
#[model]
#[serde(tag = "type", rename_all = "lowercase")]
enum Reading {
    Temperature {
        #[field(ge = -50, le = 60)]
        celsius: f64,
    },
    Humidity {
        #[field(ge = 0, le = 100)]
        percent: u8,
        #[field(max_length = 8, default)]
        sensor: String,
    },
    Offline,
}

#[model]
struct Limits {
    #[field(gt = 0)]
    max: i64,
}

/// serde's default (externally tagged) enum: a newtype variant wrapping a model and a
/// tuple variant.
#[model]
enum Command {
    Set(Limits),
    Move(i64, i64),
    Reset,
}

/// Adjacently tagged, with a newtype variant wrapping a model.
#[model]
#[serde(tag = "t", content = "c")]
enum Message {
    Limits(Limits),
    Note {
        #[field(min_length = 2)]
        text: String,
    },
}

#[model]
struct Wrapper<T> {
    inner: T,
}

#[model]
struct Everything {
    reading: Option<Reading>,
    #[field(default)]
    readings: Vec<Reading>,
    #[field(default)]
    by_name: HashMap<String, Limits>,
    #[field(default)]
    ids: BTreeSet<u8>,
    boxed: Option<Box<Limits>>,
    wrapped: Option<Wrapper<Limits>>,
    command: Option<Command>,
    message: Option<Message>,
    pet: Option<AnyPet>,
}

#[post("/everything")]
async fn everything(body: Json<Everything>) -> Json<Value> {
    Json(serde_json::to_value(body.0).unwrap())
}

#[post("/pet")]
async fn pet(body: Json<AnyPet>) -> Json<Value> {
    let kind = match &body.0 {
        AnyPet::Cat(_) => "Cat",
        AnyPet::Dog(_) => "Dog",
    };
    Json(json!({"variant": kind, "pet": body.0}))
}

fn client() -> TestClient {
    TestClient::new(App::new().routes(routes![everything, pet]))
}

/// Posts `body` and returns (status, JSON answer).
async fn post(c: &TestClient, path: &str, body: Value) -> (u16, Value) {
    let r = c.post(path).json(&body).send().await;
    (r.status().as_u16(), r.json())
}

/// The (type, loc) of every error in a 422.
fn errors(body: &Value) -> Vec<(String, Value)> {
    body["detail"]
        .as_array()
        .expect("a 422 detail list")
        .iter()
        .map(|e| (e["type"].as_str().unwrap().to_string(), e["loc"].clone()))
        .collect()
}

fn one(kind: &str, loc: Value) -> Vec<(String, Value)> {
    vec![(kind.to_string(), loc)]
}

#[test]
fn a_constraint_broken_inside_each_container_is_a_422_at_its_location() {
    block_on(async {
        let c = client();
        let cases = [
            // internally tagged struct variant inside Option
            (
                json!({"reading": {"type": "temperature", "celsius": 99}}),
                one(
                    "less_than_equal",
                    json!(["body", "reading", "temperature", "celsius"]),
                ),
            ),
            // inside Vec, second item, a u8 over 100 and a string over its max_length
            (
                json!({"readings": [{"type": "offline"}, {"type": "humidity", "percent": 101, "sensor": "much-too-long"}]}),
                vec![
                    (
                        "less_than_equal".into(),
                        json!(["body", "readings", 1, "humidity", "percent"]),
                    ),
                    (
                        "string_too_long".into(),
                        json!(["body", "readings", 1, "humidity", "sensor"]),
                    ),
                ],
            ),
            // map value
            (
                json!({"by_name": {"a": {"max": 1}, "b": {"max": 0}}}),
                one("greater_than", json!(["body", "by_name", "b", "max"])),
            ),
            // set item of the wrong type
            (
                json!({"ids": [1, 300]}),
                one("int_parsing_size", json!(["body", "ids", 1])),
            ),
            // Box
            (
                json!({"boxed": {"max": -3}}),
                one("greater_than", json!(["body", "boxed", "max"])),
            ),
            // generic model
            (
                json!({"wrapped": {"inner": {"max": 0}}}),
                one("greater_than", json!(["body", "wrapped", "inner", "max"])),
            ),
            // externally tagged newtype variant wrapping a model
            (
                json!({"command": {"Set": {"max": 0}}}),
                one("greater_than", json!(["body", "command", "Set", "max"])),
            ),
            // externally tagged tuple variant
            (
                json!({"command": {"Move": [1, "x"]}}),
                one("int_parsing", json!(["body", "command", "Move", 1])),
            ),
            // adjacently tagged newtype and struct variants
            (
                json!({"message": {"t": "Limits", "c": {"max": 0}}}),
                one("greater_than", json!(["body", "message", "Limits", "max"])),
            ),
            (
                json!({"message": {"t": "Note", "c": {"text": "x"}}}),
                one(
                    "string_too_short",
                    json!(["body", "message", "Note", "text"]),
                ),
            ),
            // untagged: no member takes it, so every member's errors under its name
            (
                json!({"pet": {"kind": "cat", "lives": 10}}),
                vec![
                    (
                        "less_than_equal".into(),
                        json!(["body", "pet", "Cat", "lives"]),
                    ),
                    (
                        "literal_error".into(),
                        json!(["body", "pet", "Dog", "kind"]),
                    ),
                ],
            ),
        ];
        for (body, want) in cases {
            let (status, answer) = post(&c, "/everything", body.clone()).await;
            assert_eq!(status, 422, "{body} -> {answer}");
            assert_eq!(errors(&answer), want, "{body} -> {answer}");
        }
    });
}

#[test]
fn a_valid_value_passes_through_every_container_unchanged() {
    block_on(async {
        let c = client();
        let body = json!({
            "reading": {"type": "temperature", "celsius": 21.5},
            "readings": [{"type": "offline"}, {"type": "humidity", "percent": 40, "sensor": "s1"}],
            "by_name": {"a": {"max": 1}},
            "ids": [1, 2],
            "boxed": {"max": 3},
            "wrapped": {"inner": {"max": 4}},
            "command": {"Move": [1, 2]},
            "message": {"t": "Note", "c": {"text": "hello"}},
            "pet": {"kind": "dog", "name": "Rex"},
        });
        let (status, answer) = post(&c, "/everything", body.clone()).await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(answer, body);
    });
}

#[test]
fn lax_values_are_converted_inside_variants() {
    block_on(async {
        let c = client();
        let (status, answer) = post(
            &c,
            "/everything",
            json!({
                "reading": {"type": "humidity", "percent": "42"},
                "command": {"Set": {"max": "7"}},
                "message": {"t": "Limits", "c": {"max": 2.0}},
                "pet": {"kind": "cat", "lives": "3"},
            }),
        )
        .await;
        assert_eq!(status, 200, "{answer}");
        assert_eq!(
            answer["reading"],
            json!({"type": "humidity", "percent": 42, "sensor": ""})
        );
        assert_eq!(answer["command"], json!({"Set": {"max": 7}}));
        assert_eq!(answer["message"], json!({"t": "Limits", "c": {"max": 2}}));
        assert_eq!(answer["pet"], json!({"kind": "cat", "lives": 3}));
    });
}

#[test]
fn a_literal_tag_decides_the_member_of_an_untagged_union() {
    block_on(async {
        let c = client();
        let (status, answer) = post(&c, "/pet", json!({"kind": "dog"})).await;
        assert_eq!(
            (status, &answer["variant"]),
            (200, &json!("Dog")),
            "{answer}"
        );
        let (status, answer) = post(&c, "/pet", json!({"kind": "cat", "lives": 2})).await;
        assert_eq!(
            (status, &answer["variant"]),
            (200, &json!("Cat")),
            "{answer}"
        );
        // Not a Dog: every member refuses the tag.
        let (status, answer) = post(&c, "/pet", json!({"kind": "fish"})).await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(
            errors(&answer),
            vec![
                ("literal_error".into(), json!(["body", "Cat", "kind"])),
                ("missing".into(), json!(["body", "Cat", "lives"])),
                ("literal_error".into(), json!(["body", "Dog", "kind"])),
            ]
        );
    });
}

#[test]
fn tag_errors_of_serde_tagged_enums_are_pydantic_union_errors() {
    block_on(async {
        let c = client();
        let (status, answer) = post(&c, "/everything", json!({"reading": {"celsius": 3}})).await;
        assert_eq!(status, 422);
        assert_eq!(
            errors(&answer),
            one("union_tag_not_found", json!(["body", "reading"]))
        );
        assert_eq!(
            answer["detail"][0]["ctx"],
            json!({"discriminator": "'type'"})
        );
        let (status, answer) = post(&c, "/everything", json!({"reading": {"type": "wind"}})).await;
        assert_eq!(status, 422);
        assert_eq!(
            errors(&answer),
            one("union_tag_invalid", json!(["body", "reading"]))
        );
        assert_eq!(
            answer["detail"][0]["msg"],
            "Input tag 'wind' found using 'type' does not match any of the expected tags: 'temperature', 'humidity', 'offline'"
        );
        let (status, answer) = post(&c, "/everything", json!({"readings": [5]})).await;
        assert_eq!(status, 422);
        assert_eq!(
            errors(&answer),
            one("model_attributes_type", json!(["body", "readings", 0]))
        );
    });
}

#[test]
fn a_flood_of_bad_union_members_is_capped_and_the_server_keeps_serving() {
    block_on(async {
        let c = client();
        let readings: Vec<Value> = (0..20_000)
            .map(|i| json!({"type": "humidity", "percent": 200 + i % 50}))
            .collect();
        let (status, answer) = post(&c, "/everything", json!({"readings": readings})).await;
        assert_eq!(status, 422);
        let n = answer["detail"].as_array().unwrap().len();
        assert!(n <= 1000, "{n} errors");
        let (status, _) = post(&c, "/everything", json!({})).await;
        assert_eq!(status, 200);
    });
}

#[test]
fn union_documents_follow_pydantic() {
    let doc = App::new()
        .routes(routes![everything, pet])
        .openapi_value()
        .unwrap();
    let schemas = &doc["components"]["schemas"];
    // untagged: anyOf the members' references, inline where the union is used (a
    // `Union` is no pydantic model, so no component)
    let members =
        json!([{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}]);
    assert_eq!(
        doc["paths"]["/pet"]["post"]["requestBody"]["content"]["application/json"]["schema"]
            ["anyOf"],
        members
    );
    assert!(schemas.get("AnyPet").is_none());
    // struct variants show their fields' constraints
    let reading = serde_json::to_string(&schemas["Reading"]).unwrap();
    assert!(
        reading.contains(r#""maximum":60"#) || reading.contains(r#""maximum":60.0"#),
        "{reading}"
    );
    assert!(reading.contains(r#""maxLength":8"#), "{reading}");
}

#[model]
struct Holder {
    page: Wrapper<Limits>,
    pages: Vec<Wrapper<Limits>>,
}

#[post("/holder")]
async fn holder(body: Json<Holder>) -> Json<Wrapper<Limits>> {
    Json(body.0.page)
}

#[test]
fn generic_components_are_named_as_fastapi_names_them_and_every_ref_resolves() {
    let doc = App::new().routes(routes![holder]).openapi_value().unwrap();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    assert!(
        schemas.contains_key("Wrapper_Limits_"),
        "{:?}",
        schemas.keys()
    );
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(o) => {
                if let Some(Value::String(r)) = o.get("$ref") {
                    out.push(r.trim_start_matches("#/components/schemas/").to_string());
                }
                o.values().for_each(|v| refs(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    for r in all {
        assert!(schemas.contains_key(&r), "dangling $ref {r} in {doc}");
    }
}

#[model]
struct Titled {
    #[field(title = "Weight in kilograms", ge = 0)]
    weight_kg: f64,
}

#[post("/titled")]
async fn titled(body: Json<Titled>) -> Json<Titled> {
    body
}

#[test]
fn a_field_title_is_documented() {
    let doc = App::new().routes(routes![titled]).openapi_value().unwrap();
    assert_eq!(
        doc["components"]["schemas"]["Titled"]["properties"]["weight_kg"]["title"],
        "Weight in kilograms"
    );
}

#[model]
struct Point2 {
    x: i64,
    y: i64,
}

#[model]
struct Point3 {
    x: i64,
    y: i64,
    z: i64,
}

#[model]
#[serde(untagged)]
enum AnyPoint {
    Flat(Point2),
    Deep(Point3),
}

#[post("/points")]
async fn points(p: Json<AnyPoint>) -> Json<Value> {
    Json(match p.0 {
        AnyPoint::Flat(_) => json!("flat"),
        AnyPoint::Deep(_) => json!("deep"),
    })
}

#[test]
fn smart_mode_prefers_the_member_the_value_sets_most_fields_of() {
    block_on(async {
        let c = TestClient::new(App::new().routes(routes![points]));
        let get = |body: Value| {
            let c = &c;
            async move { c.post("/points").json(&body).send().await.json_value() }
        };
        // Both read it; the value sets all three of Point3's fields.
        assert_eq!(get(json!({"x": 1, "y": 2, "z": 3})).await, json!("deep"));
        assert_eq!(get(json!({"x": 1, "y": 2})).await, json!("flat"));
        // Strict before lax: a Point3 only after conversion loses to a strict Point2.
        assert_eq!(get(json!({"x": 1, "y": 2, "z": "3"})).await, json!("flat"));
    });
}

#[model(discriminator = "kind")]
enum TaggedPet {
    Cat(Cat),
    Dog(Dog),
}

#[post("/tagged")]
async fn tagged(p: Json<TaggedPet>) -> Json<Value> {
    Json(serde_json::to_value(p.0).unwrap())
}

#[test]
fn a_huge_unknown_tag_is_not_written_back_whole() {
    block_on(async {
        let c = TestClient::new(App::new().routes(routes![tagged]));
        let tag = "x".repeat(1_000_000);
        let res = c.post("/tagged").json(&json!({"kind": tag})).send().await;
        assert_eq!(res.status(), 422);
        let e = &res.json_value()["detail"][0];
        assert_eq!(e["type"], "union_tag_invalid");
        assert!(res.text().len() < 2_000, "{} bytes", res.text().len());
        assert_eq!(
            e["ctx"]["tag"].as_str().unwrap().len(),
            ferrapi::error::MAX_INPUT_CHARS
        );
        assert_eq!(
            c.post("/tagged")
                .json(&json!({"kind": "dog"}))
                .send()
                .await
                .status(),
            200
        );
    });
}

/// Python's `Union[int, str]`, as a port writes it.
#[model]
#[serde(untagged)]
enum IdOrName {
    Id(i64),
    Name(String),
}

#[model]
struct Lookup {
    who: IdOrName,
}

#[post("/lookup")]
async fn lookup(l: Json<Lookup>) -> Json<Value> {
    Json(match l.0.who {
        IdOrName::Id(i) => json!({"id": i}),
        IdOrName::Name(n) => json!({"name": n}),
    })
}

#[test]
fn a_union_of_primitives_reads_as_pydantic_reads_int_or_str() {
    block_on(async {
        let c = TestClient::new(App::new().routes(routes![lookup]));
        let post = |who: Value| {
            let c = &c;
            async move {
                c.post("/lookup")
                    .json(&json!({"who": who}))
                    .send()
                    .await
                    .json_value()
            }
        };
        assert_eq!(post(json!(5)).await, json!({"id": 5}));
        // Strict before lax: "5" is a str, as in pydantic's smart mode.
        assert_eq!(post(json!("5")).await, json!({"name": "5"}));
        let e = post(json!([1])).await;
        let locs: Vec<Value> = e["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["loc"].clone())
            .collect();
        assert_eq!(
            locs,
            vec![json!(["body", "who", "int"]), json!(["body", "who", "str"])]
        );
    });
    let doc = App::new().routes(routes![lookup]).openapi_value().unwrap();
    assert_eq!(
        doc["components"]["schemas"]["Lookup"]["properties"]["who"]["anyOf"],
        json!([{"type": "integer", "format": "int64"}, {"type": "string"}])
    );
}
