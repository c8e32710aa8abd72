//! `response_model(...)` beyond FastAPI's recorded cases (conformance app 33): an answer
//! that does not fit its model is a 500 (never the unfiltered answer), errors pass through
//! unshaped, nested secrets are dropped, and the document shows the model.

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::{json, Value};

#[model]
struct Owner {
    name: String,
}

#[model]
struct Account {
    id: i64,
    owner: Owner,
}

#[get("/accounts/{id}", response_model(Account))]
async fn account(id: i64) -> Result<Json<Value>, HttpError> {
    match id {
        1 => Ok(Json(
            json!({"id": 1, "owner": {"name": "ada", "password_hash": "secret"}, "token": "t"}),
        )),
        2 => Ok(Json(json!({"id": "not a number", "owner": {"name": "x"}}))),
        _ => Err(HttpError::not_found("No such account")),
    }
}

#[get("/accounts/", response_model(Vec<Account>, exclude_none))]
async fn accounts() -> Json<Value> {
    Json(json!([{"id": 1, "owner": {"name": "a", "password_hash": "s"}}]))
}

fn client() -> TestClient {
    TestClient::new(App::new().routes(routes![account, accounts]))
}

#[test]
fn secrets_are_dropped_at_every_depth() {
    block_on(async {
        let c = client();
        let res = c.get("/accounts/1").send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json_value(), json!({"id": 1, "owner": {"name": "ada"}}));
        assert!(!res.text().contains("secret"));
        let res = c.get("/accounts/").send().await;
        assert_eq!(res.json_value(), json!([{"id": 1, "owner": {"name": "a"}}]));
    });
}

#[test]
fn an_answer_that_does_not_fit_is_a_500_and_errors_pass_through() {
    block_on(async {
        let c = client();
        let res = c.get("/accounts/2").send().await;
        assert_eq!(res.status(), 500);
        assert!(!res.text().contains("not a number"), "{}", res.text());
        let res = c.get("/accounts/3").send().await;
        assert_eq!(res.status(), 404);
        assert_eq!(res.json_value(), json!({"detail": "No such account"}));
        // Still serving.
        assert_eq!(c.get("/accounts/1").send().await.status(), 200);
    });
}

#[test]
fn the_document_shows_the_response_model() {
    let doc = App::new()
        .routes(routes![account, accounts])
        .openapi_value()
        .unwrap();
    let ok = &doc["paths"]["/accounts/{id}"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert_eq!(ok["$ref"], "#/components/schemas/Account");
    let list = &doc["paths"]["/accounts/"]["get"]["responses"]["200"]["content"]
        ["application/json"]["schema"];
    assert_eq!(list["items"]["$ref"], "#/components/schemas/Account");
}
