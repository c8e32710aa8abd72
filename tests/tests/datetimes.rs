//! Dates, times and durations read as pydantic reads them (issue 12.3), checked against
//! FastAPI's recorded answers (conformance app 31, `tests/conformance/fastapi/apps/
//! 31_types.py`): every recorded error for a datetime, date, time or timedelta, in a body
//! or a query, must be FastAPI's exactly (type, loc, msg, input, ctx), and every accepted
//! value must be accepted. What is written back differs where Rust's types differ from
//! Python's (a `DateTime<Utc>` is always aware); those answers are checked on their own.

use chrono::{NaiveDate, NaiveTime, Utc};
use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi::Duration;
use ferrapi_tests::block_on;
use ferrapi_tests::conformance::replay_part;
use serde_json::{json, Value};

#[model]
struct Durations {
    wait: Duration,
}

#[model]
struct Moments {
    at: chrono::DateTime<Utc>,
    day: Option<NaiveDate>,
    clock: Option<NaiveTime>,
}

fn seconds(d: &Duration) -> f64 {
    d.0.num_microseconds().unwrap() as f64 / 1e6
}

#[post("/durations/")]
async fn post_duration(d: Json<Durations>) -> Json<Value> {
    Json(json!({"wait": seconds(&d.wait), "seconds": seconds(&d.wait)}))
}

#[post("/durations/model")]
async fn post_duration_model(d: Json<Durations>) -> Json<Durations> {
    d
}

#[get("/durations/")]
async fn get_duration(#[query] wait: Duration) -> Json<Value> {
    Json(json!({"wait": seconds(&wait), "seconds": seconds(&wait)}))
}

#[post("/moments/")]
async fn post_moment(m: Json<Moments>) -> Json<Moments> {
    m
}

#[post("/moments/model")]
async fn post_moment_model(m: Json<Moments>) -> Json<Moments> {
    m
}

#[get("/moments/")]
async fn get_moment(
    #[query] at: chrono::DateTime<Utc>,
    #[query] day: Option<NaiveDate>,
    #[query] clock: Option<NaiveTime>,
) -> Json<Value> {
    Json(json!({"at": at, "day": day, "clock": clock}))
}

fn client() -> TestClient {
    TestClient::new(App::new().routes(routes![
        post_duration,
        post_duration_model,
        get_duration,
        post_moment,
        post_moment_model,
        get_moment
    ]))
}

#[test]
fn every_recorded_date_time_and_duration_case_is_accepted_or_refused_as_fastapi_does() {
    block_on(async {
        let answered = replay_part(&client(), "31_types", &["/moments", "/durations"]).await;
        assert_eq!(answered.len(), 28);
    });
}

#[test]
fn values_are_read_and_written_as_pydantic_models_write_them() {
    block_on(async {
        let c = client();
        let post = |path: &'static str, body: Value| {
            let c = &c;
            async move { c.post(path).json(&body).send().await.json_value() }
        };
        // Durations: ISO 8601 out, as a response model writes them.
        assert_eq!(
            post("/durations/model", json!({"wait": 90})).await,
            json!({"wait": "PT1M30S"})
        );
        assert_eq!(
            post("/durations/model", json!({"wait": -30})).await,
            json!({"wait": "-PT30S"})
        );
        assert_eq!(
            post("/durations/model", json!({"wait": "P1DT2H"})).await,
            json!({"wait": "P1DT2H"})
        );
        assert_eq!(
            post("/durations/", json!({"wait": "1 day"})).await["seconds"],
            86400.0
        );
        assert_eq!(
            post("/durations/", json!({"wait": "01:02:03"})).await["seconds"],
            3723.0
        );
        // Datetimes: aware values kept as instants (UTC), naive ones taken as UTC, dates at
        // midnight, Unix times in seconds.
        let m = post(
            "/moments/model",
            json!({"at": "2024-05-01T10:00:00Z", "day": "2024-05-01", "clock": "10:30:15.5"}),
        )
        .await;
        assert_eq!(
            (m["at"].clone(), m["day"].clone()),
            (json!("2024-05-01T10:00:00Z"), json!("2024-05-01"))
        );
        assert_eq!(m["clock"], "10:30:15.500");
        let m = post("/moments/", json!({"at": "2024-05-01T10:00:00+02:00"})).await;
        assert_eq!(m["at"], "2024-05-01T08:00:00Z");
        let m = post("/moments/", json!({"at": "2024-05-01 10:00"})).await;
        assert_eq!(m["at"], "2024-05-01T10:00:00Z");
        let m = post(
            "/moments/",
            json!({"at": 1714557600, "day": 1714521600, "clock": 5.5}),
        )
        .await;
        assert_eq!(
            (m["at"].clone(), m["day"].clone(), m["clock"].clone()),
            (
                json!("2024-05-01T10:00:00Z"),
                json!("2024-05-01"),
                json!("00:00:05.500")
            )
        );
        let m = post(
            "/moments/",
            json!({"at": "2024-05-01", "day": "2024-05-01T00:00:00"}),
        )
        .await;
        assert_eq!(
            (m["at"].clone(), m["day"].clone()),
            (json!("2024-05-01T00:00:00Z"), json!("2024-05-01"))
        );
        let q = c
            .get("/moments/?at=2024-05-01T10:00:00%2B02:00&clock=10:30")
            .send()
            .await
            .json_value();
        assert_eq!(
            (q["at"].clone(), q["clock"].clone()),
            (json!("2024-05-01T08:00:00Z"), json!("10:30:00"))
        );
    });
}

#[test]
fn hostile_date_inputs_are_refused_cleanly() {
    block_on(async {
        let c = client();
        for at in [
            json!("9".repeat(10_000)),
            json!(1e300),
            json!(-1e300),
            json!("2024-05-01T10:00:00+99:99"),
            json!("\u{0}"),
        ] {
            let res = c.post("/moments/").json(&json!({"at": at})).send().await;
            assert_eq!(res.status(), 422, "{at}: {}", res.text());
        }
        for wait in [
            json!("P99999999999999999999D"),
            json!(1e300),
            json!("PT"),
            json!("-"),
        ] {
            let res = c
                .post("/durations/")
                .json(&json!({"wait": wait}))
                .send()
                .await;
            assert_eq!(res.status(), 422, "{wait}: {}", res.text());
        }
        assert_eq!(
            c.post("/durations/")
                .json(&json!({"wait": 1}))
                .send()
                .await
                .status(),
            200
        );
    });
}

#[test]
fn documented_formats() {
    let doc = App::new()
        .routes(routes![post_duration, get_moment])
        .openapi_value()
        .unwrap();
    assert_eq!(
        doc["components"]["schemas"]["Durations"]["properties"]["wait"],
        json!({"type": "string", "format": "duration", "title": "Wait"})
    );
    let params = doc["paths"]["/moments/"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let formats: Vec<Value> = params
        .iter()
        .map(|p| p["schema"]["format"].clone())
        .collect();
    assert!(formats.contains(&json!("date-time")), "{params:?}");
}
