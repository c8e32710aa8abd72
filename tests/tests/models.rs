//! Models: JSON Schema of each supported shape, and validation of nested bodies.

use std::collections::{BTreeSet, HashMap, HashSet};

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::{json, Value};

#[model]
#[serde(rename_all = "lowercase")]
#[derive(Debug, PartialEq)]
enum Size {
    Small,
    Large,
}

#[model]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Pet {
    Cat { lives: u8 },
    Dog { good: bool },
}

#[model]
#[serde(untagged)]
enum Shape {
    Circle { radius: f64 },
    Square { side: f64 },
}

#[model]
#[serde(tag = "t", content = "c")]
enum Event {
    Ping,
    Text(String),
}

#[model]
struct Page<T: ToSchema> {
    items: Vec<T>,
    total: u64,
}

#[model]
struct Node {
    name: String,
    #[field(default)]
    children: Vec<Node>,
}

#[model]
struct Base {
    serial: i64,
}

#[model]
#[serde(rename_all = "camelCase")]
struct Everything {
    maybe_count: Option<i32>,
    #[field(min_items = 1)]
    labels: HashSet<String>,
    ordered: BTreeSet<i64>,
    weights: HashMap<String, f32>,
    id: uuid::Uuid,
    when: chrono::DateTime<chrono::Utc>,
    day: chrono::NaiveDate,
    size: Size,
    pet: Pet,
    shape: Shape,
    event: Event,
    #[serde(rename = "renamed")]
    original: bool,
    #[serde(skip)]
    #[allow(dead_code)]
    hidden: u8,
    #[serde(flatten)]
    base: Base,
    tree: Node,
    #[field(default = 3, ge = 1, deprecated, description = "How many")]
    copies: u32,
    #[field(example = "https://example.com/a.png", pattern = "^https://")]
    image: Option<String>,
}

#[post("/everything")]
async fn everything(b: Json<Everything>) -> Json<Page<Node>> {
    let b = b.0;
    Json(Page {
        items: vec![b.tree],
        total: b.base.serial as u64 + b.copies as u64,
    })
}

fn app() -> App {
    App::new().routes(routes![everything])
}

fn valid() -> Value {
    json!({
        "maybeCount": null, "labels": ["a"], "ordered": [3, 1], "weights": {"x": 0.5},
        "id": "67e55044-10b1-426f-9247-bb680e5fe0c8", "when": "2024-05-01T09:30:00Z", "day": "2024-05-01",
        "size": "small", "pet": {"kind": "cat", "lives": 9}, "shape": {"side": 2.0},
        "event": {"t": "Text", "c": "hi"}, "renamed": true, "serial": 1,
        "tree": {"name": "root", "children": [{"name": "leaf"}]}
    })
}

#[test]
fn schemas_of_every_shape() {
    let doc = app().openapi_value().unwrap();
    ferrapi_tests::export_doc(env!("CARGO_TARGET_TMPDIR"), "models", &doc);
    let s = &doc["components"]["schemas"];
    let e = &s["Everything"]["allOf"];
    assert_eq!(e[0]["$ref"], "#/components/schemas/Base", "flatten");
    let p = &e[1]["properties"];
    assert_eq!(p["maybeCount"]["type"], json!(["integer", "null"]));
    assert!(!e[1]["required"]
        .as_array()
        .unwrap()
        .contains(&json!("maybeCount")));
    assert_eq!(p["labels"]["uniqueItems"], true);
    assert_eq!(p["labels"]["minItems"], 1);
    assert_eq!(p["ordered"]["uniqueItems"], true);
    assert_eq!(p["weights"]["additionalProperties"]["type"], "number");
    assert_eq!(p["id"]["format"], "uuid");
    assert_eq!(p["when"]["format"], "date-time");
    assert_eq!(p["day"]["format"], "date");
    assert_eq!(p["size"]["$ref"], "#/components/schemas/Size");
    assert_eq!(s["Size"]["enum"], json!(["small", "large"]));
    assert!(p.get("hidden").is_none(), "skip");
    assert!(p.get("renamed").is_some(), "rename");
    assert_eq!(p["copies"]["default"], 3);
    assert_eq!(p["copies"]["minimum"], 1.0);
    assert_eq!(p["copies"]["deprecated"], true);
    assert_eq!(p["copies"]["description"], "How many");
    assert_eq!(p["image"]["examples"], json!(["https://example.com/a.png"]));
    // Internally tagged: oneOf with a discriminator.
    assert_eq!(s["Pet"]["discriminator"], json!({"propertyName": "kind"}));
    assert_eq!(s["Pet"]["oneOf"].as_array().unwrap().len(), 2);
    // Untagged: oneOf without one.
    assert!(s["Shape"]["oneOf"].is_array());
    assert!(s["Shape"].get("discriminator").is_none());
    assert!(s["Event"]["oneOf"].is_array());
    // Recursive and generic.
    assert_eq!(
        s["Node"]["properties"]["children"]["items"]["$ref"],
        "#/components/schemas/Node"
    );
    let ok = &doc["paths"]["/everything"]["post"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert_eq!(ok["$ref"], "#/components/schemas/Page_Node_");
    assert_eq!(
        s["Page_Node_"]["properties"]["items"]["items"]["$ref"],
        "#/components/schemas/Node"
    );
}

#[test]
fn every_shape_round_trips_and_validates() {
    block_on(async {
        let c = TestClient::new(app());
        let res = c.post("/everything").json(&valid()).send().await;
        assert_eq!(res.status(), 200, "{}", res.text());
        assert_eq!(res.json_value()["total"], 4);
        let mut bad = valid();
        bad["size"] = "medium".into();
        bad["labels"] = json!([]);
        bad["tree"]["children"][0] = json!({"name": 7});
        bad["copies"] = json!(0);
        bad["image"] = json!("http://insecure");
        bad["day"] = json!("2024-13-01");
        let res = c.post("/everything").json(&bad).send().await;
        assert_eq!(res.status(), 422);
        let d = res.json_value()["detail"].as_array().unwrap().clone();
        let got: Vec<(String, Value)> = d
            .iter()
            .map(|e| (e["type"].as_str().unwrap().to_string(), e["loc"].clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("too_short".into(), json!(["body", "labels"])),
                ("date_from_datetime_parsing".into(), json!(["body", "day"])),
                ("enum".into(), json!(["body", "size"])),
                (
                    "string_type".into(),
                    json!(["body", "tree", "children", 0, "name"])
                ),
                ("greater_than_equal".into(), json!(["body", "copies"])),
                ("string_pattern_mismatch".into(), json!(["body", "image"])),
            ]
        );
        let size = d
            .iter()
            .find(|e| e["loc"] == json!(["body", "size"]))
            .unwrap();
        assert_eq!(size["msg"], "Input should be 'small' or 'large'");
    });
}

#[model]
struct Flower {
    #[field(gt = 0)]
    petal: f64,
    count: u32,
    wild: bool,
    tags: Vec<i64>,
}

#[post("/flowers")]
async fn flowers(f: Json<Flower>) -> Json<Value> {
    Json(json!({"petal": f.petal, "count": f.count, "wild": f.wild, "tags": f.tags}))
}

#[test]
fn json_bodies_accept_what_pydantic_lax_mode_accepts() {
    block_on(async {
        let c = TestClient::new(App::new().routes(routes![flowers]));
        let res = c
            .post("/flowers")
            .json(&json!({"petal": "1.5", "count": "3", "wild": "yes", "tags": [1.0, "2", true]}))
            .send()
            .await;
        assert_eq!(res.status(), 200, "{}", res.text());
        assert_eq!(
            res.json_value(),
            json!({"petal": 1.5, "count": 3, "wild": true, "tags": [1, 2, 1]})
        );
        // Lax values still meet the constraints.
        let res = c
            .post("/flowers")
            .json(&json!({"petal": "-1", "count": 1, "wild": 0, "tags": []}))
            .send()
            .await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.json_value()["detail"][0]["type"], "greater_than");
        // What lax mode refuses.
        let res = c
            .post("/flowers")
            .json(&json!({"petal": 1, "count": 2.5, "wild": "maybe", "tags": ["x"]}))
            .send()
            .await;
        let types: Vec<Value> = res.json_value()["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["type"].clone())
            .collect();
        assert_eq!(
            types,
            vec![
                json!("int_from_float"),
                json!("bool_parsing"),
                json!("int_parsing")
            ]
        );
    });
}

#[test]
fn a_list_is_not_a_model() {
    block_on(async {
        let c = TestClient::new(App::new().routes(routes![flowers]));
        let res = c
            .post("/flowers")
            .json(&json!([1.5, 3, true, []]))
            .send()
            .await;
        assert_eq!(res.status(), 422, "{}", res.text());
        assert_eq!(
            res.json_value()["detail"][0]["type"],
            "model_attributes_type"
        );
        let res = c.post("/flowers").json(&json!("text")).send().await;
        assert_eq!(
            res.json_value()["detail"][0]["type"],
            "model_attributes_type"
        );
    });
}
