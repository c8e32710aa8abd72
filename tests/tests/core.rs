//! The core contract, through HTTP with the in-process client: every parameter source,
//! each constraint's two effects (documented, and enforced with FastAPI's error), every
//! error shape, start-up checks.

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, ParamEnum)]
#[param(rename_all = "lowercase")]
enum Planet {
    Mercury,
    Venus,
    Earth,
}

#[model]
struct Picture {
    #[field(min_length = 3)]
    url: String,
}

#[model]
struct Gadget {
    #[field(min_length = 2, max_length = 10, pattern = "^[a-z]+$")]
    name: String,
    #[field(gt = 0, le = 1000)]
    price: f64,
    #[field(ge = 1, multiple_of = 5)]
    pack: i64,
    #[field(max_items = 2, default)]
    pictures: Vec<Picture>,
    note: Option<String>,
}

#[get("/scalars/{id}")]
async fn scalars(
    id: i64,
    #[query(ge = 1, le = 10)] page: i64,
    #[query(default = 0.5, gt = 0, lt = 1)] ratio: f64,
    #[query(min_length = 2, max_length = 4, pattern = "^[a-z]+$")] code: Option<String>,
    #[query(multiple_of = 3)] step: Option<i32>,
    flag: Option<bool>,
    #[query(alias = "tag")] tags: Option<Vec<String>>,
    #[header] user_agent: Option<String>,
    #[header(alias = "X-Count", ge = 0)] count: Option<u32>,
    #[cookie] session: Option<String>,
) -> Json<Value> {
    Json(json!({
        "id": id, "page": page, "ratio": ratio, "code": code, "step": step, "flag": flag,
        "tags": tags, "user_agent": user_agent, "count": count, "session": session,
    }))
}

#[get("/planets/{planet}")]
async fn planet(planet: Planet) -> Json<Value> {
    Json(json!({ "planet": planet.as_str(), "habitable": planet == Planet::Earth }))
}

#[get("/files/{p:path}")]
async fn files(p: String) -> String {
    p
}

#[post("/gadgets/{shop_id}", status = 201)]
async fn create_gadget(#[path(ge = 1)] shop_id: i64, gadget: Json<Gadget>) -> Json<Value> {
    Json(json!({ "shop_id": shop_id, "name": gadget.name, "price": gadget.price }))
}

#[get("/headers")]
async fn raw_headers(
    headers: ferrapi::__private::http::HeaderMap,
    method: ferrapi::__private::http::Method,
) -> Json<Value> {
    Json(json!({
        "method": method.as_str(),
        "x_custom": headers.get("x-custom").and_then(|v| v.to_str().ok()),
    }))
}

#[derive(Clone)]
struct Greeting(&'static str);

#[get("/hello")]
async fn hello(greeting: State<Greeting>, #[query(default = "world")] name: String) -> String {
    format!("{} {}", greeting.0 .0, name)
}

#[get("/teapot")]
async fn teapot() -> Result<Json<Value>, HttpError> {
    Err(
        HttpError::new(StatusCode::IM_A_TEAPOT, json!({"why": "short and stout"}))
            .with_header("x-teapot", "yes"),
    )
}

#[get("/boom")]
async fn boom() -> Json<Value> {
    panic!("handler exploded")
}

#[delete("/things/{id}")]
async fn delete_thing(id: i64) -> NoContent {
    let _ = id;
    NoContent
}

#[get("/status")]
async fn choose_status(#[query(default = false)] accepted: bool) -> (StatusCode, Json<Value>) {
    if accepted {
        (StatusCode::ACCEPTED, Json(json!({"ok": true})))
    } else {
        (StatusCode::OK, Json(json!({"ok": false})))
    }
}

#[get("/page", responses(404 = HttpError))]
async fn html_page() -> Html<&'static str> {
    Html("<h1>hi</h1>")
}

fn app() -> App {
    App::new()
        .title("Core")
        .state(Greeting("hello"))
        .routes(routes![
            scalars,
            planet,
            files,
            create_gadget,
            raw_headers,
            hello,
            teapot,
            boom,
            delete_thing,
            choose_status,
            html_page
        ])
}

fn client() -> TestClient {
    TestClient::new(app())
}

fn detail(res: &ferrapi::testing::TestResponse) -> Vec<Value> {
    assert_eq!(res.status(), 422, "{}", res.text());
    assert_eq!(res.header("content-type"), Some("application/json"));
    res.json_value()["detail"].as_array().cloned().unwrap()
}

#[test]
fn every_parameter_source_is_read() {
    block_on(async {
        let c = client();
        let res = c
            .get("/scalars/7?page=2&code=abc&step=9&flag=yes&tag=a&tag=b")
            .header("user-agent", "tester/1")
            .header("x-count", "4")
            .header("cookie", "session=s3cr3t; other=1")
            .send()
            .await;
        assert_eq!(res.status(), 200, "{}", res.text());
        assert_eq!(
            res.json_value(),
            json!({"id": 7, "page": 2, "ratio": 0.5, "code": "abc", "step": 9, "flag": true,
                   "tags": ["a", "b"], "user_agent": "tester/1", "count": 4, "session": "s3cr3t"})
        );
        let res = c.get("/planets/venus").send().await;
        assert_eq!(
            res.json_value(),
            json!({"planet": "venus", "habitable": false})
        );
        let res = c.get("/files/a/b/c.txt").send().await;
        assert_eq!(res.json_value(), json!("a/b/c.txt"));
        let res = c.get("/hello").query("name", "ferris").send().await;
        assert_eq!(res.json_value(), json!("hello ferris"));
        let res = c.get("/headers").header("x-custom", "v").send().await;
        assert_eq!(res.json_value(), json!({"method": "GET", "x_custom": "v"}));
    });
}

#[test]
fn all_failing_inputs_are_listed_in_fastapi_order() {
    block_on(async {
        let res = client()
            .get("/scalars/x?page=0&ratio=1&code=A&step=4&flag=maybe&tag=a")
            .header("x-count", "-1")
            .send()
            .await;
        let d = detail(&res);
        let kinds: Vec<(&str, Value)> = d
            .iter()
            .map(|e| (e["type"].as_str().unwrap(), e["loc"].clone()))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("int_parsing", json!(["path", "id"])),
                ("greater_than_equal", json!(["query", "page"])),
                ("less_than", json!(["query", "ratio"])),
                ("string_too_short", json!(["query", "code"])),
                ("multiple_of", json!(["query", "step"])),
                ("bool_parsing", json!(["query", "flag"])),
                ("greater_than_equal", json!(["header", "X-Count"])),
            ]
        );
        assert_eq!(d[0]["input"], "x");
        assert_eq!(d[1]["ctx"], json!({"ge": 1}));
        assert_eq!(d[1]["msg"], "Input should be greater than or equal to 1");
        assert_eq!(d[2]["ctx"], json!({"lt": 1.0}));
        assert_eq!(d[3]["msg"], "String should have at least 2 characters");
        assert_eq!(d[4]["msg"], "Input should be a multiple of 3");
    });
}

#[test]
fn missing_required_and_pattern_and_too_long() {
    block_on(async {
        let c = client();
        let d = detail(&c.get("/scalars/1").send().await);
        assert_eq!(
            d,
            vec![
                json!({"type": "missing", "loc": ["query", "page"], "msg": "Field required", "input": null})
            ]
        );
        let d = detail(&c.get("/scalars/1?page=1&code=abcde").send().await);
        assert_eq!(d[0]["type"], "string_too_long");
        assert_eq!(d[0]["ctx"], json!({"max_length": 4}));
        let d = detail(&c.get("/scalars/1?page=1&code=AB").send().await);
        assert_eq!(d[0]["type"], "string_pattern_mismatch");
        assert_eq!(d[0]["ctx"], json!({"pattern": "^[a-z]+$"}));
        let d = detail(&c.get("/scalars/1?page=11").send().await);
        assert_eq!(d[0]["type"], "less_than_equal");
        let d = detail(&c.get("/scalars/1?page=1&ratio=0").send().await);
        assert_eq!(d[0]["type"], "greater_than");
        let d = detail(&c.get("/planets/pluto").send().await);
        assert_eq!(
            d[0],
            json!({"type": "enum", "loc": ["path", "planet"], "msg": "Input should be 'mercury', 'venus' or 'earth'",
                   "input": "pluto", "ctx": {"expected": "'mercury', 'venus' or 'earth'"}})
        );
    });
}

#[test]
fn constraints_are_documented() {
    let doc = app().openapi_value().unwrap();
    let params = doc["paths"]["/scalars/{id}"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .clone();
    let by_name = |n: &str| params.iter().find(|p| p["name"] == n).cloned().unwrap();
    assert_eq!(by_name("id")["in"], "path");
    assert_eq!(by_name("id")["required"], true);
    let page = by_name("page");
    assert_eq!(page["required"], true);
    assert_eq!(page["schema"]["minimum"], 1);
    assert_eq!(page["schema"]["maximum"], 10);
    let ratio = by_name("ratio");
    assert_eq!(ratio["required"], false);
    assert_eq!(ratio["schema"]["exclusiveMinimum"], 0);
    assert_eq!(ratio["schema"]["exclusiveMaximum"], 1);
    assert_eq!(ratio["schema"]["default"], 0.5);
    let code = by_name("code");
    assert_eq!(code["schema"]["anyOf"][0]["minLength"], 2);
    assert_eq!(code["schema"]["anyOf"][0]["maxLength"], 4);
    assert_eq!(code["schema"]["anyOf"][0]["pattern"], "^[a-z]+$");
    assert_eq!(code["schema"]["anyOf"][1]["type"], "null");
    assert_eq!(by_name("step")["schema"]["anyOf"][0]["multipleOf"], 3);
    assert_eq!(by_name("tag")["schema"]["anyOf"][0]["type"], "array");
    assert_eq!(by_name("user-agent")["in"], "header");
    assert_eq!(by_name("X-Count")["schema"]["anyOf"][0]["minimum"], 0);
    assert_eq!(by_name("session")["in"], "cookie");
    // Enum path parameters are a component, as in FastAPI.
    let planet = &doc["paths"]["/planets/{planet}"]["get"]["parameters"][0];
    assert_eq!(planet["schema"]["$ref"], "#/components/schemas/Planet");
    assert_eq!(
        doc["components"]["schemas"]["Planet"]["enum"],
        json!(["mercury", "venus", "earth"])
    );
    // {p:path} is documented as {p}.
    assert!(doc["paths"]["/files/{p}"]["get"].is_object());
    // Model field constraints.
    let gadget = &doc["components"]["schemas"]["Gadget"];
    assert_eq!(gadget["properties"]["name"]["minLength"], 2);
    assert_eq!(gadget["properties"]["name"]["maxLength"], 10);
    assert_eq!(gadget["properties"]["name"]["pattern"], "^[a-z]+$");
    assert_eq!(gadget["properties"]["price"]["exclusiveMinimum"], 0.0);
    assert_eq!(gadget["properties"]["price"]["maximum"], 1000.0);
    assert_eq!(gadget["properties"]["pack"]["multipleOf"], 5.0);
    assert_eq!(gadget["properties"]["pictures"]["maxItems"], 2);
    let required: Vec<&str> = gadget["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(required, vec!["name", "price", "pack"]);
    // Every operation with inputs documents the 422 with FastAPI's components.
    let op = &doc["paths"]["/gadgets/{shop_id}"]["post"];
    assert_eq!(
        op["responses"]["422"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/HTTPValidationError"
    );
    assert_eq!(op["responses"]["201"]["description"], "Successful Response");
    assert_eq!(op["requestBody"]["required"], true);
    assert_eq!(
        op["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Gadget"
    );
    assert!(doc["components"]["schemas"]["ValidationError"]["properties"]["ctx"].is_object());
    // An operation without inputs has no 422.
    assert!(doc["paths"]["/boom"]["get"]["responses"]
        .get("422")
        .is_none());
}

#[test]
fn json_bodies_are_validated_with_every_error_listed() {
    block_on(async {
        let c = client();
        let ok = c
            .post("/gadgets/3")
            .json(&json!({"name": "radio", "price": 10, "pack": 5}))
            .send()
            .await;
        assert_eq!(ok.status(), 201, "{}", ok.text());
        assert_eq!(
            ok.json_value(),
            json!({"shop_id": 3, "name": "radio", "price": 10.0})
        );

        let bad = c
            .post("/gadgets/0")
            .json(&json!({"name": "R", "price": 0, "pack": 7, "pictures": [{"url": "ok!"}, {"url": "x"}, {"url": "abc"}]}))
            .send()
            .await;
        let d = detail(&bad);
        let locs: Vec<Value> = d.iter().map(|e| e["loc"].clone()).collect();
        assert_eq!(
            locs,
            vec![
                json!(["path", "shop_id"]),
                json!(["body", "name"]),
                json!(["body", "price"]),
                json!(["body", "pack"]),
                json!(["body", "pictures"]),
                json!(["body", "pictures", 1, "url"]),
            ]
        );
        assert_eq!(d[4]["type"], "too_long");

        // Type errors are all reported, with the nested location.
        let bad = c
            .post("/gadgets/1")
            .json(&json!({"name": 5, "price": "cheap", "pictures": [{"url": 1}]}))
            .send()
            .await;
        let d = detail(&bad);
        let got: Vec<(String, Value)> = d
            .iter()
            .map(|e| (e["type"].as_str().unwrap().to_string(), e["loc"].clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("string_type".into(), json!(["body", "name"])),
                ("float_parsing".into(), json!(["body", "price"])),
                ("missing".into(), json!(["body", "pack"])),
                ("string_type".into(), json!(["body", "pictures", 0, "url"])),
            ]
        );
        // A missing field's input is the whole object, as in FastAPI.
        assert_eq!(d[2]["input"]["name"], 5);
    });
}

#[test]
fn hostile_bodies_get_clear_answers_and_the_app_keeps_serving() {
    block_on(async {
        let c = TestClient::new(app().body_limit(1024));
        // Malformed JSON.
        let d = detail(
            &c.post("/gadgets/1")
                .header("content-type", "application/json")
                .body("{\"name\": }")
                .send()
                .await,
        );
        assert_eq!(d[0]["type"], "json_invalid");
        assert_eq!(d[0]["loc"], json!(["body", 9]));
        assert_eq!(d[0]["ctx"]["error"], "Expecting value");
        // Missing body.
        let d = detail(
            &c.post("/gadgets/1")
                .header("content-type", "application/json")
                .send()
                .await,
        );
        assert_eq!(
            d[0],
            json!({"type": "missing", "loc": ["body"], "msg": "Field required", "input": null})
        );
        // Wrong content type: the body reaches the model as text.
        let d = detail(
            &c.post("/gadgets/1")
                .header("content-type", "text/plain")
                .body("hello")
                .send()
                .await,
        );
        assert_eq!(d[0]["type"], "model_attributes_type");
        assert_eq!(d[0]["input"], "hello");
        // Not an object.
        let d = detail(&c.post("/gadgets/1").json(&json!([1, 2])).send().await);
        assert_eq!(d[0]["type"], "model_attributes_type");
        // Invalid UTF-8.
        let res = c
            .post("/gadgets/1")
            .header("content-type", "application/json")
            .body(vec![b'{', 0xff, b'}'])
            .send()
            .await;
        assert_eq!(res.status(), 400);
        assert_eq!(
            res.json_value(),
            json!({"detail": "There was an error parsing the body"})
        );
        // Too large.
        let big = format!("{{\"name\": \"{}\"}}", "a".repeat(4096));
        let res = c
            .post("/gadgets/1")
            .header("content-type", "application/json")
            .body(big)
            .send()
            .await;
        assert_eq!(res.status(), 413);
        assert_eq!(
            res.json_value(),
            json!({"detail": "Request body too large"})
        );
        // Deeply nested JSON: no stack overflow.
        let deep = format!("{}{}", "[".repeat(400), "]".repeat(400));
        let res = c
            .post("/gadgets/1")
            .header("content-type", "application/json")
            .body(deep)
            .send()
            .await;
        assert_eq!(res.status(), 422);
        // Huge numbers and duplicate keys.
        let res = c
            .post("/gadgets/1")
            .header("content-type", "application/json")
            .body(r#"{"name": "radio", "price": 1e400, "pack": 99999999999999999999999}"#)
            .send()
            .await;
        assert_eq!(res.status(), 422, "{}", res.text());
        let res = c
            .post("/gadgets/1")
            .header("content-type", "application/json")
            .body(r#"{"name": "radio", "name": "tv", "price": 1, "pack": 5}"#)
            .send()
            .await;
        // The last value wins, as in pydantic.
        assert_eq!(res.status(), 201, "{}", res.text());
        assert_eq!(res.json_value()["name"], "tv");
        // Still serving.
        let res = c
            .post("/gadgets/1")
            .json(&json!({"name": "radio", "price": 1, "pack": 5}))
            .send()
            .await;
        assert_eq!(res.status(), 201);
    });
}

#[test]
fn error_shapes() {
    block_on(async {
        let c = client();
        let res = c.get("/teapot").send().await;
        assert_eq!(res.status(), 418);
        assert_eq!(
            res.json_value(),
            json!({"detail": {"why": "short and stout"}})
        );
        assert_eq!(res.header("x-teapot"), Some("yes"));

        let res = c.get("/nowhere").send().await;
        assert_eq!(res.status(), 404);
        assert_eq!(res.json_value(), json!({"detail": "Not Found"}));

        let res = c.post("/hello").send().await;
        assert_eq!(res.status(), 405);
        assert_eq!(res.json_value(), json!({"detail": "Method Not Allowed"}));
        assert!(res.header("allow").unwrap().contains("GET"));

        let res = c.get("/boom").send().await;
        assert_eq!(res.status(), 500);
        assert_eq!(res.json_value(), json!({"detail": "Internal Server Error"}));
        // The app keeps serving after a panic.
        let res = c.get("/hello").send().await;
        assert_eq!(res.status(), 200);

        // Trailing-slash redirect keeps the query.
        let res = c.get("/hello/?name=x").send().await;
        assert_eq!(res.status(), 307);
        assert_eq!(res.header("location"), Some("/hello?name=x"));
    });
}

#[test]
fn return_types_answer_and_document() {
    block_on(async {
        let c = client();
        let res = c.delete("/things/3").send().await;
        assert_eq!(res.status(), 204);
        assert!(res.bytes().is_empty());
        let res = c.get("/status?accepted=true").send().await;
        assert_eq!(res.status(), 202);
        let res = c.get("/page").send().await;
        assert_eq!(res.header("content-type"), Some("text/html; charset=utf-8"));
        assert_eq!(res.text(), "<h1>hi</h1>");
    });
    let doc = app().openapi_value().unwrap();
    let del = &doc["paths"]["/things/{id}"]["delete"]["responses"];
    assert_eq!(del["204"], json!({"description": "Successful Response"}));
    let page = &doc["paths"]["/page"]["get"]["responses"];
    assert!(page["200"]["content"]["text/html"].is_object());
    assert_eq!(
        page["404"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/HTTPError"
    );
    let hello = &doc["paths"]["/hello"]["get"]["responses"]["200"];
    assert_eq!(
        hello["content"]["application/json"]["schema"]["type"],
        "string"
    );
}

#[test]
fn document_is_exported_for_schema_validation() {
    let doc = app().openapi_value().unwrap();
    ferrapi_tests::export_doc(env!("CARGO_TARGET_TMPDIR"), "core", &doc);
}

#[test]
fn operation_metadata_defaults() {
    let doc = app().openapi_value().unwrap();
    let op = &doc["paths"]["/scalars/{id}"]["get"];
    assert_eq!(op["operationId"], "scalars");
    assert_eq!(op["summary"], "Scalars");
    let doc = app()
        .operation_ids(ferrapi::OperationIds::FastApi)
        .openapi_value()
        .unwrap();
    assert_eq!(
        doc["paths"]["/scalars/{id}"]["get"]["operationId"],
        "scalars_scalars__id__get"
    );
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Core");
}

mod dup_a {
    use ferrapi::prelude::*;
    #[get("/a")]
    pub(crate) async fn same() -> String {
        "a".into()
    }
}
mod dup_b {
    use ferrapi::prelude::*;
    #[get("/b")]
    pub(crate) async fn same() -> String {
        "b".into()
    }
}

#[test]
fn duplicate_operation_ids_are_rejected_at_startup() {
    let err = App::new()
        .routes(routes![dup_a::same, dup_b::same])
        .openapi_value()
        .unwrap_err();
    assert!(err.0.contains("duplicate operation id `same`"), "{err}");
    assert!(
        err.0.contains("GET /a") && err.0.contains("GET /b"),
        "{err}"
    );
}

#[test]
fn missing_state_is_rejected_at_startup() {
    let err = App::new()
        .routes(routes![hello])
        .openapi_value()
        .unwrap_err();
    assert!(
        err.0.contains("State<") && err.0.contains("Greeting"),
        "{err}"
    );
}

#[test]
fn docs_pages_are_served() {
    block_on(async {
        let c = client();
        let res = c.get("/openapi.json").send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json_value()["info"]["title"], "Core");
        let res = c.get("/docs/").send().await;
        assert_eq!(res.status(), 200);
        assert!(res.text().contains("swagger"), "{}", res.text());
        let res = c.get("/docs/swagger-initializer.js").send().await;
        assert!(
            res.text().contains(r#"url: "../openapi.json""#),
            "{}",
            res.text()
        );
        let res = c.get("/docs/oauth2-redirect.html").send().await;
        assert_eq!(res.status(), 200);
        // Swagger UI resolves a relative tokenUrl ("token") against /docs/: sent on to /token.
        let res = c
            .post("/docs/token")
            .form(&[("username", "u")])
            .send()
            .await;
        assert_eq!(res.status(), 307);
        assert_eq!(res.header("location"), Some("/token"));
        assert_eq!(c.delete("/docs/swagger-ui.css").send().await.status(), 405);
        let res = c.get("/redoc").send().await;
        assert!(res.text().contains("<redoc spec-url=\"openapi.json\">"));

        let c = TestClient::new(
            app()
                .openapi_url(Some("/api/v1/openapi.json"))
                .docs_url(Some("/api/docs"))
                .redoc_url(None),
        );
        assert_eq!(c.get("/openapi.json").send().await.status(), 404);
        assert_eq!(c.get("/api/v1/openapi.json").send().await.status(), 200);
        assert_eq!(c.get("/redoc").send().await.status(), 404);
        let js = c.get("/api/docs/swagger-initializer.js").send().await;
        assert!(
            js.text().contains(r#"url: "../v1/openapi.json""#),
            "{}",
            js.text()
        );

        let c = TestClient::new(app().openapi_url(None));
        assert_eq!(c.get("/openapi.json").send().await.status(), 404);
        assert_eq!(c.get("/docs/").send().await.status(), 404);
        assert_eq!(c.get("/redoc").send().await.status(), 404);
    });
}

#[test]
fn app_is_an_axum_router_that_takes_layers_and_merges() {
    block_on(async {
        let extra =
            axum::Router::new().route("/plain", axum::routing::get(|| async { "plain axum" }));
        let router = app()
            .merge(extra)
            .map_router(|r| {
                r.layer(axum::middleware::map_response(
                    |mut res: axum::response::Response| async move {
                        res.headers_mut().insert("x-layer", "on".parse().unwrap());
                        res
                    },
                ))
            })
            .into_router();
        let c = TestClient::from_router(router);
        let res = c.get("/plain").send().await;
        assert_eq!(res.text(), "plain axum");
        assert_eq!(res.header("x-layer"), Some("on"));
        let res = c.get("/hello").send().await;
        assert_eq!(res.header("x-layer"), Some("on"));
    });
}

#[test]
fn routers_nest_with_prefixes_and_tags() {
    let inner = ferrapi::Router::new()
        .prefix("/ships")
        .tags(["ships"])
        .routes(routes![planet]);
    let outer = ferrapi::Router::new()
        .prefix("/v2")
        .tags(["v2"])
        .response(403, "Forbidden")
        .include(inner);
    let app = App::new().include(outer);
    let doc = app.openapi_value().unwrap();
    let op = &doc["paths"]["/v2/ships/planets/{planet}"]["get"];
    assert_eq!(op["tags"], json!(["v2", "ships"]));
    assert_eq!(op["responses"]["403"]["description"], "Forbidden");
    block_on(async {
        let c = TestClient::new(app);
        let res = c.get("/v2/ships/planets/earth").send().await;
        assert_eq!(res.json_value()["habitable"], true);
    });
}

mod query_struct {
    use super::*;

    #[model]
    pub(crate) struct Filter {
        #[field(default = 0, ge = 0)]
        pub skip: i64,
        #[field(default = 10, le = 100)]
        pub limit: i64,
        #[field(default)]
        pub tag: Vec<String>,
        #[field(min_length = 2, example = "hat")]
        pub q: Option<String>,
        #[field(deprecated)]
        pub exact: Option<bool>,
    }

    #[model]
    pub(crate) struct Needs {
        pub id: i64,
    }

    #[get("/needs")]
    pub(crate) async fn needs(n: Query<Needs>) -> Json<i64> {
        Json(n.id)
    }

    #[get("/search")]
    pub(crate) async fn search(
        filter: Query<Filter>,
        #[query(default = 1)] page: i64,
    ) -> Json<Value> {
        Json(
            json!({"skip": filter.skip, "limit": filter.limit, "tag": filter.tag, "q": filter.q, "exact": filter.exact, "page": page}),
        )
    }

    #[test]
    fn a_struct_of_query_parameters() {
        block_on(async {
            let c = TestClient::new(App::new().routes(routes![search, needs]));
            let res = c
                .get("/search?skip=10.0&tag=a&tag=b&q=hat&exact=yes")
                .send()
                .await;
            assert_eq!(
                res.json_value(),
                json!({"skip": 10, "limit": 10, "tag": ["a", "b"], "q": "hat", "exact": true, "page": 1})
            );
            let d = detail(&c.get("/search?skip=-1&limit=x&q=h&page=z").send().await);
            let locs: Vec<Value> = d.iter().map(|e| e["loc"].clone()).collect();
            assert_eq!(
                locs,
                vec![
                    json!(["query", "skip"]),
                    json!(["query", "limit"]),
                    json!(["query", "q"]),
                    json!(["query", "page"])
                ]
            );
            assert_eq!(d[1]["type"], "int_parsing");
            assert_eq!(d[1]["input"], "x");
            let d = detail(&c.get("/needs").send().await);
            assert_eq!(
                d,
                vec![
                    json!({"type": "missing", "loc": ["query", "id"], "msg": "Field required", "input": null})
                ]
            );
            let d = detail(&c.get("/needs?id=x").send().await);
            assert_eq!(d.len(), 1);
            assert_eq!(d[0]["type"], "int_parsing");
            let d = detail(&c.get("/search?skip=-1&q=h").send().await);
            let got: Vec<(Value, Value)> = d
                .iter()
                .map(|e| (e["type"].clone(), e["loc"].clone()))
                .collect();
            assert_eq!(
                got,
                vec![
                    (json!("greater_than_equal"), json!(["query", "skip"])),
                    (json!("string_too_short"), json!(["query", "q"])),
                ]
            );
        });
        let doc = App::new().routes(routes![search]).openapi_value().unwrap();
        let params = doc["paths"]["/search"]["get"]["parameters"]
            .as_array()
            .unwrap();
        let names: Vec<&str> = params.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["skip", "limit", "tag", "q", "exact", "page"]);
        assert_eq!(params[0]["schema"]["minimum"], 0.0);
        assert_eq!(params[0]["required"], false);
        assert_eq!(params[2]["schema"]["type"], "array");
        assert_eq!(params[3]["schema"]["examples"], json!(["hat"]));
        assert_eq!(params[4]["deprecated"], true);
    }
}

mod route_options {
    use super::*;

    /// Read a gizmo
    ///
    /// Looks the gizmo up by its UUID.
    /// Answers 404 when there is none.
    #[get("/gizmos/{gizmo_id}", tags = ["gizmos"], response_description = "The gizmo")]
    pub(crate) async fn read_gizmo(gizmo_id: String) -> String {
        gizmo_id
    }

    #[get("/uuid/{id}")]
    pub(crate) async fn by_uuid(id: uuid::Uuid) -> String {
        id.to_string()
    }

    #[deprecated]
    #[get("/old", operation_id = "legacyOld")]
    pub(crate) async fn old() -> String {
        "old".into()
    }

    #[get("/hidden", include_in_schema = false)]
    pub(crate) async fn hidden() -> String {
        "hidden".into()
    }

    #[route("/multi", methods = ["GET", "POST"], summary = "Either way")]
    pub(crate) async fn multi(method: ferrapi::__private::http::Method) -> String {
        method.to_string()
    }

    #[post("/made", deprecated, description = "Explicit description")]
    pub(crate) async fn made() -> Created<Vec<i64>> {
        Created(vec![1, 2])
    }

    #[allow(deprecated)]
    fn app() -> App {
        App::new()
            .server("https://api.example.com", Some("production"))
            .tag("gizmos", "Gizmo operations")
            .routes(routes![by_uuid, old, hidden, multi, made])
    }

    #[test]
    fn options_are_documented_and_served() {
        let doc = app().openapi_value().unwrap();
        let old = &doc["paths"]["/old"]["get"];
        assert_eq!(old["deprecated"], true);
        assert_eq!(old["operationId"], "legacyOld");
        assert!(doc["paths"].get("/hidden").is_none());
        assert_eq!(doc["paths"]["/multi"]["get"]["summary"], "Either way");
        assert_eq!(doc["paths"]["/multi"]["post"]["summary"], "Either way");
        assert_eq!(doc["paths"]["/multi"]["get"]["operationId"], "multi_get");
        assert_eq!(doc["paths"]["/multi"]["post"]["operationId"], "multi_post");
        let made = &doc["paths"]["/made"]["post"];
        assert_eq!(made["deprecated"], true);
        assert_eq!(made["description"], "Explicit description");
        assert_eq!(
            made["responses"]["201"]["content"]["application/json"]["schema"]["type"],
            "array"
        );
        assert_eq!(
            doc["servers"],
            json!([{"url": "https://api.example.com", "description": "production"}])
        );
        assert_eq!(
            doc["tags"],
            json!([{"name": "gizmos", "description": "Gizmo operations"}])
        );
        let id = &doc["paths"]["/uuid/{id}"]["get"]["parameters"][0]["schema"];
        assert_eq!(id["format"], "uuid");
        block_on(async {
            let c = TestClient::new(app());
            assert_eq!(c.get("/hidden").send().await.json_value(), json!("hidden"));
            assert_eq!(c.get("/multi").send().await.json_value(), json!("GET"));
            assert_eq!(c.post("/multi").send().await.json_value(), json!("POST"));
            let res = c.post("/made").send().await;
            assert_eq!(res.status(), 201);
            let res = c
                .get("/uuid/67e55044-10b1-426f-9247-bb680e5fe0c8")
                .send()
                .await;
            assert_eq!(
                res.json_value(),
                json!("67e55044-10b1-426f-9247-bb680e5fe0c8")
            );
            let d = detail(&c.get("/uuid/nope").send().await);
            assert_eq!(d[0]["type"], "uuid_parsing");
        });
    }

    #[test]
    fn summary_and_description_come_from_the_doc_comment() {
        let doc = App::new()
            .routes(routes![read_gizmo])
            .openapi_value()
            .unwrap();
        let op = &doc["paths"]["/gizmos/{gizmo_id}"]["get"];
        assert_eq!(op["summary"], "Read a gizmo");
        assert_eq!(
            op["description"],
            "Looks the gizmo up by its UUID.\nAnswers 404 when there is none."
        );
        assert_eq!(op["tags"], json!(["gizmos"]));
        assert_eq!(op["responses"]["200"]["description"], "The gizmo");
    }
}

mod serialization_failure {
    use super::*;

    fn refuse<S: serde::Serializer>(_: &u8, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("cannot be written"))
    }

    #[derive(serde::Serialize, ToSchema)]
    pub(crate) struct Broken {
        #[serde(serialize_with = "refuse")]
        value: u8,
    }

    #[get("/broken")]
    pub(crate) async fn broken() -> Json<Broken> {
        Json(Broken { value: 1 })
    }

    #[test]
    fn a_response_that_cannot_be_serialized_is_the_json_500() {
        block_on(async {
            let c = TestClient::new(
                App::new()
                    .routes(routes![broken, hello])
                    .state(Greeting("hi")),
            );
            let res = c.get("/broken").send().await;
            assert_eq!(res.status(), 500);
            assert_eq!(res.header("content-type"), Some("application/json"));
            assert_eq!(res.json_value(), json!({"detail": "Internal Server Error"}));
            assert_eq!(c.get("/hello").send().await.status(), 200, "still serving");
        });
    }
}
