//! Telemetry on PostgreSQL, three instances on one database, the live stream shared through
//! PostgreSQL LISTEN/NOTIFY. Runs when `TELEMETRY_POSTGRES_URL` names a database it may
//! wipe (CI starts one with `.ci/postgres.sh`); without it, the test says so and passes.

use std::time::{Duration, Instant};

use ferrapi::realtime::Channels;
use ferrapi::testing::TestClient;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use telemetry::{app_with, Settings, SEED_KEY};
use tower::ServiceExt;

const ADMIN: &str = "test-admin-key";

fn settings(url: &str) -> Settings {
    Settings {
        database_url: url.to_string(),
        admin_key: ADMIN.into(),
        channels: Channels::builder().postgres(url).unwrap(),
    }
}

fn batch(n: usize) -> Value {
    let ts = (chrono::Utc::now() - chrono::TimeDelta::seconds(5)).to_rfc3339();
    let readings: Vec<Value> = (0..n)
        .map(|i| json!({"ts": ts, "metric": "humidity", "value": (i % 100) as f64}))
        .collect();
    json!({ "readings": readings })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_instances_share_one_postgresql() {
    let Ok(url) = std::env::var("TELEMETRY_POSTGRES_URL") else {
        eprintln!("TELEMETRY_POSTGRES_URL is not set: the PostgreSQL run is skipped");
        return;
    };
    // Start from an empty database.
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    sqlx::query("DROP TABLE IF EXISTS readings, devices CASCADE")
        .execute(&pool)
        .await
        .unwrap();

    // Three instances start at once and create the schema once.
    let starts: Vec<_> = (0..3)
        .map(|_| tokio::spawn(app_with(settings(&url)).prepare()))
        .collect();
    let mut routers = Vec::new();
    for s in starts {
        routers.push(s.await.unwrap().unwrap().try_into_router().unwrap());
    }
    let clients: Vec<TestClient> = routers
        .iter()
        .cloned()
        .map(TestClient::from_router)
        .collect();

    // A stream opened on instance C sees what A stores.
    let req = http::Request::get("/stream")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = routers[2].clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), 200);
    let mut on_c = res.into_body();

    // The same device registered on three instances at once: one 201, two 409.
    let mut codes = Vec::new();
    let tasks: Vec<_> = clients
        .iter()
        .cloned()
        .map(|c| {
            tokio::spawn(async move {
                let res = c
                    .post("/devices")
                    .header("x-admin-key", ADMIN)
                    .json(&json!({"id": "pump-7"}))
                    .send()
                    .await;
                (res.status().as_u16(), res.json_value())
            })
        })
        .collect();
    let mut key = None;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        codes.push(status);
        if status == 201 {
            key = body["api_key"].as_str().map(str::to_string);
        }
    }
    codes.sort();
    assert_eq!(codes, [201, 409, 409]);
    let key = key.unwrap();

    // 30 batches of 40 readings, concurrently over the instances: every reading stored,
    // each batch whole.
    let tasks: Vec<_> = (0..30)
        .map(|i| {
            let c = clients[i % 3].clone();
            let key = key.clone();
            tokio::spawn(async move {
                c.post("/readings")
                    .header("x-api-key", &key)
                    .json(&batch(40))
                    .send()
                    .await
                    .status()
                    .as_u16()
            })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 202);
    }
    let stats = clients[1]
        .get("/devices/pump-7/stats?metric=humidity")
        .send()
        .await
        .json_value();
    assert_eq!(stats["count"], 1200);
    assert_eq!(stats["min"], 0.0);
    assert_eq!(stats["max"], 39.0);
    // A bad batch stores nothing, on any instance.
    let mut bad = batch(10);
    bad["readings"][9]["value"] = json!(1000);
    let res = clients[2]
        .post("/readings")
        .header("x-api-key", &key)
        .json(&bad)
        .send()
        .await;
    assert_eq!(res.status(), 422);
    let stats = clients[0]
        .get("/devices/pump-7/stats?metric=humidity")
        .send()
        .await
        .json_value();
    assert_eq!(stats["count"], 1200);
    // The seeded device works everywhere.
    let res = clients[1]
        .post("/readings")
        .header("x-api-key", SEED_KEY)
        .json(&batch(1))
        .send()
        .await;
    assert_eq!(res.status(), 202);

    // The stream on C received the 1,201 readings stored through A, B and C.
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut text = String::new();
    while text.matches("data: ").count() < 1201 {
        let left = deadline.saturating_duration_since(Instant::now());
        let frame = tokio::time::timeout(left, on_c.frame())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "{} of 1201 readings streamed",
                    text.matches("data: ").count()
                )
            })
            .expect("the stream stays open")
            .expect("a frame");
        if let Ok(chunk) = frame.into_data() {
            text.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }
}
