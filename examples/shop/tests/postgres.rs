//! The same shop code on PostgreSQL. Runs when `SHOP_POSTGRES_URL` points at a database it
//! may wipe (CI starts one with `.ci/postgres.sh`); without it, the test says so and passes.

use ferrapi::testing::TestClient;
use serde_json::json;

mod common;

use common::token;

#[test]
fn the_shop_on_postgresql() {
    let Ok(url) = std::env::var("SHOP_POSTGRES_URL") else {
        eprintln!("SHOP_POSTGRES_URL is not set: the PostgreSQL run is skipped");
        return;
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        // Start from an empty database.
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        for t in [
            "idempotency_keys",
            "order_items",
            "orders",
            "cart_items",
            "products",
            "categories",
            "customers",
        ] {
            sqlx::query(&format!("DROP TABLE IF EXISTS {t} CASCADE"))
                .execute(&pool)
                .await
                .unwrap();
        }
        pool.close().await;

        // Instances behind one balancer must share the token secret (one test in this
        // binary: nothing else reads the environment meanwhile).
        std::env::set_var("JWT_SECRET", "a-test-secret-shared-by-the-three-instances");
        // Three instances start at once on the empty database: they take turns to create
        // the schema and seed it once.
        let starts: Vec<_> = (0..3)
            .map(|_| tokio::spawn(TestClient::start(shop::app_with(url.clone()))))
            .collect();
        let mut instances = Vec::new();
        for s in starts {
            instances.push(s.await.unwrap().unwrap());
        }
        let c = instances[0].clone();
        assert_eq!(
            c.get("/health/ready").send().await.json_value()["checks"]["database"],
            "ok"
        );
        let page = c
            .get("/products?limit=2&sort=-price&q=e")
            .send()
            .await
            .json_value();
        assert_eq!(page["items"].as_array().unwrap().len(), 2);
        let admin = token(&c, "admin", "change-me").await;
        let alice = token(&c, "alice", "wonderland").await;
        let res = c
            .post("/products")
            .bearer(&admin)
            .json(&json!({"name": "Level", "price": 9.5, "stock": 1}))
            .send()
            .await;
        assert_eq!(res.status(), 201, "{}", res.text());
        let id = res.json_value()["id"].as_i64().unwrap();
        // 100 concurrent orders for the last unit, spread over the instances: exactly one
        // succeeds.
        let mut tasks = Vec::new();
        for i in 0..100 {
            let c = instances[i % 3].clone();
            let t = alice.clone();
            tasks.push(tokio::spawn(async move {
                c.post("/orders")
                    .bearer(&t)
                    .json(&json!({"items": [{"product_id": id, "quantity": 1}]}))
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
        assert_eq!(codes.iter().filter(|c| **c == 201).count(), 1, "{codes:?}");
        assert_eq!(codes.iter().filter(|c| **c == 409).count(), 99, "{codes:?}");
        let orders = c.get("/orders").bearer(&alice).send().await.json_value();
        assert_eq!(orders["items"].as_array().unwrap().len(), 1);
        assert_eq!(orders["total"], 1);

        // Retries with one idempotency key over the three instances order once.
        common::idempotent_orders(&instances, 3).await;
        let orders = c.get("/orders").bearer(&alice).send().await.json_value();

        // A restart keeps every order and does not seed twice.
        let c = TestClient::start(shop::app_with(url.clone()))
            .await
            .unwrap();
        let alice = token(&c, "alice", "wonderland").await;
        assert_eq!(
            c.get("/orders").bearer(&alice).send().await.json_value(),
            orders
        );
        assert_eq!(c.get("/products").send().await.json_value()["total"], 11);
    });
}
