//! Form bodies: separate `#[form]` fields and `Form<Model>`, urlencoded and multipart,
//! with FastAPI's error shapes and documentation.

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::{json, Value};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ParamEnum)]
#[param(rename_all = "lowercase")]
enum Plan {
    Free,
    Pro,
}

#[derive(Clone)]
struct Greeting(&'static str);

#[post("/signup/{team}")]
async fn signup(
    greeting: State<Greeting>,
    team: i64,
    #[query(default = false)] dry_run: bool,
    #[form(min_length = 3, description = "Login name")] login: String,
    #[form(ge = 13)] age: i64,
    #[form] plan: Plan,
    #[form] tags: Vec<String>,
    #[form] nickname: Option<String>,
    #[form(default = false)] newsletter: bool,
) -> Json<Value> {
    Json(json!({
        "greeting": greeting.0 .0, "team": team, "dry_run": dry_run, "login": login, "age": age, "plan": plan.as_str(),
        "tags": tags, "nickname": nickname, "newsletter": newsletter,
    }))
}

#[model]
struct Profile {
    name: String,
    #[field(ge = 1, le = 5)]
    stars: i64,
    tags: Vec<i64>,
}

#[post("/profile")]
async fn profile(p: Form<Profile>) -> Json<Value> {
    Json(json!({"name": p.name, "stars": p.stars, "tags": p.tags}))
}

fn app() -> App {
    App::new()
        .state(Greeting("hi"))
        .routes(routes![signup, profile])
}

fn multipart(fields: &[(&str, &str)]) -> (String, String) {
    let boundary = "ferrapi-test-boundary";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[test]
fn form_fields_are_read_from_both_encodings() {
    block_on(async {
        let c = TestClient::new(app());
        let fields = [
            ("login", "kay"),
            ("age", "13.0"),
            ("plan", "pro"),
            ("tags", "a"),
            ("tags", "b"),
            ("newsletter", "on"),
        ];
        let want = json!({
            "greeting": "hi", "team": 7, "dry_run": false, "login": "kay", "age": 13, "plan": "pro",
            "tags": ["a", "b"], "nickname": null, "newsletter": true,
        });
        let res = c.post("/signup/7").form(&fields).send().await;
        assert_eq!(res.status(), 200, "{}", res.text());
        assert_eq!(res.json_value(), want);
        let (ct, body) = multipart(&fields);
        let res = c
            .post("/signup/7")
            .header("content-type", &ct)
            .body(body)
            .send()
            .await;
        assert_eq!(res.json_value(), want);
        // An empty value is absent: the default applies, or the field is missing.
        let res = c
            .post("/signup/7")
            .form(&[
                ("login", "kay"),
                ("age", "20"),
                ("plan", "free"),
                ("tags", ""),
                ("nickname", ""),
                ("newsletter", ""),
            ])
            .send()
            .await;
        assert_eq!(
            res.json_value(),
            json!({
                "greeting": "hi", "team": 7, "dry_run": false, "login": "kay", "age": 20, "plan": "free",
                "tags": [""], "nickname": null, "newsletter": false,
            })
        );
    });
}

#[test]
fn form_field_errors_come_last_with_the_text_sent() {
    block_on(async {
        let c = TestClient::new(app());
        let res = c
            .post("/signup/x?dry_run=maybe")
            .form(&[("login", "k"), ("age", "12"), ("plan", "gold")])
            .send()
            .await;
        assert_eq!(res.status(), 422);
        let got: Vec<(Value, Value, Value)> = res.json_value()["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["type"].clone(), e["loc"].clone(), e["input"].clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (json!("int_parsing"), json!(["path", "team"]), json!("x")),
                (
                    json!("bool_parsing"),
                    json!(["query", "dry_run"]),
                    json!("maybe")
                ),
                (
                    json!("string_too_short"),
                    json!(["body", "login"]),
                    json!("k")
                ),
                (
                    json!("greater_than_equal"),
                    json!(["body", "age"]),
                    json!("12")
                ),
                (json!("enum"), json!(["body", "plan"]), json!("gold")),
                (json!("missing"), json!(["body", "tags"]), Value::Null),
            ]
        );
        // A JSON body has no form fields: every required one is missing, input null.
        let res = c
            .post("/signup/1")
            .json(&json!({"login": "kay"}))
            .send()
            .await;
        let locs: Vec<Value> = res.json_value()["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                assert_eq!(e["input"], Value::Null);
                e["loc"].clone()
            })
            .collect();
        assert_eq!(
            locs,
            vec![
                json!(["body", "login"]),
                json!(["body", "age"]),
                json!(["body", "plan"]),
                json!(["body", "tags"]),
            ]
        );
    });
}

#[test]
fn form_model_errors_report_the_form_as_pydantic_does() {
    block_on(async {
        let c = TestClient::new(app());
        let res = c
            .post("/profile")
            .form(&[
                ("name", "lee"),
                ("stars", "4"),
                ("tags", "1"),
                ("tags", "2"),
            ])
            .send()
            .await;
        assert_eq!(
            res.json_value(),
            json!({"name": "lee", "stars": 4, "tags": [1, 2]})
        );
        let res = c
            .post("/profile")
            .form(&[
                ("stars", "9"),
                ("tags", "1"),
                ("tags", "x"),
                ("spam", "eggs"),
            ])
            .send()
            .await;
        assert_eq!(res.status(), 422);
        assert_eq!(
            res.json_value()["detail"],
            json!([
                {"type": "missing", "loc": ["body", "name"], "msg": "Field required",
                 "input": {"stars": "9", "tags": ["1", "x"], "spam": "eggs"}},
                {"type": "less_than_equal", "loc": ["body", "stars"],
                 "msg": "Input should be less than or equal to 5", "input": "9",
                 "ctx": {"le": 5}},
                {"type": "int_parsing", "loc": ["body", "tags", 1],
                 "msg": "Input should be a valid integer, unable to parse string as an integer",
                 "input": "x"},
            ])
        );
        // Valid types, a value out of range: also reported with the text sent.
        let res = c
            .post("/profile")
            .form(&[("name", "lee"), ("stars", "9"), ("tags", "1")])
            .send()
            .await;
        assert_eq!(
            res.json_value()["detail"],
            json!([{"type": "less_than_equal", "loc": ["body", "stars"],
                    "msg": "Input should be less than or equal to 5", "input": "9",
                    "ctx": {"le": 5}}])
        );
    });
}

#[test]
fn form_fields_are_documented_as_a_body_component() {
    let doc = app().openapi_value().unwrap();
    ferrapi_tests::export_doc(env!("CARGO_TARGET_TMPDIR"), "forms", &doc);
    let op = &doc["paths"]["/signup/{team}"]["post"];
    assert!(
        doc["components"]["schemas"].get("Body_profile").is_none(),
        "a Form<Model> keeps its model"
    );
    assert_eq!(
        op["requestBody"],
        json!({"content": {"application/x-www-form-urlencoded": {"schema": {"$ref": "#/components/schemas/Body_signup"}}}, "required": true})
    );
    let names: Vec<&str> = op["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["team", "dry_run"], "form fields are not parameters");
    let body = &doc["components"]["schemas"]["Body_signup"];
    assert_eq!(body["title"], "Body_signup");
    assert_eq!(body["type"], "object");
    assert_eq!(body["required"], json!(["login", "age", "plan", "tags"]));
    let p = &body["properties"];
    assert_eq!(
        p["login"],
        json!({"type": "string", "minLength": 3, "title": "Login", "description": "Login name"})
    );
    assert_eq!(p["age"]["minimum"], 13);
    assert_eq!(p["plan"], json!({"$ref": "#/components/schemas/Plan"}));
    assert_eq!(p["tags"]["type"], "array");
    assert_eq!(
        p["newsletter"],
        json!({"type": "boolean", "title": "Newsletter", "default": false})
    );
    assert_eq!(
        doc["components"]["schemas"]["Plan"]["enum"],
        json!(["free", "pro"])
    );
    assert!(op["responses"]["422"].is_object());
}

// `Query<T>` reads its model with the same engine: its errors also carry the text sent.
#[model]
struct Paging {
    #[field(default = 0, ge = 0)]
    skip: i64,
    #[field(default = 10, le = 100)]
    limit: i64,
}

#[get("/pages")]
async fn pages(p: Query<Paging>) -> Json<Value> {
    Json(json!({"skip": p.skip, "limit": p.limit}))
}

#[test]
fn query_models_report_the_text_sent() {
    block_on(async {
        let c = TestClient::new(App::new().routes(routes![pages]));
        let res = c.get("/pages?skip=-1&limit=500.0").send().await;
        let d = res.json_value()["detail"].clone();
        assert_eq!(d[0]["loc"], json!(["query", "skip"]));
        assert_eq!(d[0]["input"], "-1");
        assert_eq!(d[1]["loc"], json!(["query", "limit"]));
        assert_eq!(d[1]["input"], "500.0");
    });
}

// The OAuth2 password form is read as FastAPI reads its separate `Form()` fields.
#[post("/token")]
async fn token(form: ferrapi::security::OAuth2PasswordRequestForm) -> Json<Value> {
    Json(json!({"username": form.username, "grant_type": form.grant_type, "scopes": form.scopes()}))
}

#[test]
fn oauth2_password_form_is_separate_fields() {
    block_on(async {
        let c = TestClient::new(App::new().routes(routes![token]));
        let res = c
            .post("/token")
            .form(&[
                ("username", "alice"),
                ("password", "pw"),
                ("grant_type", ""),
                ("scope", "a b"),
            ])
            .send()
            .await;
        assert_eq!(
            res.json_value(),
            json!({"username": "alice", "grant_type": null, "scopes": ["a", "b"]}),
            "an empty grant_type is absent"
        );
        let res = c
            .post("/token")
            .form(&[("username", "alice"), ("password", "")])
            .send()
            .await;
        assert_eq!(
            res.json_value()["detail"],
            json!([{"type": "missing", "loc": ["body", "password"], "msg": "Field required", "input": null}])
        );
    });
    let doc = App::new().routes(routes![token]).openapi_value().unwrap();
    let body = &doc["paths"]["/token"]["post"]["requestBody"];
    assert_eq!(
        body["content"]["application/x-www-form-urlencoded"]["schema"]["$ref"],
        "#/components/schemas/Body_token"
    );
    assert_eq!(body["required"], true);
    let s = &doc["components"]["schemas"]["Body_token"];
    assert_eq!(s["required"], json!(["username", "password"]));
    assert_eq!(s["properties"]["password"]["format"], "password");
    assert_eq!(s["properties"]["scope"]["default"], "");
    assert!(s["properties"]["username"].get("description").is_none());
}
