//! Versioned APIs (issue 13.2): routes that exist in some versions only, requests routed by
//! path prefix or by header, one document per version, Swagger UI's picker, and what a
//! hostile version header gets. The command line (`openapi --all`, `--api-version`,
//! `openapi diff` between versions) is exercised on the items example's versioned binary
//! (`examples/items/tests/versions.rs`).

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi::versioning::{ApiVersion, Version, VersionRouting};
use ferrapi_tests::block_on;
use serde_json::{json, Value};

/// An item as version 1 showed it: the price in cents.
#[model]
struct ItemV1 {
    id: i64,
    price_cents: i64,
}

/// An item since version 2: the price in euros.
#[model]
struct Item {
    id: i64,
    price: f64,
}

impl From<Item> for ItemV1 {
    fn from(i: Item) -> Self {
        ItemV1 {
            id: i.id,
            price_cents: (i.price * 100.0).round() as i64,
        }
    }
}

#[get("/items/{id}", versions = "2.0.0"..)]
async fn read_item(id: i64) -> Json<Item> {
    Json(Item { id, price: 1.5 })
}

/// The same item, in version 1's shape.
#[get("/items/{id}", versions = .."2.0.0", operation_id = "read_item")]
async fn read_item_v1(id: i64) -> Json<ItemV1> {
    Json(read_item(id).await.0.into())
}

/// In every version.
#[get("/version")]
async fn which(version: ApiVersion) -> String {
    version.to_string()
}

/// Removed in 2.0.0.
#[delete("/items/{id}", versions = "1.0.0".."2.0.0")]
async fn delete_item(id: i64) -> NoContent {
    let _ = id;
    NoContent
}

/// Added in 3.0.0, a version the app does not serve yet.
#[post("/items/", versions = "3.0.0"..)]
async fn create_item() -> Json<i64> {
    Json(1)
}

fn app() -> App {
    App::new()
        .title("Versioned")
        .versions(["1.0.0", "2.0.0"])
        .routes(routes![read_item, read_item_v1, which, delete_item])
}

fn header_app() -> App {
    app().version_routing(VersionRouting::header("API-Version"))
}

#[test]
fn path_prefixes_route_each_version_to_its_handlers() {
    block_on(async {
        let client = TestClient::new(app());
        let v1 = client.get("/v1/items/7").send().await;
        assert_eq!(v1.status(), 200);
        assert_eq!(v1.json_value(), json!({"id": 7, "price_cents": 150}));
        let v2 = client.get("/v2/items/7").send().await;
        assert_eq!(v2.json_value(), json!({"id": 7, "price": 1.5}));
        assert_eq!(
            client.get("/v1/version").send().await.json::<String>(),
            "1.0.0"
        );
        assert_eq!(
            client.get("/v2/version").send().await.json::<String>(),
            "2.0.0"
        );
        // A route outside its range is not there; nor is a path without a version, nor a
        // version the app does not serve.
        let gone = client.delete("/v2/items/7").send().await;
        assert_eq!(gone.status(), 405);
        assert_eq!(client.delete("/v1/items/7").send().await.status(), 204);
        for missing in ["/items/7", "/v3/items/7", "/v1.0/items/7", "/version"] {
            let res = client.get(missing).send().await;
            assert_eq!(res.status(), 404, "{missing}");
            assert_eq!(res.json_value(), json!({"detail": "Not Found"}));
        }
        // Validation is each handler's own.
        let bad = client.get("/v1/items/x").send().await;
        assert_eq!(bad.status(), 422);
        assert_eq!(bad.json_value()["detail"][0]["loc"], json!(["path", "id"]));
    });
}

#[test]
fn trailing_slash_redirects_stay_inside_the_version() {
    #[get("/things/")]
    async fn things() -> Json<Vec<i64>> {
        Json(vec![])
    }
    block_on(async {
        let client = TestClient::new(App::new().versions(["1.0.0"]).routes(routes![things]));
        let res = client.get("/v1/things").send().await;
        assert_eq!(res.status(), 307);
        assert_eq!(res.header("location"), Some("/v1/things/"));
    });
}

#[test]
fn a_header_routes_each_version_on_the_same_paths() {
    block_on(async {
        let client = TestClient::new(header_app());
        let latest = client.get("/items/7").send().await;
        assert_eq!(latest.json_value(), json!({"id": 7, "price": 1.5}));
        for v1 in ["1", "v1", "1.0", "1.0.0", " 1 "] {
            let res = client
                .get("/items/7")
                .header("api-version", v1)
                .send()
                .await;
            assert_eq!(
                res.json_value(),
                json!({"id": 7, "price_cents": 150}),
                "{v1}"
            );
        }
        let res = client
            .get("/version")
            .header("API-Version", "2")
            .send()
            .await;
        assert_eq!(res.json::<String>(), "2.0.0");
        assert_eq!(
            client.get("/version").send().await.json::<String>(),
            "2.0.0"
        );
        // A route outside its range is not there for that version.
        let res = client
            .delete("/items/7")
            .header("API-Version", "2")
            .send()
            .await;
        assert_eq!(res.status(), 405);
        let res = client
            .delete("/items/7")
            .header("API-Version", "1")
            .send()
            .await;
        assert_eq!(res.status(), 204);
        assert_eq!(client.get("/nowhere").send().await.status(), 404);
        // The framework's own pages do not depend on the header.
        let doc = client
            .get("/openapi.json")
            .header("API-Version", "junk")
            .send()
            .await;
        assert_eq!(doc.status(), 200);
    });
}

#[test]
fn hostile_version_headers_get_400_and_the_server_keeps_serving() {
    block_on(async {
        let client = TestClient::new(header_app());
        let huge = "9".repeat(64 * 1024);
        let bad: Vec<&str> = vec![
            "3",
            "0",
            "1.1",
            "1.0.0.0",
            "-1",
            "01",
            "v",
            "",
            "1e3",
            "18446744073709551616",
            "../../etc/passwd",
            &huge,
        ];
        for value in bad {
            let res = client
                .get("/items/7")
                .header("API-Version", value)
                .send()
                .await;
            assert_eq!(res.status(), 400, "{:.40}", value);
            let detail = res.json_value()["detail"].as_str().unwrap().to_string();
            assert_eq!(
                detail,
                "Unsupported API version in the api-version header: this API serves 1.0.0, 2.0.0"
            );
        }
        let ok = client
            .get("/items/7")
            .header("API-Version", "1")
            .send()
            .await;
        assert_eq!(ok.status(), 200);
    });
}

#[test]
fn hostile_requests_on_a_real_socket_leave_the_server_serving() {
    let server = ferrapi_tests::raw::RawServer::start(header_app());
    let send = |raw: &[u8]| server.send(raw);
    let mut raw = b"GET /items/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAPI-Version: \xff\xfe\x01\r\n\r\n".to_vec();
    assert!(send(&raw).starts_with("HTTP/1.1 400"));
    raw = format!(
        "GET /items/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAPI-Version: {}\r\n\r\n",
        "1.".repeat(20_000)
    )
    .into_bytes();
    let answer = send(&raw);
    assert!(
        answer.starts_with("HTTP/1.1 400") || answer.starts_with("HTTP/1.1 431"),
        "{answer:.80}"
    );
    let ok =
        send(b"GET /items/7 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAPI-Version: 1\r\n\r\n");
    assert!(ok.starts_with("HTTP/1.1 200"), "{ok:.80}");
    assert!(ok.contains(r#""price_cents":150"#));
    server.stop();
}

#[test]
fn one_document_per_version_and_the_latest_at_openapi_json() {
    block_on(async {
        let client = TestClient::new(app());
        let v1: Value = client.get("/openapi/v1.json").send().await.json_value();
        let v2: Value = client.get("/openapi/v2.json").send().await.json_value();
        let latest: Value = client.get("/openapi.json").send().await.json_value();
        assert_eq!(latest, v2);
        assert_eq!(v1["info"]["version"], "1.0.0");
        assert_eq!(v2["info"]["version"], "2.0.0");
        assert_eq!(v1["info"]["title"], "Versioned");
        // Paths without the prefix, which `servers` names.
        assert_eq!(v1["servers"], json!([{"url": "/v1"}]));
        assert_eq!(v2["servers"], json!([{"url": "/v2"}]));
        let paths = |d: &Value| -> Vec<String> {
            let mut out = Vec::new();
            for (p, ops) in d["paths"].as_object().unwrap() {
                for m in ops.as_object().unwrap().keys() {
                    out.push(format!("{m} {p}"));
                }
            }
            out.sort();
            out
        };
        assert_eq!(
            paths(&v1),
            ["delete /items/{id}", "get /items/{id}", "get /version"]
        );
        assert_eq!(paths(&v2), ["get /items/{id}", "get /version"]);
        // Each version's operation, and only the schemas it uses.
        let schema_of = |d: &Value| {
            d["paths"]["/items/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
                ["schema"]["$ref"]
                .clone()
        };
        assert_eq!(schema_of(&v1), "#/components/schemas/ItemV1");
        assert_eq!(schema_of(&v2), "#/components/schemas/Item");
        assert!(v1["components"]["schemas"].get("Item").is_none());
        assert!(v2["components"]["schemas"].get("ItemV1").is_none());
        assert_eq!(
            v1["paths"]["/items/{id}"]["get"]["operationId"],
            "read_item"
        );
        // The same as the app builds without serving.
        assert_eq!(app().openapi_for_version("v1").unwrap(), v1);
        assert_eq!(app().openapi_value().unwrap(), v2);
        let err = app().openapi_for_version("3").unwrap_err();
        assert_eq!(err.0, "no version `3`: the app serves 1.0.0, 2.0.0");
    });
}

#[test]
fn header_routing_documents_the_header() {
    let v1 = header_app().openapi_for_version("1.0.0").unwrap();
    assert!(v1.get("servers").is_none());
    let params = &v1["paths"]["/items/{id}"]["get"]["parameters"];
    let header = params
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["in"] == "header")
        .unwrap();
    assert_eq!(header["name"], "api-version");
    assert_eq!(header["required"], true);
    assert_eq!(header["schema"]["enum"], json!(["1.0.0"]));
    // The answer to an unknown version is documented on every operation.
    // (Added to the 400 a path parameter already has, or documented alone.)
    let with_path = &v1["paths"]["/items/{id}"]["get"]["responses"]["400"];
    assert!(
        with_path["description"].as_str().unwrap().ends_with(
            "; or: The `api-version` header names a version this API does not serve (the answer lists those it serves)"
        ),
        "{with_path}"
    );
    let alone = &v1["paths"]["/version"]["get"]["responses"]["400"];
    assert!(
        alone["description"]
            .as_str()
            .unwrap()
            .starts_with("The `api-version` header"),
        "{alone}"
    );
    assert_eq!(
        alone["content"]["application/json"]["schema"]["required"],
        json!(["detail"])
    );
    assert_eq!(
        header_app().openapi_value().unwrap()["paths"]["/version"]["get"]["parameters"][0]
            ["schema"]["enum"],
        json!(["2.0.0"])
    );
}

#[test]
fn swagger_ui_offers_a_version_picker_and_redoc_shows_the_latest() {
    block_on(async {
        let client = TestClient::new(app());
        let init = client
            .get("/docs/swagger-initializer.js")
            .send()
            .await
            .text();
        assert!(init.contains("url: picker.value,"), "{init}");
        // The picker lists the versions newest first, each document relative to the page.
        let page = client.get("/docs/").send().await.text();
        assert!(
            page.contains(r#"<option value="../openapi/v2.json">2.0.0</option><option value="../openapi/v1.json">1.0.0</option></select>"#),
            "{page}"
        );
        let redoc = client.get("/redoc").send().await.text();
        assert!(redoc.contains("openapi.json"), "{redoc}");
    });
}

#[test]
fn documents_in_every_openapi_version_and_under_a_root_path() {
    use ferrapi::render::OpenApiVersion;
    for spec in [
        OpenApiVersion::V3_0,
        OpenApiVersion::V3_1,
        OpenApiVersion::V3_2,
    ] {
        let doc = app()
            .openapi_version(spec)
            .openapi_for_version("1")
            .unwrap();
        assert_eq!(doc["info"]["version"], "1.0.0");
        assert_eq!(doc["openapi"], spec.as_str());
        ferrapi_tests::export_doc(
            env!("CARGO_TARGET_TMPDIR"),
            &format!("versions-v1-{spec}"),
            &doc,
        );
    }
    block_on(async {
        let client = TestClient::new(app().root_path("/api"));
        let v1 = client.get("/api/openapi/v1.json").send().await.json_value();
        assert_eq!(v1["servers"][0], json!({"url": "/api/v1"}));
        let res = client.get("/api/v1/items/7").send().await;
        assert_eq!(res.json_value()["price_cents"], 150);
        let res = client.get("/v2/items/7").send().await;
        assert_eq!(res.json_value()["price"], 1.5);
        let res = client.get("/api/v1/version").send().await;
        assert_eq!(res.json::<String>(), "1.0.0");
    });
    // Declared servers get the version's prefix.
    let doc = app()
        .server("https://api.example.com/", None)
        .openapi_for_version("2")
        .unwrap();
    assert_eq!(
        doc["servers"],
        json!([{"url": "https://api.example.com/v2"}])
    );
}

#[test]
fn routers_declare_versions_for_their_routes() {
    #[get("/orders/")]
    async fn list_orders() -> Json<Vec<i64>> {
        Json(vec![])
    }
    #[get("/orders/{id}", versions = .."3.0.0")]
    async fn read_order(id: i64) -> Json<i64> {
        Json(id)
    }
    let orders = Router::new()
        .prefix("/shop")
        .versions("2.0.0"..)
        .routes(routes![list_orders, read_order]);
    let app = || {
        App::new()
            .versions(["1.0.0", "2.0.0", "3.0.0"])
            .include(orders.clone())
    };
    let paths = |v: &str| -> Vec<String> {
        let doc = app().openapi_for_version(v).unwrap();
        doc["paths"].as_object().unwrap().keys().cloned().collect()
    };
    assert!(paths("1").is_empty());
    assert_eq!(paths("2"), ["/shop/orders/", "/shop/orders/{id}"]);
    assert_eq!(paths("3"), ["/shop/orders/"]);
    block_on(async {
        let client = TestClient::new(app());
        assert_eq!(client.get("/v1/shop/orders/").send().await.status(), 404);
        assert_eq!(client.get("/v2/shop/orders/").send().await.status(), 200);
        assert_eq!(client.get("/v3/shop/orders/4").send().await.status(), 404);
        assert_eq!(client.get("/v2/shop/orders/4").send().await.status(), 200);
    });
}

#[test]
fn versions_that_share_a_major_get_longer_prefixes() {
    #[get("/ping")]
    async fn ping(v: ApiVersion) -> String {
        v.to_string()
    }
    #[get("/new", versions = "1.1.0"..)]
    async fn new_in_1_1() -> String {
        "new".into()
    }
    block_on(async {
        let app = App::new()
            .versions(["1.0.0", "1.1.0", "2.0.0"])
            .routes(routes![ping, new_in_1_1]);
        assert_eq!(app.version_labels(), ["v1.0", "v1.1", "v2"]);
        let client = TestClient::new(app);
        assert_eq!(
            client.get("/v1.0/ping").send().await.json::<String>(),
            "1.0.0"
        );
        assert_eq!(
            client.get("/v1.1/ping").send().await.json::<String>(),
            "1.1.0"
        );
        assert_eq!(
            client.get("/v2/ping").send().await.json::<String>(),
            "2.0.0"
        );
        assert_eq!(client.get("/v1.0/new").send().await.status(), 404);
        assert_eq!(client.get("/v1.1/new").send().await.status(), 200);
        assert_eq!(client.get("/openapi/v1.1.json").send().await.status(), 200);
    });
}

#[test]
fn start_up_refuses_ranges_that_serve_nothing() {
    let err = App::new()
        .versions(["1.0.0", "2.0.0"])
        .routes(routes![read_item, create_item])
        .try_into_router()
        .unwrap_err();
    assert_eq!(
        err.0,
        "POST /items/ (`create_item`) exists in versions 3.0.0.., none of which the app serves (1.0.0, 2.0.0)"
    );
    let err = App::new()
        .routes(routes![read_item])
        .openapi_value()
        .unwrap_err();
    assert_eq!(
        err.0,
        "GET /items/{id} (`read_item`) exists in versions 2.0.0.., but the app serves no versions: list them with `App::versions([...])`"
    );
}

#[test]
fn duplicate_operation_ids_are_checked_per_version() {
    #[get("/a", versions = .."2.0.0", operation_id = "same")]
    async fn a1() -> String {
        String::new()
    }
    #[get("/b", operation_id = "same")]
    async fn b() -> String {
        String::new()
    }
    let err = App::new()
        .versions(["1.0.0", "2.0.0"])
        .routes(routes![a1, b])
        .try_into_router()
        .unwrap_err();
    assert!(
        err.0
            .starts_with("version 1.0.0: duplicate operation id `same`"),
        "{}",
        err.0
    );
    assert!(!err.0.contains("version 2.0.0"), "{}", err.0);
}

#[test]
#[should_panic(expected = "App::versions: `1.0` is not a version")]
fn app_versions_must_be_semver() {
    let _ = App::new().versions(["1.0"]);
}

#[test]
#[should_panic(expected = "Router::versions: `..=\"2.0.0\"`")]
fn router_ranges_exclude_their_end() {
    let _ = Router::new().versions(..="2.0.0");
}

#[test]
fn api_version_in_an_unversioned_app_is_a_500_that_says_why() {
    block_on(async {
        let client = TestClient::new(App::new().routes(routes![which]));
        let res = client.get("/version").send().await;
        assert_eq!(res.status(), 500);
    });
    let v = Version::new(1, 0, 0);
    assert!(ApiVersion(v).at_least(v));
}

#[test]
fn metrics_label_each_version_by_its_route_template() {
    for (app, path, header, label) in [
        (app(), "/v1/items/7", None, "/v1/items/{id}"),
        (header_app(), "/items/7", Some("1"), "/items/{id}"),
    ] {
        block_on(async {
            let client = TestClient::new(app.metrics("/metrics"));
            let mut req = client.get(path);
            if let Some(h) = header {
                req = req.header("API-Version", h);
            }
            assert_eq!(req.send().await.status(), 200);
            let text = client.get("/metrics").send().await.text();
            let line = format!(r#"method="GET",route="{label}",status="200""#);
            assert!(text.contains(&line), "{line} not in\n{text}");
        });
    }
}
