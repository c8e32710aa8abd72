//! Response types that describe themselves, including axum's own, as an app ported from
//! axum returns them; and header tuples whose names or values are invalid.

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::json;

#[model]
struct Pong {
    ok: bool,
}

#[get("/axum-json")]
async fn axum_json() -> axum::Json<Pong> {
    axum::Json(Pong { ok: true })
}

#[get("/axum-html")]
async fn axum_html() -> axum::response::Html<&'static str> {
    axum::response::Html("<p>hi</p>")
}

#[get("/away")]
async fn away() -> axum::response::Redirect {
    axum::response::Redirect::to("/axum-json")
}

#[get("/sse")]
async fn sse() -> axum::response::Sse<
    futures_util::stream::Iter<
        std::vec::IntoIter<Result<axum::response::sse::Event, std::convert::Infallible>>,
    >,
> {
    let events = vec![Ok(axum::response::sse::Event::default().data("x"))];
    axum::response::Sse::new(futures_util::stream::iter(events))
}

#[get("/bad-header")]
async fn bad_header(#[query] name: String) -> ([(String, &'static str); 1], Json<i64>) {
    ([(name, "v")], Json(1))
}

fn app() -> App {
    App::new().routes(routes![axum_json, axum_html, away, sse, bad_header])
}

#[test]
fn axum_response_types_are_documented() {
    let doc = app().openapi_value().unwrap();
    let ok = |path: &str, status: &str| doc["paths"][path]["get"]["responses"][status].clone();
    assert_eq!(
        ok("/axum-json", "200")["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Pong"
    );
    assert!(ok("/axum-html", "200")["content"]
        .get("text/html")
        .is_some());
    let redirect = ok("/away", "3XX");
    assert!(redirect["headers"].get("location").is_some(), "{redirect}");
    assert!(ok("/sse", "200")["content"]
        .get("text/event-stream")
        .is_some());
}

#[test]
fn axum_response_types_answer_as_axum_does() {
    block_on(async {
        let c = TestClient::new(app());
        let r = c.get("/axum-json").send().await;
        assert_eq!(r.json_value(), json!({"ok": true}));
        let r = c.get("/axum-html").send().await;
        assert!(r.header("content-type").unwrap().starts_with("text/html"));
        let r = c.get("/away").send().await;
        assert_eq!(r.status(), 303);
        assert_eq!(r.header("location"), Some("/axum-json"));
        let r = c.get("/sse").send().await;
        assert_eq!(r.header("content-type"), Some("text/event-stream"));
    });
}

#[test]
fn an_invalid_header_from_a_handler_is_the_json_500() {
    block_on(async {
        let c = TestClient::new(app());
        let r = c.get("/bad-header").query("name", "x-fine").send().await;
        assert_eq!(r.status(), 200);
        assert_eq!(r.header("x-fine"), Some("v"));
        let r = c
            .get("/bad-header")
            .query("name", "not a header")
            .send()
            .await;
        assert_eq!(r.status(), 500);
        assert_eq!(r.json_value(), json!({"detail": "Internal Server Error"}));
        // The server keeps serving.
        assert_eq!(c.get("/axum-json").send().await.status(), 200);
    });
}
