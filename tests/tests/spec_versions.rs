//! The typed description and its OpenAPI renderings: 3.1 (default), 3.0 for generators
//! that need it, 3.2 with item schemas for streams. CI validates every exported rendering
//! with openapi-spec-validator.

use ferrapi::prelude::*;
use ferrapi::realtime::EventStream;
use ferrapi::render::{openapi, OpenApiVersion};
use ferrapi::spec::{Num, OperationKind, ParamIn, StreamFormat};
use ferrapi::UploadFile;
use serde_json::{json, Value};

#[model]
#[derive(Clone)]
struct Pet {
    #[field(min_length = 1, examples = ["Rex"])]
    name: String,
    #[field(gt = 0, lt = 30)]
    age: Option<i64>,
    #[field(literal = "pet")]
    kind: String,
    owner: Option<Owner>,
}

#[model]
#[derive(Clone)]
struct Owner {
    name: String,
}

#[derive(ParamEnum, Clone, Copy, Debug, PartialEq)]
enum Sort {
    Asc,
    Desc,
}

/// List pets
#[get("/pets/", tags = ["pets"])]
async fn list_pets(
    #[query(gt = 0, le = 100)] limit: Option<i64>,
    #[query(default = Sort::Asc)] sort: Sort,
    #[header] x_trace: Option<String>,
) -> Json<Vec<Pet>> {
    let _ = (limit, sort, x_trace);
    Json(vec![])
}

#[post("/pets/", status = 201)]
async fn add_pet(pet: Json<Pet>) -> Created<Pet> {
    Created(pet.0)
}

#[post("/pets/{id}/photo")]
async fn upload_photo(
    id: i64,
    #[form] caption: Option<String>,
    #[file] photo: UploadFile,
) -> Json<usize> {
    let _ = (id, caption);
    Json(photo.bytes.len())
}

#[get("/pets/feed")]
async fn feed() -> EventStream<Pet> {
    EventStream::new(futures_util::stream::empty())
}

#[get("/hidden", include_in_schema = false)]
async fn hidden(#[query] q: i64) -> Json<i64> {
    Json(q)
}

#[websocket("/ws/pets")]
async fn pets_ws(socket: ferrapi::realtime::WebSocket) {
    drop(socket);
}

fn app() -> App {
    App::new()
        .title("Pets")
        .version("2.0.0")
        .summary("A pet store")
        .license(json!({"name": "MIT", "identifier": "MIT"}))
        .routes(routes![
            list_pets,
            add_pet,
            upload_photo,
            feed,
            hidden,
            pets_ws
        ])
}

fn export(name: &str, doc: &Value) {
    ferrapi_tests::export_doc(env!("CARGO_TARGET_TMPDIR"), name, doc);
}

#[test]
fn the_description_is_typed_and_complete() {
    let api = app().describe().unwrap();
    // One operation per route and method, hidden and WebSocket ones included.
    let ops: Vec<_> = api
        .operations
        .iter()
        .map(|o| (o.method.as_str(), o.path.as_str(), o.documented, o.kind))
        .collect();
    assert_eq!(
        ops,
        vec![
            ("GET", "/pets/", true, OperationKind::Http),
            ("POST", "/pets/", true, OperationKind::Http),
            ("POST", "/pets/{id}/photo", true, OperationKind::Http),
            ("GET", "/pets/feed", true, OperationKind::Http),
            ("GET", "/hidden", false, OperationKind::Http),
            ("GET", "/ws/pets", true, OperationKind::WebSocket),
        ]
    );
    let list = &api.operations[0];
    let params: Vec<_> = list
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.location, p.required))
        .collect();
    assert_eq!(
        params,
        vec![
            ("limit", ParamIn::Query, false),
            ("sort", ParamIn::Query, false),
            ("x-trace", ParamIn::Header, false),
        ]
    );
    assert_eq!(list.parameters[1].default, Some(json!("Asc")));
    // The constraints are the value validation checks, not a copy in the schema only.
    let limit = &list.parameters[0].constraints;
    assert_eq!(
        (limit.gt, limit.le),
        (Some(Num::Int(0)), Some(Num::Int(100)))
    );
    assert!(list.parameters[1].constraints.is_empty());
    let feed = api.operations[3].responses.get("200").unwrap();
    let stream = feed.content[0].stream.as_ref().unwrap();
    assert_eq!(stream.format, StreamFormat::ServerSentEvents);
    assert_eq!(stream.item.component(), Some("Pet"));
    // The hidden route is described (its needs count) but in no document.
    let doc = openapi(&api, OpenApiVersion::V3_1);
    assert!(doc["paths"].get("/hidden").is_none());
    assert!(doc["paths"].get("/ws/pets").is_none());
}

#[test]
fn openapi_3_1_is_the_default() {
    let doc = app().openapi_value().unwrap();
    export("spec_versions-3.1", &doc);
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["summary"], "A pet store");
    let limit = &doc["paths"]["/pets/"]["get"]["parameters"][0]["schema"];
    assert_eq!(limit["anyOf"][0]["exclusiveMinimum"], 0);
    assert_eq!(limit["anyOf"][1], json!({"type": "null"}));
    let feed =
        &doc["paths"]["/pets/feed"]["get"]["responses"]["200"]["content"]["text/event-stream"];
    assert_eq!(feed["x-event-data"]["$ref"], "#/components/schemas/Pet");
}

#[test]
fn openapi_3_0_speaks_the_older_dialect() {
    let doc = app().openapi_document(OpenApiVersion::V3_0).unwrap();
    export("spec_versions-3.0", &doc);
    assert_eq!(doc["openapi"], "3.0.3");
    // 3.1-only metadata is left out.
    assert!(doc["info"].get("summary").is_none());
    assert_eq!(doc["info"]["license"], json!({"name": "MIT"}));
    let params = &doc["paths"]["/pets/"]["get"]["parameters"];
    // `anyOf [T, null]` -> nullable; numeric exclusiveMinimum -> boolean form.
    assert_eq!(
        params[0]["schema"],
        json!({"type": "integer", "format": "int64", "exclusiveMinimum": true, "minimum": 0,
               "maximum": 100, "nullable": true, "title": "Limit"})
    );
    // A `$ref` with a default: the reference moves into allOf.
    assert_eq!(
        params[1]["schema"],
        json!({"default": "Asc", "allOf": [{"$ref": "#/components/schemas/Sort"}]})
    );
    let pet = &doc["components"]["schemas"]["Pet"];
    assert_eq!(pet["properties"]["kind"]["enum"], json!(["pet"]));
    assert!(pet["properties"]["kind"].get("const").is_none());
    assert_eq!(pet["properties"]["name"]["example"], "Rex");
    assert!(pet["properties"]["name"].get("examples").is_none());
    assert_eq!(
        pet["properties"]["owner"],
        json!({"allOf": [{"$ref": "#/components/schemas/Owner"}], "nullable": true})
    );
    // Files are `format: binary`, which 3.0 generators turn into file parameters.
    let body = &doc["components"]["schemas"]["Body_upload_photo"];
    assert_eq!(body["properties"]["photo"]["format"], "binary");
    assert_eq!(body["properties"]["photo"]["type"], "string");
    // No JSON Schema 2020-12 keyword is left anywhere.
    let text = doc.to_string();
    for keyword in [
        "\"const\"",
        "\"examples\":[",
        "\"prefixItems\"",
        "\"type\":[",
        "\"type\":\"null\"",
        "\"contentMediaType\"",
    ] {
        assert!(!text.contains(keyword), "{keyword} in a 3.0 document");
    }
}

#[test]
fn openapi_3_2_documents_stream_items() {
    let doc = app()
        .openapi_version(OpenApiVersion::V3_2)
        .openapi_value()
        .unwrap();
    export("spec_versions-3.2", &doc);
    assert_eq!(doc["openapi"], "3.2.0");
    let feed =
        &doc["paths"]["/pets/feed"]["get"]["responses"]["200"]["content"]["text/event-stream"];
    assert!(feed.get("schema").is_none() && feed.get("x-event-data").is_none());
    let item = &feed["itemSchema"];
    assert_eq!(item["required"], json!(["data"]));
    assert_eq!(
        item["properties"]["data"]["contentMediaType"],
        "application/json"
    );
    assert_eq!(
        item["properties"]["data"]["contentSchema"]["$ref"],
        "#/components/schemas/Pet"
    );
}

#[test]
fn the_served_document_follows_the_app_version() {
    ferrapi_tests::block_on(async {
        let client = ferrapi::testing::TestClient::new(app().openapi_version(OpenApiVersion::V3_0));
        let r = client.get("/openapi.json").send().await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.json_value()["openapi"], "3.0.3");
    });
}

#[test]
fn the_command_line_exports_each_version() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("spec_versions_cli");
    std::fs::create_dir_all(&dir).unwrap();
    for (flag, expected) in [("3.0", "3.0.3"), ("3.1", "3.1.0"), ("3.2.0", "3.2.0")] {
        let out = dir.join(format!("{flag}.json"));
        let args = [
            "app",
            "openapi",
            "--spec-version",
            flag,
            "--out",
            out.to_str().unwrap(),
        ];
        assert_eq!(ferrapi::cli::run(app(), args), 0);
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(doc["openapi"], expected);
        // `--check` compares against the same version.
        let check = [
            "app",
            "openapi",
            "--spec-version",
            flag,
            "--check",
            out.to_str().unwrap(),
        ];
        assert_eq!(ferrapi::cli::run(app(), check), 0);
    }
    // A 3.0 file is stale against the 3.1 document.
    let out = dir.join("3.0.json");
    assert_eq!(
        ferrapi::cli::run(app(), ["app", "openapi", "--check", out.to_str().unwrap()]),
        1
    );
    // An unknown version is a usage error.
    assert_eq!(
        ferrapi::cli::run(app(), ["app", "openapi", "--spec-version", "2.0"]),
        2
    );
}

#[test]
fn versions_parse_from_text() {
    assert_eq!("3.0".parse::<OpenApiVersion>(), Ok(OpenApiVersion::V3_0));
    assert_eq!("3.1.0".parse::<OpenApiVersion>(), Ok(OpenApiVersion::V3_1));
    assert!("3.3"
        .parse::<OpenApiVersion>()
        .unwrap_err()
        .contains("3.0, 3.1 or 3.2"));
    assert_eq!(OpenApiVersion::default().to_string(), "3.1.0");
}

#[model]
struct Conflict {
    reason: String,
}

#[post("/pets/{id}/adopt", responses(404 = HttpError, 409 = Conflict))]
async fn adopt(id: i64, pet: Json<Pet>) -> Json<Pet> {
    let _ = id;
    pet
}

#[test]
fn one_error_schema_for_generators() {
    use ferrapi::render::{openapi_with, OpenApiOptions};
    let api = App::new().routes(routes![adopt]).describe().unwrap();
    let plain = openapi(&api, OpenApiVersion::V3_0);
    let r = &plain["paths"]["/pets/{id}/adopt"]["post"]["responses"];
    assert_eq!(
        r["422"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/HTTPValidationError"
    );
    let one = openapi_with(
        &api,
        OpenApiOptions {
            version: OpenApiVersion::V3_0,
            one_error_schema: true,
        },
    );
    export("spec_versions-one-error-3.0", &one);
    let r = &one["paths"]["/pets/{id}/adopt"]["post"]["responses"];
    for status in ["404", "422"] {
        assert_eq!(
            r[status]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/HTTPError",
            "{status}"
        );
    }
    // A type of the app's own is kept.
    assert_eq!(
        r["409"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Conflict"
    );
    // HTTPError's detail refers to ValidationError, which stays listed.
    assert!(one["components"]["schemas"]
        .get("ValidationError")
        .is_some());
    assert!(one["components"]["schemas"]
        .get("HTTPValidationError")
        .is_none());
}

#[get("/pets/export")]
async fn export_owners() -> ferrapi::realtime::JsonLines<Owner> {
    ferrapi::realtime::JsonLines::new(futures_util::stream::iter(
        ["Ann", "Bo"].map(|n| Owner { name: n.into() }),
    ))
}

#[test]
fn json_lines_carry_their_item_type() {
    let api = App::new()
        .routes(routes![export_owners])
        .describe()
        .unwrap();
    let v31 = openapi(&api, OpenApiVersion::V3_1);
    let media =
        &v31["paths"]["/pets/export"]["get"]["responses"]["200"]["content"]["application/jsonl"];
    assert_eq!(media["x-item-schema"]["$ref"], "#/components/schemas/Owner");
    let v32 = openapi(&api, OpenApiVersion::V3_2);
    export("spec_versions-jsonl-3.2", &v32);
    let media =
        &v32["paths"]["/pets/export"]["get"]["responses"]["200"]["content"]["application/jsonl"];
    assert_eq!(media["itemSchema"]["$ref"], "#/components/schemas/Owner");
    let async_doc = ferrapi::render::asyncapi(&api);
    assert_eq!(
        async_doc["channels"]["export_owners"]["messages"]["item"]["payload"]["$ref"],
        "#/components/schemas/Owner"
    );
    ferrapi_tests::block_on(async {
        let client = ferrapi::testing::TestClient::new(App::new().routes(routes![export_owners]));
        let r = client.get("/pets/export").send().await;
        assert_eq!(r.header("content-type"), Some("application/jsonl"));
        let lines: Vec<Value> = r
            .text()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines, vec![json!({"name": "Ann"}), json!({"name": "Bo"})]);
    });
}

#[post("/token")]
async fn token(form: ferrapi::security::OAuth2PasswordRequestForm) -> Json<String> {
    Json(form.username)
}

#[post("/token-form")]
async fn token_form(form: Form<ferrapi::security::OAuth2PasswordRequestForm>) -> Json<String> {
    Json(form.0.username)
}

#[get("/missing", responses(404 = HttpError))]
async fn missing() -> Json<i64> {
    Json(0)
}

#[test]
fn framework_schemas_are_written_for_api_consumers() {
    let doc = App::new()
        .routes(routes![token, token_form, missing])
        .openapi_value()
        .unwrap();
    // No Rust: intra-doc links, code blocks or `Self::` from rustdoc comments.
    fn walk(v: &Value, at: &str) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    if k == "description" {
                        let d = x.as_str().unwrap_or_default();
                        for rust in ["](", "```", "Self::", "[`"] {
                            assert!(!d.contains(rust), "{at}/{k}: {d}");
                        }
                    }
                    walk(x, &format!("{at}/{k}"));
                }
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, at)),
            _ => {}
        }
    }
    walk(&doc["components"], "components");
    // The error component has one name, and a typed detail.
    let error = &doc["components"]["schemas"]["HTTPError"];
    assert_eq!(error["title"], "HTTPError");
    assert_eq!(
        error["properties"]["detail"]["anyOf"][0],
        json!({"type": "string"})
    );
    assert_eq!(
        error["properties"]["detail"]["anyOf"][1]["items"]["$ref"],
        "#/components/schemas/ValidationError"
    );
}
