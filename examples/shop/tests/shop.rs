//! The shop's flows end to end through the test client, on a temporary SQLite file.

use ferrapi::testing::TestClient;
use serde_json::{json, Value};

mod common;

use common::token;

fn db_url(name: &str) -> (String, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("ferrapi-shop-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("shop.db");
    (format!("sqlite://{}", file.display()), dir)
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap()
}

async fn client(url: &str) -> TestClient {
    TestClient::start(shop::app_with(url.to_string()))
        .await
        .unwrap()
}

#[test]
fn browse_the_catalogue() {
    let (url, dir) = db_url("browse");
    rt().block_on(async {
        let c = client(&url).await;
        let page = c
            .get("/products?limit=3&offset=0&sort=price")
            .send()
            .await
            .json_value();
        assert_eq!(page["total"], 10);
        assert_eq!(page["items"].as_array().unwrap().len(), 3);
        let prices: Vec<f64> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["price"].as_f64().unwrap())
            .collect();
        assert!(prices.windows(2).all(|w| w[0] <= w[1]), "{prices:?}");
        let page = c
            .get("/products?sort=-price&limit=1")
            .send()
            .await
            .json_value();
        assert_eq!(page["items"][0]["name"], "Cordless drill");
        let found = c.get("/products?q=CAST").send().await.json_value();
        assert_eq!(found["total"], 1);
        assert_eq!(found["items"][0]["name"], "Cast iron pan");
        let garden = c.get("/categories").send().await.json_value();
        let garden_id = garden
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "Garden")
            .unwrap()["id"]
            .clone();
        let in_garden = c
            .get(&format!("/products?category={garden_id}"))
            .send()
            .await
            .json_value();
        assert_eq!(in_garden["total"], 3);
        let page2 = c
            .get("/products?limit=4&offset=8")
            .send()
            .await
            .json_value();
        assert_eq!(page2["items"].as_array().unwrap().len(), 2);
        // Hostile queries.
        for bad in [
            "/products?limit=0",
            "/products?limit=101",
            "/products?offset=-1",
            "/products?sort=random",
            "/products?q=",
            "/products?category=x",
        ] {
            assert_eq!(c.get(bad).send().await.status(), 422, "{bad}");
        }
        assert_eq!(c.get("/products/999").send().await.status(), 404);
        assert_eq!(c.get("/products/0").send().await.status(), 422);
        // A LIKE wildcard in the search is taken literally.
        assert_eq!(
            c.get("/products?q=%25").send().await.json_value()["total"],
            0
        );
    });
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn catalogue_changes_need_admin() {
    let (url, dir) = db_url("admin");
    rt().block_on(async {
        let c = client(&url).await;
        let alice = token(&c, "alice", "wonderland").await;
        let admin = token(&c, "admin", "change-me").await;
        let body = json!({"name": "Spirit level", "price": 14.5, "stock": 3});
        assert_eq!(c.post("/products").json(&body).send().await.status(), 401);
        let res = c.post("/products").bearer(&alice).json(&body).send().await;
        assert_eq!(res.status(), 401);
        assert_eq!(
            res.header("www-authenticate"),
            Some("Bearer scope=\"admin\"")
        );
        let res = c.post("/products").bearer(&admin).json(&body).send().await;
        assert_eq!(res.status(), 201, "{}", res.text());
        let p = res.json_value();
        assert_eq!(p["name"], "Spirit level");
        assert_eq!(p["stock"], 3);
        assert!(p["id"].as_i64().unwrap() > 10);
        let id = p["id"].as_i64().unwrap();
        let res = c
            .patch(&format!("/products/{id}"))
            .bearer(&admin)
            .json(&json!({"price": 12.0}))
            .send()
            .await;
        assert_eq!(res.json_value()["price"], 12.0);
        assert_eq!(res.json_value()["name"], "Spirit level");
        let bad = c
            .post("/products")
            .bearer(&admin)
            .json(&json!({"name": "", "price": 0, "stock": -1}))
            .send()
            .await;
        assert_eq!(bad.status(), 422);
        let locs: Vec<Value> = bad.json_value()["detail"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["loc"].clone())
            .collect();
        assert_eq!(
            locs,
            vec![
                json!(["body", "name"]),
                json!(["body", "price"]),
                json!(["body", "stock"])
            ]
        );
        let res = c
            .post("/categories")
            .bearer(&admin)
            .json(&json!({"name": "Tools"}))
            .send()
            .await;
        assert_eq!(res.status(), 409);
        assert_eq!(
            c.delete(&format!("/products/{id}"))
                .bearer(&admin)
                .send()
                .await
                .status(),
            204
        );
        assert_eq!(c.get(&format!("/products/{id}")).send().await.status(), 404);
    });
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn orders_and_cart() {
    let (url, dir) = db_url("orders");
    rt().block_on(async {
        let c = client(&url).await;
        let alice = token(&c, "alice", "wonderland").await;
        let admin = token(&c, "admin", "change-me").await;
        let res = c.post("/orders").bearer(&alice).json(&json!({"items": [{"product_id": 1, "quantity": 2}, {"product_id": 3, "quantity": 1}]})).send().await;
        assert_eq!(res.status(), 201, "{}", res.text());
        let order = res.json_value();
        assert_eq!(order["total"], 2.0 * 12.99 + 7.99);
        let id = order["id"].as_i64().unwrap();
        assert_eq!(c.get("/products/1").send().await.json_value()["stock"], 23);
        assert_eq!(c.get(&format!("/orders/{id}")).bearer(&alice).send().await.json_value(), order);
        assert_eq!(
            c.get("/orders").bearer(&alice).send().await.json_value(),
            json!({"items": [order], "total": 1, "limit": 20, "offset": 0})
        );
        // Another customer's order is not found for alice, but the admin sees it.
        let res = c.post("/orders").bearer(&admin).json(&json!({"items": [{"product_id": 2, "quantity": 1}]})).send().await;
        let admins = res.json_value()["id"].as_i64().unwrap();
        assert_eq!(c.get(&format!("/orders/{admins}")).bearer(&alice).send().await.status(), 404);
        assert_eq!(c.get(&format!("/orders/{id}")).bearer(&admin).send().await.status(), 200);
        // Short stock: 409 and nothing taken, even for the lines that were available.
        let res = c.post("/orders").bearer(&alice).json(&json!({"items": [{"product_id": 1, "quantity": 1}, {"product_id": 4, "quantity": 9}]})).send().await;
        assert_eq!(res.status(), 409);
        assert_eq!(res.json_value()["detail"]["product_id"], 4);
        assert_eq!(c.get("/products/1").send().await.json_value()["stock"], 23);
        // Hostile orders.
        for body in [json!({"items": []}), json!({"items": [{"product_id": 1, "quantity": 0}]}), json!({}), json!({"items": [{"product_id": "one", "quantity": 1}]})] {
            assert_eq!(c.post("/orders").bearer(&alice).json(&body).send().await.status(), 422, "{body}");
        }
        assert_eq!(c.post("/orders").bearer(&alice).json(&json!({"items": [{"product_id": 999, "quantity": 1}]})).send().await.status(), 404);
        // The cart.
        assert_eq!(c.put("/cart/items/5").bearer(&alice).json(&json!({"quantity": 2})).send().await.status(), 200);
        let cart = c.put("/cart/items/6").bearer(&alice).json(&json!({"quantity": 1})).send().await.json_value();
        assert_eq!(cart, json!({"items": [{"product_id": 5, "quantity": 2}, {"product_id": 6, "quantity": 1}]}));
        let cart = c.delete("/cart/items/6").bearer(&alice).send().await.json_value();
        assert_eq!(cart["items"].as_array().unwrap().len(), 1);
        let res = c.post("/cart/checkout").bearer(&alice).send().await;
        assert_eq!(res.status(), 201);
        assert_eq!(res.json_value()["items"][0]["product_id"], 5);
        assert_eq!(c.get("/cart").bearer(&alice).send().await.json_value(), json!({"items": []}));
        assert_eq!(c.post("/cart/checkout").bearer(&alice).send().await.status(), 422);
    });
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn concurrent_orders_for_the_last_item_never_oversell() {
    let (url, dir) = db_url("race");
    rt().block_on(async {
        let c = client(&url).await;
        let admin = token(&c, "admin", "change-me").await;
        let alice = token(&c, "alice", "wonderland").await;
        let res = c
            .patch("/products/7")
            .bearer(&admin)
            .json(&json!({"stock": 1}))
            .send()
            .await;
        assert_eq!(res.json_value()["stock"], 1);
        let mut tasks = Vec::new();
        for _ in 0..12 {
            let c = c.clone();
            let t = alice.clone();
            tasks.push(tokio::spawn(async move {
                c.post("/orders")
                    .bearer(&t)
                    .json(&json!({"items": [{"product_id": 7, "quantity": 1}]}))
                    .send()
                    .await
                    .status()
                    .as_u16()
            }));
        }
        let mut codes = Vec::new();
        for t in tasks {
            codes.push(t.await.unwrap());
        }
        codes.sort();
        assert_eq!(codes.iter().filter(|c| **c == 201).count(), 1, "{codes:?}");
        assert_eq!(codes.iter().filter(|c| **c == 409).count(), 11, "{codes:?}");
        assert_eq!(c.get("/products/7").send().await.json_value()["stock"], 0);
    });
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn retries_with_an_idempotency_key_order_once() {
    let (url, dir) = db_url("idempotency");
    rt().block_on(async {
        let c = client(&url).await;
        common::idempotent_orders(std::slice::from_ref(&c), 3).await;

        // Keys expire after 24 h: an old key of alice's (id 1) and one of admin's (id 2).
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        let old = (chrono::Utc::now() - chrono::TimeDelta::hours(25)).to_rfc3339();
        for customer in [1i64, 2] {
            sqlx::query("INSERT INTO idempotency_keys (customer_id, idem_key, request, order_id, created_at) VALUES ($1, 'old-key', '[]', 1, $2)")
                .bind(customer)
                .bind(&old)
                .execute(&pool)
                .await
                .unwrap();
        }
        // alice's is forgotten when she orders: the old key orders anew, with any lines.
        let alice = token(&c, "alice", "wonderland").await;
        let res = c
            .post("/orders")
            .bearer(&alice)
            .header("idempotency-key", "old-key")
            .json(&json!({"items": [{"product_id": 3, "quantity": 1}]}))
            .send()
            .await;
        assert_eq!(res.status(), 201, "{}", res.text());
        assert_ne!(res.json_value()["id"], 1);
        // admin's goes at the next start-up.
        let count = |pool: sqlx::AnyPool| async move {
            let row = sqlx::query("SELECT COUNT(*) AS n FROM idempotency_keys WHERE customer_id = 2")
                .fetch_one(&pool)
                .await
                .unwrap();
            sqlx::Row::try_get::<i64, _>(&row, "n").unwrap()
        };
        assert_eq!(count(pool.clone()).await, 1);
        let _restarted = client(&url).await;
        assert_eq!(count(pool.clone()).await, 0);
        pool.close().await;
    });
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_restart_keeps_every_order() {
    let (url, dir) = db_url("restart");
    let placed = rt().block_on(async {
        let c = client(&url).await;
        let alice = token(&c, "alice", "wonderland").await;
        let mut ids = Vec::new();
        for p in [1, 2, 3] {
            let res = c
                .post("/orders")
                .bearer(&alice)
                .json(&json!({"items": [{"product_id": p, "quantity": 1}]}))
                .send()
                .await;
            ids.push(res.json_value()["id"].as_i64().unwrap());
        }
        ids
    });
    rt().block_on(async {
        let c = client(&url).await;
        let alice = token(&c, "alice", "wonderland").await;
        let orders = c.get("/orders").bearer(&alice).send().await.json_value();
        let ids: Vec<i64> = orders["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, placed);
        // Seeding ran once: still ten products, stock taken stays taken.
        assert_eq!(c.get("/products").send().await.json_value()["total"], 10);
        assert_eq!(c.get("/products/1").send().await.json_value()["stock"], 24);
    });
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn health_metrics_and_document() {
    let (url, dir) = db_url("ops");
    rt().block_on(async {
        let c = client(&url).await;
        assert_eq!(
            c.get("/health/ready").send().await.json_value()["checks"]["database"],
            "ok"
        );
        c.get("/products").send().await;
        assert!(c
            .get("/metrics")
            .send()
            .await
            .text()
            .contains("route=\"/products\""));
        let doc = shop::app().openapi_value().unwrap();
        assert_eq!(
            doc["paths"]["/products"]["post"]["security"],
            json!([{"OAuth2PasswordBearer": ["admin"]}])
        );
        assert_eq!(
            doc["paths"]["/orders"]["post"]["responses"]["409"]["description"],
            "Conflict"
        );
        let sort = doc["paths"]["/products"]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == "sort")
            .unwrap()
            .clone();
        assert_eq!(sort["schema"]["$ref"], "#/components/schemas/Sort");
        assert_eq!(
            doc["components"]["schemas"]["Sort"]["enum"],
            json!(["name", "-name", "price", "-price", "newest"])
        );
    });
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_bad_database_url_fails_start_up() {
    rt().block_on(async {
        let err = match TestClient::start(shop::app_with("mysql://nope".into())).await {
            Err(e) => e,
            Ok(_) => panic!("should not start"),
        };
        assert!(
            err.0
                .contains("DATABASE_URL must start with sqlite:// or postgres://"),
            "{err}"
        );
    });
}

/// Issue 11.9: the cart under concurrency, many orders, prices in whole cents, and text
/// that would confuse the database.
#[test]
fn the_shop_under_concurrency_and_volume() {
    let (url, dir) = db_url("volume");
    rt().block_on(async {
        let c = client(&url).await;
        let alice = token(&c, "alice", "wonderland").await;
        let admin = token(&c, "admin", "change-me").await;

        // 50 concurrent puts of the same cart line: every one succeeds, one line remains.
        let tasks: Vec<_> = (1..=50)
            .map(|q| {
                let (c, t) = (c.clone(), alice.clone());
                tokio::spawn(async move {
                    c.put("/cart/items/5").bearer(&t).json(&json!({"quantity": q})).send().await.status().as_u16()
                })
            })
            .collect();
        for t in tasks {
            assert_eq!(t.await.unwrap(), 200);
        }
        let cart = c.get("/cart").bearer(&alice).send().await.json_value();
        assert_eq!(cart["items"].as_array().unwrap().len(), 1, "{cart}");

        // 4,000 orders of two lines each, written straight to the database.
        let db = shop::db::connect(&url).await.unwrap();
        let mut tx = db.pool.begin().await.unwrap();
        for i in 0..4000i64 {
            let id: i64 = sqlx::Row::get(
                &sqlx::query("INSERT INTO orders (customer_id, total_cents, created_at) VALUES (1, $1, '2026-01-01T00:00:00+00:00') RETURNING id")
                    .bind(300 + i)
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap(),
                "id",
            );
            for (p, cents) in [(1, 100), (2, 200 + i)] {
                sqlx::query("INSERT INTO order_items (order_id, product_id, quantity, unit_price_cents) VALUES ($1, $2, 1, $3)")
                    .bind(id)
                    .bind(p)
                    .bind(cents)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
            }
        }
        tx.commit().await.unwrap();
        let page = c.get("/orders").query("limit", "100").query("offset", "3950").bearer(&alice).send().await.json_value();
        assert_eq!(page["total"], 4000);
        assert_eq!((page["limit"].clone(), page["offset"].clone()), (json!(100), json!(3950)));
        let items = page["items"].as_array().unwrap();
        assert_eq!(items.len(), 50);
        for (k, o) in items.iter().enumerate() {
            let i = 3950 + k as i64;
            assert_eq!(o["total"], (300 + i) as f64 / 100.0);
            assert_eq!(o["items"].as_array().unwrap().len(), 2, "{o}");
            assert_eq!(o["items"][1]["unit_price"], (200 + i) as f64 / 100.0);
        }
        let default_page = c.get("/orders").bearer(&alice).send().await.json_value();
        assert_eq!(default_page["items"].as_array().unwrap().len(), 20);
        for bad in [("limit", "0"), ("limit", "101"), ("offset", "-1")] {
            let res = c.get("/orders").query(bad.0, bad.1).bearer(&alice).send().await;
            assert_eq!(res.status(), 422, "{bad:?}");
        }

        // Prices are whole cents of at least 0.01.
        let new = |price: Value| json!({"name": "Thing", "price": price, "stock": 1});
        for bad in [json!(0.001), json!(0), json!(-1), json!(0.005), json!(12.345)] {
            let res = c.post("/products").bearer(&admin).json(&new(bad.clone())).send().await;
            assert_eq!(res.status(), 422, "{bad}: {}", res.text());
        }
        for (good, cents) in [(json!(0.01), 0.01), (json!(19.99), 19.99), (json!(7), 7.0)] {
            let res = c.post("/products").bearer(&admin).json(&new(good.clone())).send().await;
            assert_eq!(res.status(), 201, "{good}: {}", res.text());
            assert_eq!(res.json_value()["price"], cents);
        }
        let res = c.patch("/products/1").bearer(&admin).json(&json!({"price": 0.001})).send().await;
        assert_eq!(res.status(), 422);

        // Control characters never reach the database; LIKE wildcards are literal.
        let res = c.get("/products").query("q", "\0").send().await;
        assert_eq!(res.status(), 422, "{}", res.text());
        assert_eq!(res.json_value()["detail"][0]["type"], "string_pattern_mismatch");
        assert_eq!(c.get("/products").query("q", "%").send().await.json_value()["total"], 0);
        assert_eq!(c.get("/products").query("q", "_").send().await.json_value()["total"], 0);
        let res = c.post("/products").bearer(&admin).json(&json!({"name": "a\u{0}b", "price": 1, "stock": 1})).send().await;
        assert_eq!(res.status(), 422);
        let res = c.post("/token").form(&[("username", "alice\0"), ("password", "wonderland")]).send().await;
        assert_eq!(res.status(), 401);
    });
    std::fs::remove_dir_all(dir).ok();
}

/// Issue 11.6: password guessing meets the log-in rate limit.
#[test]
fn password_guessing_is_rate_limited() {
    let (url, dir) = db_url("guessing");
    rt().block_on(async {
        let c = client(&url).await;
        let guess = || {
            c.post("/token")
                .form(&[("username", "alice"), ("password", "guess")])
                .send()
        };
        for _ in 0..shop::LOGIN_ATTEMPTS_PER_MINUTE {
            assert_eq!(guess().await.status(), 401);
        }
        let res = guess().await;
        assert_eq!(res.status(), 429);
        assert!(res.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
        // The right password from the same address waits too; another address does not.
        let right = [("username", "alice"), ("password", "wonderland")];
        assert_eq!(c.post("/token").form(&right).send().await.status(), 429);
        let other = "203.0.113.5:1234".parse().unwrap();
        assert_eq!(
            c.post("/token")
                .form(&right)
                .client_addr(other)
                .send()
                .await
                .status(),
            200
        );
        // Other routes are not limited.
        for _ in 0..20 {
            assert_eq!(c.get("/products").send().await.status(), 200);
        }
    });
    std::fs::remove_dir_all(dir).ok();
}
