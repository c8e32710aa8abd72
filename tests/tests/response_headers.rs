//! Response headers set by the handler: `(HeaderMap, T)`, `([(name, value); N], T)` and
//! `WithHeader<H, T>` answer with the header and are documented as `T`; `WithHeader` also
//! declares the header in the document.

use ferrapi::prelude::*;
use ferrapi::response::{ResponseHeader, WithHeader};
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::json;

#[model]
struct Answer {
    value: i64,
}

#[get("/map")]
async fn with_map() -> (HeaderMap, Json<Answer>) {
    let mut h = HeaderMap::new();
    h.insert("x-took", HeaderValue::from(12u64));
    (h, Json(Answer { value: 1 }))
}

#[post("/array", status = 201)]
async fn with_array() -> ([(HeaderName, HeaderValue); 1], Json<Answer>) {
    (
        [(HeaderName::from_static("x-took"), HeaderValue::from(7u64))],
        Json(Answer { value: 2 }),
    )
}

struct Took;

impl ResponseHeader for Took {
    const NAME: &'static str = "x-took";
    const DESCRIPTION: &'static str = "Microseconds spent.";
    fn schema() -> serde_json::Value {
        json!({"type": "integer", "minimum": 0})
    }
}

#[get("/typed", responses(404 = HttpError))]
async fn with_typed(
    #[query(default = false)] missing: bool,
) -> Result<WithHeader<Took, Json<Answer>>, HttpError> {
    if missing {
        return Err(HttpError::not_found("nothing here"));
    }
    Ok(WithHeader::new(
        HeaderValue::from(3u64),
        Json(Answer { value: 3 }),
    ))
}

fn app() -> App {
    App::new().routes(routes![with_map, with_array, with_typed])
}

#[test]
fn headers_are_sent_with_the_body_and_status() {
    block_on(async {
        let c = TestClient::new(app());
        let res = c.get("/map").send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.header("x-took"), Some("12"));
        assert_eq!(res.header("content-type"), Some("application/json"));
        assert_eq!(res.json_value(), json!({"value": 1}));

        let res = c.post("/array").send().await;
        assert_eq!(res.status(), 201, "the route's status is kept");
        assert_eq!(res.header("x-took"), Some("7"));
        assert_eq!(res.json_value(), json!({"value": 2}));

        let res = c.get("/typed").send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.header("x-took"), Some("3"));
        assert_eq!(res.json_value(), json!({"value": 3}));

        let res = c.get("/typed?missing=true").send().await;
        assert_eq!(res.status(), 404);
        assert_eq!(res.header("x-took"), None);
    });
}

#[test]
fn bodies_are_documented_and_typed_headers_declared() {
    let doc = app().openapi_value().unwrap();
    let answer = json!({"$ref": "#/components/schemas/Answer"});
    let ok = &doc["paths"]["/map"]["get"]["responses"]["200"];
    assert_eq!(ok["content"]["application/json"]["schema"], answer);
    assert!(ok.get("headers").is_none(), "{ok}");
    let created = &doc["paths"]["/array"]["post"]["responses"]["201"];
    assert_eq!(created["content"]["application/json"]["schema"], answer);

    let typed = &doc["paths"]["/typed"]["get"]["responses"];
    assert_eq!(
        typed["200"]["content"]["application/json"]["schema"],
        answer
    );
    assert_eq!(
        typed["200"]["headers"],
        json!({"x-took": {"description": "Microseconds spent.", "schema": {"type": "integer", "minimum": 0}}})
    );
    assert!(typed["404"].get("headers").is_none());
    ferrapi_tests::export_doc(env!("CARGO_TARGET_TMPDIR"), "response_headers", &doc);
}
