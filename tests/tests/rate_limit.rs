//! Rate limiting (issue 11.6): per app, router or route, keyed by address, forwarded
//! address or any key; 429 with Retry-After; documented; memory bounded.

use std::net::SocketAddr;
use std::time::Duration;

use ferrapi::prelude::*;
use ferrapi::rate_limit::RateLimit;
use ferrapi::testing::TestClient;
use serde_json::json;

#[post("/token")]
async fn token() -> &'static str {
    "token"
}

#[get("/items/")]
async fn items() -> &'static str {
    "items"
}

#[get("/other")]
async fn other() -> &'static str {
    "other"
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

#[test]
fn a_route_limit_answers_429_with_retry_after_and_spares_other_clients_and_routes() {
    block_on(async {
        let app = App::new()
            .include(
                Router::new()
                    .rate_limit(RateLimit::per_minute(3))
                    .routes(routes![token]),
            )
            .routes(routes![items]);
        let client = TestClient::new(app);
        for _ in 0..3 {
            assert_eq!(client.post("/token").send().await.status(), 200);
        }
        let refused = client.post("/token").send().await;
        assert_eq!(refused.status(), 429);
        assert_eq!(refused.json_value(), json!({"detail": "Too Many Requests"}));
        let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
        // One request refills every 20 s.
        assert!((19..=20).contains(&retry), "{retry}");
        // Another address has its own budget; other routes are not limited.
        let elsewhere = client
            .post("/token")
            .client_addr(addr("192.0.2.10:4000"))
            .send()
            .await;
        assert_eq!(elsewhere.status(), 200);
        for _ in 0..10 {
            assert_eq!(client.get("/items/").send().await.status(), 200);
        }
    });
}

#[test]
fn one_budget_is_shared_by_every_route_the_limit_guards() {
    block_on(async {
        let app = App::new()
            .rate_limit(RateLimit::per_minute(4))
            .routes(routes![items, other]);
        let client = TestClient::new(app);
        assert_eq!(client.get("/items/").send().await.status(), 200);
        assert_eq!(client.get("/other").send().await.status(), 200);
        assert_eq!(client.get("/items/").send().await.status(), 200);
        assert_eq!(client.get("/other").send().await.status(), 200);
        assert_eq!(client.get("/items/").send().await.status(), 429);
        assert_eq!(client.get("/other").send().await.status(), 429);
        // The documents are not rate limited.
        for _ in 0..5 {
            assert_eq!(client.get("/openapi.json").send().await.status(), 200);
        }
    });
}

#[test]
fn the_budget_refills_over_time() {
    block_on(async {
        let app = App::new()
            .rate_limit(RateLimit::per_second(5).burst(1))
            .routes(routes![items]);
        let client = TestClient::new(app);
        assert_eq!(client.get("/items/").send().await.status(), 200);
        assert_eq!(client.get("/items/").send().await.status(), 429);
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(client.get("/items/").send().await.status(), 200);
    });
}

#[test]
fn ipv6_clients_share_a_budget_per_network() {
    block_on(async {
        let app = App::new()
            .rate_limit(RateLimit::per_minute(2))
            .routes(routes![items]);
        let client = TestClient::new(app);
        for i in 1..=2 {
            let from = addr(&format!("[2001:db8:0:1::{i}]:4000"));
            assert_eq!(
                client
                    .get("/items/")
                    .client_addr(from)
                    .send()
                    .await
                    .status(),
                200
            );
        }
        // A new address in the same /64 is the same client.
        let same_net = addr("[2001:db8:0:1:ffff::9]:4000");
        assert_eq!(
            client
                .get("/items/")
                .client_addr(same_net)
                .send()
                .await
                .status(),
            429
        );
        let other_net = addr("[2001:db8:0:2::1]:4000");
        assert_eq!(
            client
                .get("/items/")
                .client_addr(other_net)
                .send()
                .await
                .status(),
            200
        );
    });
}

#[test]
fn keys_can_come_from_a_header_or_a_proxy() {
    block_on(async {
        let by_api_key = RateLimit::per_minute(1).by_key(|parts| {
            parts
                .headers
                .get("x-api-key")?
                .to_str()
                .ok()
                .map(String::from)
        });
        let client = TestClient::new(App::new().rate_limit(by_api_key).routes(routes![items]));
        let get = |key: &str| client.get("/items/").header("x-api-key", key).send();
        assert_eq!(get("alpha").await.status(), 200);
        assert_eq!(get("alpha").await.status(), 429);
        assert_eq!(get("beta").await.status(), 200);
        // Without a key, the address counts.
        assert_eq!(client.get("/items/").send().await.status(), 200);
        assert_eq!(client.get("/items/").send().await.status(), 429);
        // A flood of invented (and huge) keys each get their own bucket and cost bounded
        // memory; the server keeps answering.
        let huge = "k".repeat(100_000);
        for i in 0..5_000 {
            let key = format!("{i}-{huge}");
            assert_eq!(get(&key).await.status(), 200);
        }
        // Keys are cut at 128 bytes: these two share one.
        assert_eq!(get(&format!("{huge}-a")).await.status(), 200);
        assert_eq!(get(&format!("{huge}-b")).await.status(), 429);

        let proxied = RateLimit::per_minute(1).by_forwarded_ip();
        let client = TestClient::new(App::new().rate_limit(proxied).routes(routes![items]));
        let via = |xff: &str| client.get("/items/").header("x-forwarded-for", xff).send();
        // The proxy appends the real client last; what the client wrote before is ignored.
        assert_eq!(via("6.6.6.6, 198.51.100.1").await.status(), 200);
        assert_eq!(via("7.7.7.7, 198.51.100.1").await.status(), 429);
        assert_eq!(via("198.51.100.2").await.status(), 200);
    });
}

#[test]
fn every_guarded_operation_documents_the_429() {
    let app = App::new()
        .include(
            Router::new()
                .rate_limit(RateLimit::per_minute(5))
                .routes(routes![token]),
        )
        .routes(routes![items]);
    let doc = app.openapi_value().unwrap();
    let refused = &doc["paths"]["/token"]["post"]["responses"]["429"];
    assert_eq!(
        refused["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/HTTPError"
    );
    assert_eq!(
        refused["headers"]["Retry-After"]["schema"],
        json!({"type": "integer", "minimum": 1})
    );
    assert!(refused["description"]
        .as_str()
        .unwrap()
        .contains("at most 5 a minute"));
    assert!(doc["paths"]["/items/"]["get"]["responses"]
        .get("429")
        .is_none());
}

/// Two instances with the same shared limit (one Redis): one budget per client between
/// them, on Redis's clock; with Redis gone, each instance counts on its own and keeps
/// answering.
#[test]
fn a_shared_limit_is_one_budget_across_instances() {
    let Some(redis) = ferrapi_tests::redis::Redis::start() else {
        return;
    };
    block_on(async {
        let instance = || {
            let limit = RateLimit::per_minute(4)
                .shared(&redis.url(), "login")
                .unwrap();
            TestClient::new(
                App::new().include(Router::new().rate_limit(limit).routes(routes![token])),
            )
        };
        let (a, b) = (instance(), instance());
        let mut codes = Vec::new();
        for i in 0..6 {
            let c = if i % 2 == 0 { &a } else { &b };
            codes.push(c.post("/token").send().await.status().as_u16());
        }
        assert_eq!(codes, [200, 200, 200, 200, 429, 429]);
        let refused = b.post("/token").send().await;
        let retry: u64 = refused.header("retry-after").unwrap().parse().unwrap();
        assert!((14..=15).contains(&retry), "{retry}");
        // Another client (address) has its own shared budget.
        let other = a
            .post("/token")
            .client_addr(addr("203.0.113.9:4000"))
            .send()
            .await;
        assert_eq!(other.status(), 200);
        // Bad names and URLs are refused when the limit is built.
        assert!(RateLimit::per_minute(1).shared("redis://[x", "a").is_err());
        assert!(RateLimit::per_minute(1).shared(&redis.url(), "").is_err());
    });
    // Redis down: each instance falls back to its own counters (4 a minute each), fast.
    let url = redis.url();
    redis.stop();
    block_on(async {
        let limit = RateLimit::per_minute(4).shared(&url, "down").unwrap();
        let c = TestClient::new(
            App::new().include(Router::new().rate_limit(limit).routes(routes![token])),
        );
        let started = std::time::Instant::now();
        let mut codes = Vec::new();
        for _ in 0..5 {
            codes.push(c.post("/token").send().await.status().as_u16());
        }
        assert_eq!(codes, [200, 200, 200, 200, 429]);
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
    });
}
