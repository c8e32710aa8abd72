//! Checks shared by the SQLite and PostgreSQL runs: ordering with an `Idempotency-Key`
//! through one instance or several sharing one database.

use ferrapi::testing::TestClient;
use serde_json::json;

/// A customer's bearer token.
pub(crate) async fn token(c: &TestClient, user: &str, pw: &str) -> String {
    let res = c
        .post("/token")
        .form(&[("username", user), ("password", pw)])
        .send()
        .await;
    assert_eq!(res.status(), 200, "{}", res.text());
    res.json_value()["access_token"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Sets a product's stock (as the administrator).
pub(crate) async fn set_stock(c: &TestClient, product: i64, stock: i64) {
    let admin = token(c, "admin", "change-me").await;
    let res = c
        .patch(&format!("/products/{product}"))
        .bearer(&admin)
        .json(&json!({"stock": stock}))
        .send()
        .await;
    assert_eq!(res.json_value()["stock"], stock, "{}", res.text());
}

/// Retries with one key give one order, wherever they land and however they overlap; the
/// key is checked and bound to its request.
pub(crate) async fn idempotent_orders(instances: &[TestClient], product: i64) {
    let c = &instances[0];
    let alice = token(c, "alice", "wonderland").await;
    set_stock(c, product, 100).await;
    let before = c.get("/orders").bearer(&alice).send().await.json_value()["total"]
        .as_i64()
        .unwrap();
    let key = format!("order-{}", uuid_like());
    let body = json!({"items": [{"product_id": product, "quantity": 2}]});
    // 12 attempts at once with the same key, spread over the instances.
    let mut tasks = Vec::new();
    for i in 0..12 {
        let c = instances[i % instances.len()].clone();
        let (t, k, b) = (alice.clone(), key.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let res = c
                .post("/orders")
                .bearer(&t)
                .header("idempotency-key", &k)
                .json(&b)
                .send()
                .await;
            (res.status().as_u16(), res.json_value())
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        let (status, order) = t.await.unwrap();
        assert_eq!(status, 201, "{order}");
        ids.push(order["id"].as_i64().unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "one order for one key: {ids:?}");
    let after = c.get("/orders").bearer(&alice).send().await.json_value()["total"]
        .as_i64()
        .unwrap();
    assert_eq!(after, before + 1);
    let stock = c
        .get(&format!("/products/{product}"))
        .send()
        .await
        .json_value()["stock"]
        .clone();
    assert_eq!(stock, 98, "the stock was taken once");
    // The same key with other lines is refused, and orders nothing.
    let other = json!({"items": [{"product_id": product, "quantity": 3}]});
    let res = instances[instances.len() - 1]
        .post("/orders")
        .bearer(&alice)
        .header("idempotency-key", &key)
        .json(&other)
        .send()
        .await;
    assert_eq!(res.status(), 422, "{}", res.text());
    assert_eq!(
        res.json_value()["detail"],
        json!([{
            "type": "idempotency_key_reused",
            "loc": ["header", "Idempotency-Key"],
            "msg": "Value error, this Idempotency-Key was used with another request",
            "input": key,
        }])
    );
    // Keys are checked: empty, too long, or with spaces or tabs.
    for bad in ["", &"k".repeat(256), "a b", "a\tb"] {
        let res = c
            .post("/orders")
            .bearer(&alice)
            .header("idempotency-key", bad)
            .json(&body)
            .send()
            .await;
        assert_eq!(res.status(), 422, "{bad:?}: {}", res.text());
        assert_eq!(
            res.json_value()["detail"][0]["loc"],
            json!(["header", "Idempotency-Key"])
        );
    }
    // A refused order does not use up its key: with stock back, the retry succeeds.
    set_stock(c, product, 0).await;
    let key2 = format!("short-{}", uuid_like());
    let send = |c: TestClient| {
        let (t, k, b) = (alice.clone(), key2.clone(), body.clone());
        async move {
            c.post("/orders")
                .bearer(&t)
                .header("idempotency-key", &k)
                .json(&b)
                .send()
                .await
                .status()
                .as_u16()
        }
    };
    assert_eq!(send(c.clone()).await, 409);
    set_stock(c, product, 5).await;
    assert_eq!(send(c.clone()).await, 201);
    assert_eq!(send(instances[instances.len() - 1].clone()).await, 201);
    let stock = c
        .get(&format!("/products/{product}"))
        .send()
        .await
        .json_value()["stock"]
        .clone();
    assert_eq!(stock, 3);
}

/// A key unique enough for one test run.
fn uuid_like() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("{}-{nanos}", std::process::id())
}
