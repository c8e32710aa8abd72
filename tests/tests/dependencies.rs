//! Dependencies, as FastAPI's `Depends`: inputs read and documented, one instance per
//! request, chained, overridable in tests, on routers.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi_tests::block_on;
use serde_json::{json, Value};

#[derive(Clone, Debug, PartialEq)]
pub struct Pagination {
    skip: i64,
    limit: i64,
}

#[dependency]
async fn pagination(
    #[query(default = 0, ge = 0)] skip: i64,
    #[query(default = 10, ge = 1, le = 100)] limit: i64,
    counter: State<Calls>,
) -> Pagination {
    counter.0 .0.fetch_add(1, Ordering::SeqCst);
    Pagination { skip, limit }
}

#[derive(Clone, Default)]
struct Calls(Arc<AtomicUsize>);

#[derive(Clone)]
pub struct Tenant(String);

/// A dependency that uses another one and can refuse the request.
#[dependency]
async fn tenant(#[header] x_tenant: Option<String>, page: Pagination) -> Result<Tenant, HttpError> {
    match x_tenant {
        Some(t) if !t.is_empty() => Ok(Tenant(format!("{t}@{}", page.skip))),
        _ => Err(HttpError::bad_request("X-Tenant header required")),
    }
}

#[get("/things")]
async fn things(
    page: Pagination,
    again: Pagination,
    tenant: Tenant,
    #[query] q: Option<String>,
) -> Json<Value> {
    assert_eq!(page, again);
    Json(json!({"skip": page.skip, "limit": page.limit, "tenant": tenant.0, "q": q}))
}

#[get("/plain")]
async fn plain(page: Pagination) -> Json<Value> {
    Json(json!({"skip": page.skip}))
}

fn app() -> (App, Calls) {
    let calls = Calls::default();
    (
        App::new()
            .state(calls.clone())
            .routes(routes![things, plain]),
        calls,
    )
}

#[test]
fn inputs_are_read_once_per_request_and_chained() {
    block_on(async {
        let (app, calls) = app();
        let c = TestClient::new(app);
        let res = c
            .get("/things?skip=5&q=x")
            .header("x-tenant", "acme")
            .send()
            .await;
        assert_eq!(
            res.json_value(),
            json!({"skip": 5, "limit": 10, "tenant": "acme@5", "q": "x"})
        );
        assert_eq!(
            calls.0.load(Ordering::SeqCst),
            1,
            "one instance per request"
        );
        let res = c.get("/things").send().await;
        assert_eq!(res.status(), 400);
        assert_eq!(
            res.json_value(),
            json!({"detail": "X-Tenant header required"})
        );
    });
}

#[test]
fn dependency_errors_are_listed_with_the_handlers() {
    block_on(async {
        let (app, _) = app();
        let c = TestClient::new(app);
        let res = c.get("/plain?skip=-1&limit=0").send().await;
        assert_eq!(res.status(), 422);
        let locs: Vec<Value> = res.json_value()["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["loc"].clone())
            .collect();
        assert_eq!(
            locs,
            vec![json!(["query", "skip"]), json!(["query", "limit"])]
        );
    });
}

#[test]
fn dependency_inputs_are_documented_once() {
    let (app, _) = app();
    let doc = app.openapi_value().unwrap();
    let params: Vec<(String, String)> = doc["paths"]["/things"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["in"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        params,
        vec![
            ("skip".into(), "query".into()),
            ("limit".into(), "query".into()),
            ("x-tenant".into(), "header".into()),
            ("q".into(), "query".into()),
        ]
    );
    let plain = &doc["paths"]["/plain"]["get"];
    assert_eq!(plain["parameters"][1]["schema"]["maximum"], 100);
    assert!(plain["responses"]["422"].is_object());
}

#[test]
fn tests_can_override_a_dependency() {
    block_on(async {
        let (app, calls) = app();
        let c = TestClient::new(app.override_dependency(|| Pagination { skip: 42, limit: 1 }));
        let res = c.get("/plain?skip=-5").send().await;
        assert_eq!(res.json_value(), json!({"skip": 42}));
        assert_eq!(calls.0.load(Ordering::SeqCst), 0);
    });
}

#[test]
fn a_router_can_require_a_dependency() {
    #[get("/ping")]
    async fn ping() -> String {
        "pong".into()
    }
    let router = ferrapi::Router::new()
        .prefix("/t")
        .guard::<Tenant>()
        .routes(routes![ping]);
    let app = App::new().state(Calls::default()).include(router);
    let doc = app.openapi_value().unwrap();
    assert_eq!(
        doc["paths"]["/t/ping"]["get"]["parameters"][2]["name"],
        "x-tenant"
    );
    block_on(async {
        let c = TestClient::new(app);
        assert_eq!(c.get("/t/ping").send().await.status(), 400);
        assert_eq!(
            c.get("/t/ping")
                .header("x-tenant", "a")
                .send()
                .await
                .json_value(),
            json!("pong")
        );
    });
}

#[derive(Clone, Debug)]
pub struct Shop(i64);

/// A dependency reading a path parameter of the routes that use it.
#[dependency]
async fn shop(#[path(ge = 1)] shop_id: i64) -> Result<Shop, HttpError> {
    if shop_id == 404 {
        return Err(HttpError::not_found("Shop not found"));
    }
    Ok(Shop(shop_id))
}

#[get("/shops/{shop_id}/items")]
async fn shop_items(shop: Shop, shop_id: i64) -> Json<Value> {
    Json(json!({"shop": shop.0, "again": shop_id}))
}

#[test]
fn a_dependency_can_read_path_parameters() {
    block_on(async {
        let c = TestClient::new(App::new().routes(routes![shop_items]));
        assert_eq!(
            c.get("/shops/7/items").send().await.json_value(),
            json!({"shop": 7, "again": 7})
        );
        assert_eq!(c.get("/shops/404/items").send().await.status(), 404);
        let res = c.get("/shops/0/items").send().await;
        assert_eq!(res.status(), 422);
        assert_eq!(
            res.json_value()["detail"][0]["loc"],
            json!(["path", "shop_id"])
        );
    });
    let doc = App::new()
        .routes(routes![shop_items])
        .openapi_value()
        .unwrap();
    let params = doc["paths"]["/shops/{shop_id}/items"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(params.len(), 1, "documented once: {params:?}");
    assert_eq!(params[0]["schema"]["minimum"], 1);
}
