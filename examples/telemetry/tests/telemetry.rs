//! The telemetry example through the in-process test client, each test on its own
//! temporary SQLite file.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{TimeDelta, Utc};
use ferrapi::testing::{TestClient, TestResponse};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use telemetry::{app_with, Settings, SEED_DEVICE, SEED_KEY};
use tower::ServiceExt;

const ADMIN: &str = "test-admin-key";

/// A database file under the temp dir, unique per test, removed at the end.
struct TempDb(PathBuf);

impl TempDb {
    fn new(name: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos();
        TempDb(std::env::temp_dir().join(format!(
            "telemetry-test-{name}-{}-{nanos}-{}.db",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        )))
    }
    fn url(&self) -> String {
        format!("sqlite://{}", self.0.display())
    }
    fn settings(&self) -> Settings {
        Settings {
            database_url: self.url(),
            admin_key: ADMIN.into(),
            channels: telemetry::memory_channels(),
        }
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

async fn client(db: &TempDb) -> TestClient {
    TestClient::start(app_with(db.settings()))
        .await
        .expect("the app starts")
}

fn ts(offset_s: i64) -> String {
    (Utc::now() + TimeDelta::seconds(offset_s)).to_rfc3339()
}

fn reading(metric: &str, value: f64) -> Value {
    json!({"ts": ts(-10), "metric": metric, "value": value})
}

async fn post_batch(c: &TestClient, key: &str, readings: Vec<Value>) -> TestResponse {
    c.post("/readings")
        .header("x-api-key", key)
        .json(&json!({ "readings": readings }))
        .send()
        .await
}

async fn stats(c: &TestClient, device: &str, metric: &str) -> Value {
    let res = c
        .get(&format!("/devices/{device}/stats"))
        .query("metric", metric)
        .send()
        .await;
    assert_eq!(res.status(), 200, "{}", res.text());
    res.json_value()
}

async fn register(c: &TestClient, id: &str) -> TestResponse {
    c.post("/devices")
        .header("x-admin-key", ADMIN)
        .json(&json!({ "id": id }))
        .send()
        .await
}

fn locs_and_types(res: &TestResponse) -> Vec<(Value, String)> {
    res.json_value()["detail"]
        .as_array()
        .unwrap_or_else(|| panic!("a 422 detail list: {}", res.text()))
        .iter()
        .map(|e| (e["loc"].clone(), e["type"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn credentials_are_checked_before_the_handler() {
    let db = TempDb::new("auth");
    let c = client(&db).await;
    // No key: 401 with the API-key challenge, even with a body that would not validate.
    let res = c
        .post("/readings")
        .json(&json!({"readings": []}))
        .send()
        .await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.header("www-authenticate"), Some("APIKey"));
    assert_eq!(res.json_value(), json!({"detail": "Not authenticated"}));
    // A wrong key: 403, and nothing stored.
    let res = post_batch(&c, "wrong-key", vec![reading("temperature", 20.0)]).await;
    assert_eq!(res.status(), 403);
    assert_eq!(res.json_value(), json!({"detail": "Invalid API key"}));
    let res = c
        .post("/readings")
        .header("x-api-key", "")
        .json(&json!({"readings": [reading("temperature", 20.0)]}))
        .send()
        .await;
    assert_eq!(res.status(), 401, "an empty key counts as none");
    assert_eq!(stats(&c, SEED_DEVICE, "temperature").await["count"], 0);
    // The admin key is not a device key, and a device key is not the admin key.
    let res = post_batch(&c, ADMIN, vec![reading("temperature", 20.0)]).await;
    assert_eq!(res.status(), 403);
    let res = c
        .post("/devices")
        .json(&json!({"id": "sensor-9"}))
        .send()
        .await;
    assert_eq!(res.status(), 401);
    let res = c
        .post("/devices")
        .header("x-admin-key", SEED_KEY)
        .json(&json!({"id": "sensor-9"}))
        .send()
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(res.json_value(), json!({"detail": "Invalid admin key"}));
    let res = c
        .get("/devices/sensor-9/stats?metric=temperature")
        .send()
        .await;
    assert_eq!(
        res.status(),
        404,
        "the refused registrations did not happen"
    );
    // The seeded device's key works.
    let res = post_batch(&c, SEED_KEY, vec![reading("temperature", 20.0)]).await;
    assert_eq!(res.status(), 202, "{}", res.text());
    assert_eq!(res.json_value(), json!({"stored": 1}));
}

#[tokio::test]
async fn devices_are_registered_with_a_hashed_key() {
    let db = TempDb::new("devices");
    let c = client(&db).await;
    let res = register(&c, "greenhouse-7").await;
    assert_eq!(res.status(), 201, "{}", res.text());
    let body = res.json_value();
    assert_eq!(body["id"], "greenhouse-7");
    let key = body["api_key"].as_str().unwrap().to_string();
    assert!(key.len() >= 64, "{key}");
    let res = post_batch(&c, &key, vec![reading("humidity", 55.0)]).await;
    assert_eq!(res.status(), 202, "{}", res.text());
    assert_eq!(stats(&c, "greenhouse-7", "humidity").await["count"], 1);
    assert_eq!(stats(&c, SEED_DEVICE, "humidity").await["count"], 0);

    let res = register(&c, "greenhouse-7").await;
    assert_eq!(res.status(), 409);
    assert_eq!(
        res.json_value(),
        json!({"detail": "Device \"greenhouse-7\" already exists"})
    );
    let res = register(&c, SEED_DEVICE).await;
    assert_eq!(res.status(), 409);
    for bad in ["Upper", "with space", "", &"x".repeat(41), "under_score"] {
        let res = register(&c, bad).await;
        assert_eq!(res.status(), 422, "{bad:?}");
        assert_eq!(
            locs_and_types(&res),
            vec![(json!(["body", "id"]), "string_pattern_mismatch".to_string())]
        );
    }
    let other = register(&c, "greenhouse-8").await.json_value();
    assert_ne!(other["api_key"], key.as_str(), "keys are random");

    // Neither key is in the database file; 32-byte hashes are.
    let file = std::fs::read(&db.0).unwrap();
    let wal = std::fs::read(format!("{}-wal", db.0.display())).unwrap_or_default();
    for k in [key.as_str(), other["api_key"].as_str().unwrap(), SEED_KEY] {
        let found = |hay: &[u8]| hay.windows(k.len()).any(|w| w == k.as_bytes());
        assert!(!found(&file) && !found(&wal), "plain key {k} stored");
    }
    let pool = sqlx::SqlitePool::connect(&db.url()).await.unwrap();
    let lens: Vec<(i64,)> = sqlx::query_as("SELECT length(key_hash) FROM devices")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(lens, vec![(32,), (32,), (32,)]);
    pool.close().await;
}

#[tokio::test]
async fn every_bad_reading_is_reported_at_once() {
    let db = TempDb::new("validation");
    let c = client(&db).await;
    let readings = vec![
        reading("temperature", 21.5),                                 // 0 fine
        reading("temperature", 150.5),                                // 1 too hot
        json!({"ts": ts(3600), "metric": "humidity", "value": 50}),   // 2 future
        reading("humidity", -0.1),                                    // 3 below 0
        reading("pressure", 250.0),                                   // 4 below 300
        json!({"ts": ts(600), "metric": "voltage", "value": 1000.5}), // 5 both
        reading("co2", 40001.0),                                      // 6 above
        reading("pressure", 1013.25),                                 // 7 fine
    ];
    let res = post_batch(&c, SEED_KEY, readings).await;
    assert_eq!(res.status(), 422, "{}", res.text());
    let r = |i: usize, f: &str| json!(["body", "readings", i, f]);
    assert_eq!(
        locs_and_types(&res),
        vec![
            (r(1, "value"), "less_than_equal".into()),
            (r(2, "ts"), "datetime_past".into()),
            (r(3, "value"), "greater_than_equal".into()),
            (r(4, "value"), "greater_than_equal".into()),
            (r(5, "ts"), "datetime_past".into()),
            (r(5, "value"), "less_than_equal".into()),
            (r(6, "value"), "less_than_equal".into()),
        ]
    );
    let detail = res.json_value()["detail"].clone();
    assert_eq!(
        detail[0],
        json!({
            "type": "less_than_equal",
            "loc": ["body", "readings", 1, "value"],
            "msg": "Input should be less than or equal to 150.0 for temperature",
            "input": 150.5,
            "ctx": {"le": 150.0, "metric": "temperature"}
        })
    );
    assert_eq!(detail[2]["ctx"], json!({"ge": 0.0, "metric": "humidity"}));
    assert!(detail[1]["msg"]
        .as_str()
        .unwrap()
        .starts_with("Input should be in the past"));
    assert_eq!(detail[1]["ctx"]["max_skew_seconds"], 60);
    // All or nothing: the good readings of a refused batch are not stored.
    assert_eq!(stats(&c, SEED_DEVICE, "temperature").await["count"], 0);
    assert_eq!(stats(&c, SEED_DEVICE, "pressure").await["count"], 0);

    // Bounds are included, and a little clock skew is allowed.
    let edges = vec![
        reading("temperature", -60.0),
        reading("temperature", 150.0),
        reading("humidity", 0.0),
        reading("humidity", 100.0),
        reading("pressure", 300.0),
        reading("pressure", 1100.0),
        reading("voltage", 0.0),
        json!({"ts": ts(30), "metric": "voltage", "value": 1000}),
    ];
    let res = post_batch(&c, SEED_KEY, edges).await;
    assert_eq!(res.status(), 202, "{}", res.text());
    assert_eq!(res.json_value(), json!({"stored": 8}));
}

#[tokio::test]
async fn shapes_and_batch_sizes_are_checked_by_the_model() {
    let db = TempDb::new("shapes");
    let c = client(&db).await;
    let res = post_batch(&c, SEED_KEY, vec![]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        locs_and_types(&res),
        vec![(json!(["body", "readings"]), "too_short".into())]
    );
    let res = post_batch(&c, SEED_KEY, vec![reading("humidity", 40.0); 1001]).await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        locs_and_types(&res),
        vec![(json!(["body", "readings"]), "too_long".into())]
    );
    assert_eq!(res.json_value()["detail"][0]["ctx"]["max_length"], 1000);
    let res = post_batch(&c, SEED_KEY, vec![reading("humidity", 40.0); 1000]).await;
    assert_eq!(res.status(), 202, "{}", res.text());
    assert_eq!(res.json_value(), json!({"stored": 1000}));

    // Unknown metric, a date that is not one, a value that is not a number, a missing
    // field: every one listed, in the body's order.
    let res = post_batch(
        &c,
        SEED_KEY,
        vec![
            json!({"ts": ts(-1), "metric": "radiation", "value": 1}),
            json!({"ts": "yesterday", "metric": "humidity", "value": 1}),
            json!({"ts": ts(-1), "metric": "humidity", "value": "high"}),
            json!({"ts": ts(-1), "metric": "humidity"}),
        ],
    )
    .await;
    assert_eq!(res.status(), 422);
    let r = |i: usize, f: &str| json!(["body", "readings", i, f]);
    assert_eq!(
        locs_and_types(&res),
        vec![
            (r(0, "metric"), "enum".into()),
            (r(1, "ts"), "datetime_from_date_parsing".into()),
            (r(2, "value"), "float_parsing".into()),
            (r(3, "value"), "missing".into()),
        ]
    );
    assert_eq!(
        res.json_value()["detail"][0]["msg"],
        "Input should be 'temperature', 'humidity', 'pressure', 'voltage' or 'co2'"
    );

    // JSON has no NaN or infinity; a number too large for a float is not valid JSON here.
    for raw in [
        r#"{"readings": [{"ts": "2024-01-01T00:00:00Z", "metric": "voltage", "value": 1e400}]}"#,
        r#"{"readings": [{"ts": "2024-01-01T00:00:00Z", "metric": "voltage", "value": NaN}]}"#,
        r#"{"readings": [{"ts": "2024-01-01T00:00:00Z", "metric": "voltage", "value": Infinity}]}"#,
    ] {
        let res = c
            .post("/readings")
            .header("x-api-key", SEED_KEY)
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await;
        assert_eq!(res.status(), 422, "{raw}");
        let types: Vec<String> = locs_and_types(&res).into_iter().map(|(_, t)| t).collect();
        assert_eq!(types, vec!["json_invalid".to_string()], "{raw}");
    }
    // Very large but finite numbers parse, then fail the range check.
    let res = post_batch(&c, SEED_KEY, vec![reading("voltage", 1.7e308)]).await;
    assert_eq!(
        locs_and_types(&res),
        vec![(r(0, "value"), "less_than_equal".into())]
    );
    assert_eq!(stats(&c, SEED_DEVICE, "voltage").await["count"], 0);
}

#[tokio::test]
async fn stats_summarise_one_device_and_metric() {
    let db = TempDb::new("stats");
    let c = client(&db).await;
    let key2 = register(&c, "sensor-2").await.json_value()["api_key"]
        .as_str()
        .unwrap()
        .to_string();
    let old = (Utc::now() - TimeDelta::hours(2)).to_rfc3339();
    let recent = (Utc::now() - TimeDelta::minutes(5)).to_rfc3339();
    let res = post_batch(
        &c,
        SEED_KEY,
        vec![
            json!({"ts": old, "metric": "temperature", "value": -10.0}),
            json!({"ts": recent, "metric": "temperature", "value": 20.0}),
            json!({"ts": recent, "metric": "temperature", "value": 23.0}),
            json!({"ts": recent, "metric": "humidity", "value": 99.0}),
        ],
    )
    .await;
    assert_eq!(res.status(), 202);
    let res = post_batch(&c, &key2, vec![reading("temperature", 140.0)]).await;
    assert_eq!(res.status(), 202);

    assert_eq!(
        stats(&c, SEED_DEVICE, "temperature").await,
        json!({"device_id": "sensor-1", "metric": "temperature", "count": 3,
               "min": -10.0, "max": 23.0, "mean": 11.0})
    );
    let since = (Utc::now() - TimeDelta::hours(1)).to_rfc3339();
    let res = c
        .get("/devices/sensor-1/stats")
        .query("metric", "temperature")
        .query("since", &since)
        .send()
        .await;
    assert_eq!(
        res.json_value(),
        json!({"device_id": "sensor-1", "metric": "temperature", "count": 2,
               "min": 20.0, "max": 23.0, "mean": 21.5})
    );
    // `since` is inclusive.
    let res = c
        .get("/devices/sensor-1/stats")
        .query("metric", "temperature")
        .query("since", &old)
        .send()
        .await;
    assert_eq!(res.json_value()["count"], 3);
    assert_eq!(
        stats(&c, "sensor-2", "temperature").await,
        json!({"device_id": "sensor-2", "metric": "temperature", "count": 1,
               "min": 140.0, "max": 140.0, "mean": 140.0})
    );
    assert_eq!(
        stats(&c, "sensor-2", "pressure").await,
        json!({"device_id": "sensor-2", "metric": "pressure", "count": 0,
               "min": null, "max": null, "mean": null})
    );

    let res = c
        .get("/devices/nobody/stats?metric=temperature")
        .send()
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(res.json_value(), json!({"detail": "Device not found"}));
    let res = c
        .get("/devices/sensor-1/stats?metric=wind&since=soon")
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        locs_and_types(&res),
        vec![
            (json!(["query", "metric"]), "enum".into()),
            (
                json!(["query", "since"]),
                "datetime_from_date_parsing".into()
            ),
        ]
    );
    let res = c.get("/devices/sensor-1/stats").send().await;
    assert_eq!(
        locs_and_types(&res),
        vec![(json!(["query", "metric"]), "missing".into())]
    );
}

/// Reads server-sent events from a streaming body until `n` `data:` lines arrived, or
/// fails after 10 s or 64 KiB.
async fn read_events(body: &mut axum::body::Body, n: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut text = String::new();
    loop {
        let data: Vec<Value> = text
            .lines()
            .filter_map(|l| l.strip_prefix("data: "))
            .map(|d| serde_json::from_str(d).unwrap())
            .collect();
        if data.len() >= n {
            return data;
        }
        assert!(
            text.len() < 64 * 1024,
            "too much without {n} events: {text}"
        );
        let left = deadline.saturating_duration_since(Instant::now());
        let frame = tokio::time::timeout(left, body.frame())
            .await
            .unwrap_or_else(|_| panic!("no {n} events within 10 s; got: {text}"))
            .expect("the stream stays open")
            .expect("a body frame");
        if let Ok(chunk) = frame.into_data() {
            text.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }
}

#[tokio::test]
async fn the_stream_sends_posted_batches() {
    let db = TempDb::new("stream");
    // The test client reads whole bodies, and a stream never ends: open the stream on the
    // router directly and read a bounded prefix of it.
    let router = app_with(db.settings())
        .prepare()
        .await
        .unwrap()
        .try_into_router()
        .unwrap();
    let c = TestClient::from_router(router.clone());
    let open = |uri: &str| {
        let req = http::Request::get(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        router.clone().oneshot(req)
    };
    let all = open("/stream").await.unwrap();
    assert_eq!(all.status(), 200);
    assert_eq!(
        all.headers().get("content-type").unwrap(),
        "text/event-stream"
    );
    let mut all = all.into_body();
    let mut humidity = open("/stream?metric=humidity").await.unwrap().into_body();

    let t = "2024-05-01T09:30:00Z";
    let res = post_batch(
        &c,
        SEED_KEY,
        vec![
            json!({"ts": t, "metric": "temperature", "value": 21.5}),
            json!({"ts": t, "metric": "humidity", "value": 40}),
        ],
    )
    .await;
    assert_eq!(res.status(), 202, "{}", res.text());
    // A refused batch sends nothing.
    assert_eq!(
        post_batch(&c, SEED_KEY, vec![reading("humidity", 101.0)])
            .await
            .status(),
        422
    );
    let res = post_batch(
        &c,
        SEED_KEY,
        vec![json!({"ts": t, "metric": "humidity", "value": 41})],
    )
    .await;
    assert_eq!(res.status(), 202);

    assert_eq!(
        read_events(&mut all, 3).await,
        vec![
            json!({"device_id": "sensor-1", "ts": t, "metric": "temperature", "value": 21.5}),
            json!({"device_id": "sensor-1", "ts": t, "metric": "humidity", "value": 40.0}),
            json!({"device_id": "sensor-1", "ts": t, "metric": "humidity", "value": 41.0}),
        ]
    );
    let h = read_events(&mut humidity, 2).await;
    assert_eq!(
        h.iter().map(|e| &e["value"]).collect::<Vec<_>>(),
        [40.0, 41.0]
    );
}

#[tokio::test]
async fn data_survives_a_restart() {
    let db = TempDb::new("restart");
    let key = {
        let c = client(&db).await;
        let key = register(&c, "boiler-1").await.json_value()["api_key"]
            .as_str()
            .unwrap()
            .to_string();
        let res = post_batch(&c, &key, vec![reading("pressure", 1000.0); 10]).await;
        assert_eq!(res.status(), 202);
        key
    };
    let c = client(&db).await;
    assert_eq!(stats(&c, "boiler-1", "pressure").await["count"], 10);
    // The registered key still works, the id is still taken, the seed is not duplicated.
    let res = post_batch(&c, &key, vec![reading("pressure", 1010.0)]).await;
    assert_eq!(res.status(), 202);
    assert_eq!(stats(&c, "boiler-1", "pressure").await["count"], 11);
    assert_eq!(register(&c, "boiler-1").await.status(), 409);
    assert_eq!(
        post_batch(&c, SEED_KEY, vec![reading("pressure", 1000.0)])
            .await
            .status(),
        202
    );
}

#[tokio::test]
async fn a_bad_database_url_fails_start_up() {
    let missing_dir = std::env::temp_dir().join("telemetry-no-such-dir-4b1d/sub/t.db");
    for (url, expect) in [
        (
            format!("sqlite://{}", missing_dir.display()),
            "unable to open database file",
        ),
        (
            "mysql://localhost/telemetry".to_string(),
            "must be sqlite://telemetry.db or postgres://",
        ),
    ] {
        let app = app_with(Settings {
            database_url: url.clone(),
            admin_key: ADMIN.into(),
            channels: telemetry::memory_channels(),
        });
        let err = match TestClient::start(app).await {
            Err(e) => e.to_string(),
            Ok(_) => panic!("{url} should not start"),
        };
        assert!(err.contains(expect), "{err}");
        assert!(err.contains(&url), "the message names the URL: {err}");
    }
}

#[test]
fn the_document_needs_no_database() {
    let app = app_with(Settings {
        database_url: "sqlite:///nonexistent/dir/never-opened.db".into(),
        admin_key: ADMIN.into(),
        channels: telemetry::memory_channels(),
    });
    let doc = app.openapi_value().unwrap();
    let ingest = &doc["paths"]["/readings"]["post"];
    assert_eq!(ingest["security"], json!([{"DeviceKey": []}]));
    for code in ["202", "401", "403", "422"] {
        assert!(ingest["responses"][code].is_object(), "{code}");
    }
    let register = &doc["paths"]["/devices"]["post"];
    assert_eq!(register["security"], json!([{"AdminKey": []}]));
    assert!(register["responses"]["409"].is_object());
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["DeviceKey"]["name"], "X-API-Key");
    assert_eq!(schemes["AdminKey"]["name"], "X-Admin-Key");
    let batch = &doc["components"]["schemas"]["Batch"]["properties"]["readings"];
    assert_eq!(
        (batch["minItems"].clone(), batch["maxItems"].clone()),
        (json!(1), json!(1000))
    );
    assert!(
        doc["paths"]["/stream"]["get"]["responses"]["200"]["content"]["text/event-stream"]
            .is_object()
    );
}

/// The binary: `openapi` works without a database; `serve` with a bad one exits 1.
#[test]
fn the_binary_fails_start_up_with_status_1() {
    let bin = env!("CARGO_BIN_EXE_telemetry");
    let out = std::process::Command::new(bin)
        .arg("openapi")
        .env("DATABASE_URL", "sqlite:///nonexistent/dir/t.db")
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["info"]["title"], "Telemetry");

    let mut child = std::process::Command::new(bin)
        .args(["serve", "--host", "127.0.0.1", "--port", "0"])
        .env("DATABASE_URL", "sqlite:///nonexistent/dir/t.db")
        .env("ADMIN_API_KEY", ADMIN)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server started on a bad DATABASE_URL");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
    assert_eq!(status.code(), Some(1), "{err}");
    assert!(err.contains("cannot open the database"), "{err}");
    assert!(err.contains("unable to open database file"), "{err}");
}

/// Two instances behind a balancer share the live stream through Redis: a reading stored
/// by instance A reaches a `/stream` opened on instance B.
#[tokio::test]
async fn the_stream_shows_readings_stored_by_another_instance() {
    let Some(redis) = ferrapi_tests::redis::Redis::start() else {
        return;
    };
    let db = TempDb::new("stream-instances");
    let instance = |db: &TempDb| {
        let channels = ferrapi::realtime::Channels::builder()
            .redis(&redis.url())
            .unwrap();
        app_with(Settings {
            channels,
            ..db.settings()
        })
    };
    let a = TestClient::start(instance(&db)).await.unwrap();
    let b = instance(&db)
        .prepare()
        .await
        .unwrap()
        .try_into_router()
        .unwrap();
    let req = http::Request::get("/stream?metric=humidity")
        .body(axum::body::Body::empty())
        .unwrap();
    let res = b.oneshot(req).await.unwrap();
    assert_eq!(res.status(), 200);
    let mut on_b = res.into_body();
    let t = "2024-05-01T09:30:00Z";
    // 40 readings: more than one message of the live channel (32 readings each).
    let batch: Vec<Value> = (0..40)
        .map(|i| json!({"ts": t, "metric": "humidity", "value": i}))
        .collect();
    assert_eq!(post_batch(&a, SEED_KEY, batch).await.status(), 202);
    let events = read_events(&mut on_b, 40).await;
    assert_eq!(events.len(), 40);
    assert_eq!(events[39]["value"], 39.0);
    assert_eq!(events[0]["device_id"], SEED_DEVICE);
}
