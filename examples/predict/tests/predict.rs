//! The predict example end to end: the model trained at start-up is accurate, answers known
//! flowers correctly, in order, with its timing header; bad input is refused field by field
//! and the server keeps serving.

use ferrapi::testing::{TestClient, TestResponse};
use predict::{Classifier, Features, Species, FEATURES, SPECIES};
use serde_json::{json, Value};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A started app: its start-up hook has trained the model.
async fn client() -> TestClient {
    match TestClient::start(predict::app_with(Some(0.9))).await {
        Ok(c) => c,
        Err(e) => panic!("start-up failed: {e}"),
    }
}

fn flower(sl: f64, sw: f64, pl: f64, pw: f64) -> Value {
    json!({"sepal_length": sl, "sepal_width": sw, "petal_length": pl, "petal_width": pw})
}

// Rows of the iris data set, one per species.
fn setosa() -> Value {
    flower(5.1, 3.5, 1.4, 0.2)
}
fn versicolor() -> Value {
    flower(5.9, 3.0, 4.2, 1.5)
}
fn virginica() -> Value {
    flower(6.7, 3.0, 5.2, 2.3)
}

/// The `(type, loc)` of each error of a 422 answer, in order.
fn errors(res: &TestResponse) -> Vec<(String, Value)> {
    assert_eq!(res.status(), 422, "{}", res.text());
    res.json_value()["detail"]
        .as_array()
        .expect("a detail list")
        .iter()
        .map(|e| (e["type"].as_str().unwrap().to_string(), e["loc"].clone()))
        .collect()
}

fn timing(res: &TestResponse) -> u64 {
    res.header("x-prediction-time-us")
        .expect("x-prediction-time-us is set")
        .parse()
        .expect("a whole number of microseconds")
}

#[test]
fn the_model_is_accurate_on_the_held_out_rows() {
    let clf = Classifier::train(0.0).expect("training succeeds");
    let info = clf.info();
    assert!(
        info.test_accuracy >= 0.9,
        "test accuracy {} is below 0.9",
        info.test_accuracy
    );
    assert_eq!((info.training_rows, info.test_rows), (120, 30));
    // Training is deterministic: the same data and split give the same model.
    let again = Classifier::train(0.0).unwrap();
    assert_eq!(again.info().test_accuracy, info.test_accuracy);
    let f = Features {
        sepal_length: 5.9,
        sepal_width: 3.0,
        petal_length: 4.2,
        petal_width: 1.5,
    };
    assert_eq!(
        clf.predict(std::slice::from_ref(&f)),
        again.predict(std::slice::from_ref(&f))
    );
}

#[test]
fn a_known_setosa_is_predicted_setosa_with_probabilities() {
    rt().block_on(async {
        let c = client().await;
        let res = c.post("/predict").json(&setosa()).send().await;
        assert_eq!(res.status(), 200, "{}", res.text());
        let body = res.json_value();
        assert_eq!(body["species"], "setosa");
        let p = &body["probabilities"];
        let probs: Vec<f64> = SPECIES.iter().map(|s| p[*s].as_f64().unwrap()).collect();
        assert!((probs.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{probs:?}");
        assert!(probs[0] > 0.5 && probs[0] > probs[1] && probs[0] > probs[2]);
        assert_eq!(p.as_object().unwrap().len(), 3);

        for (sample, species) in [(versicolor(), "versicolor"), (virginica(), "virginica")] {
            let res = c.post("/predict").json(&sample).send().await;
            assert_eq!(res.json_value()["species"], species);
        }
    });
}

#[test]
fn a_batch_answers_in_the_items_order() {
    rt().block_on(async {
        let c = client().await;
        let items = vec![virginica(), setosa(), versicolor(), setosa(), virginica()];
        let res = c
            .post("/predict/batch")
            .json(&json!({ "items": items }))
            .send()
            .await;
        assert_eq!(res.status(), 200, "{}", res.text());
        let body = res.json_value();
        let species: Vec<&str> = body["predictions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["species"].as_str().unwrap())
            .collect();
        assert_eq!(
            species,
            ["virginica", "setosa", "versicolor", "setosa", "virginica"]
        );
        // Each prediction is the one the single route gives.
        for (item, prediction) in items.iter().zip(body["predictions"].as_array().unwrap()) {
            let one = c.post("/predict").json(item).send().await.json_value();
            assert_eq!(&one, prediction);
        }
    });
}

#[test]
fn batches_hold_1_to_256_items() {
    rt().block_on(async {
        let c = client().await;
        let res = c
            .post("/predict/batch")
            .json(&json!({"items": []}))
            .send()
            .await;
        assert_eq!(
            errors(&res),
            [("too_short".to_string(), json!(["body", "items"]))]
        );
        assert_eq!(res.json_value()["detail"][0]["ctx"]["min_length"], 1);

        let res = c
            .post("/predict/batch")
            .json(&json!({"items": vec![setosa(); 257]}))
            .send()
            .await;
        assert_eq!(
            errors(&res),
            [("too_long".to_string(), json!(["body", "items"]))]
        );
        assert_eq!(res.json_value()["detail"][0]["ctx"]["max_length"], 256);
        assert_eq!(res.json_value()["detail"][0]["ctx"]["actual_length"], 257);

        let res = c
            .post("/predict/batch")
            .json(&json!({"items": vec![versicolor(); 256]}))
            .send()
            .await;
        assert_eq!(res.status(), 200);
        let predictions = res.json_value()["predictions"].as_array().unwrap().clone();
        assert_eq!(predictions.len(), 256);
        assert!(predictions.iter().all(|p| p["species"] == "versicolor"));

        let res = c.post("/predict/batch").json(&json!({})).send().await;
        assert_eq!(
            errors(&res),
            [("missing".to_string(), json!(["body", "items"]))]
        );
    });
}

#[test]
fn every_bad_feature_is_listed() {
    rt().block_on(async {
        let c = client().await;
        let res = c
            .post("/predict")
            .json(&json!({
                "sepal_length": 0,
                "sepal_width": "wide",
                "petal_length": 30.5,
                "petal_width": null
            }))
            .send()
            .await;
        assert_eq!(
            errors(&res),
            [
                ("greater_than".to_string(), json!(["body", "sepal_length"])),
                ("float_parsing".to_string(), json!(["body", "sepal_width"])),
                (
                    "less_than_equal".to_string(),
                    json!(["body", "petal_length"])
                ),
                ("float_type".to_string(), json!(["body", "petal_width"])),
            ]
        );

        // The bounds themselves: 30 is allowed, anything at or below 0 is not.
        let res = c
            .post("/predict")
            .json(&flower(30.0, 0.01, 1.0, 1.0))
            .send()
            .await;
        assert_eq!(res.status(), 200, "{}", res.text());
        let res = c
            .post("/predict")
            .json(&json!({"sepal_length": -1.5, "sepal_width": 3.0, "petal_length": 1.0}))
            .send()
            .await;
        assert_eq!(
            errors(&res),
            [
                ("greater_than".to_string(), json!(["body", "sepal_length"])),
                ("missing".to_string(), json!(["body", "petal_width"])),
            ]
        );

        // In a batch, each error names the item.
        let res = c
            .post("/predict/batch")
            .json(
                &json!({"items": [setosa(), flower(5.0, 3.0, 1.0, 99.0), {"sepal_length": [5.0]}]}),
            )
            .send()
            .await;
        assert_eq!(
            errors(&res),
            [
                (
                    "less_than_equal".to_string(),
                    json!(["body", "items", 1, "petal_width"])
                ),
                (
                    "float_type".to_string(),
                    json!(["body", "items", 2, "sepal_length"])
                ),
                (
                    "missing".to_string(),
                    json!(["body", "items", 2, "sepal_width"])
                ),
                (
                    "missing".to_string(),
                    json!(["body", "items", 2, "petal_length"])
                ),
                (
                    "missing".to_string(),
                    json!(["body", "items", 2, "petal_width"])
                ),
            ]
        );
    });
}

#[test]
fn both_routes_report_the_prediction_time() {
    rt().block_on(async {
        let c = client().await;
        let res = c.post("/predict").json(&setosa()).send().await;
        assert_eq!(res.status(), 200);
        let single = timing(&res);
        let res = c
            .post("/predict/batch")
            .json(&json!({"items": vec![setosa(); 100]}))
            .send()
            .await;
        assert_eq!(res.status(), 200);
        let batch = timing(&res);
        // Microseconds: a prediction takes well under a second, even unoptimised.
        assert!(single < 1_000_000 && batch < 1_000_000, "{single} {batch}");

        // Refused input never reaches the model: no timing.
        let res = c.post("/predict").json(&json!({})).send().await;
        assert_eq!(res.status(), 422);
        assert_eq!(res.header("x-prediction-time-us"), None);
    });
}

#[test]
fn the_model_route_describes_what_is_served() {
    rt().block_on(async {
        let c = client().await;
        let res = c.get("/model").send().await;
        assert_eq!(res.status(), 200);
        let info = res.json_value();
        assert!(info["algorithm"]
            .as_str()
            .unwrap()
            .contains("logistic regression"));
        assert_eq!(info["features"], json!(FEATURES));
        assert_eq!(
            info["features"],
            json!(["sepal_length", "sepal_width", "petal_length", "petal_width"])
        );
        assert_eq!(
            info["classes"],
            json!(["setosa", "versicolor", "virginica"])
        );
        assert_eq!(info["training_rows"], 120);
        assert_eq!(info["test_rows"], 30);
        let accuracy = info["test_accuracy"].as_f64().unwrap();
        assert!((0.9..=1.0).contains(&accuracy), "{accuracy}");
        let trained_at = info["trained_at"].as_str().unwrap();
        let trained_at = chrono::DateTime::parse_from_rfc3339(trained_at).unwrap();
        let age = chrono::Utc::now().signed_duration_since(trained_at);
        assert!(age.num_seconds() >= 0 && age.num_seconds() < 600, "{age}");
    });
}

#[test]
fn ready_once_trained_and_measured() {
    let app = predict::app_with(Some(0.9));
    assert!(
        format!("{:?}", app.readiness()).contains("started: false"),
        "not ready before the model is trained"
    );
    rt().block_on(async {
        let c = client().await;
        let res = c.get("/health/ready").send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json_value()["checks"]["startup"], "ok");
        assert_eq!(c.get("/health/live").send().await.status(), 200);

        c.post("/predict").json(&setosa()).send().await;
        let metrics = c.get("/metrics").send().await.text();
        assert!(
            metrics
                .contains(r#"http_requests_total{method="POST",route="/predict",status="200"} 1"#),
            "{metrics}"
        );
    });
}

#[test]
fn start_up_fails_clearly_when_the_model_is_not_good_enough() {
    rt().block_on(async {
        let err = match TestClient::start(predict::app_with(Some(1.01))).await {
            Err(e) => e.to_string(),
            Ok(_) => panic!("no model reaches an accuracy of 1.01"),
        };
        assert!(err.contains("test accuracy"), "{err}");
        assert!(err.contains("below the required 1.01"), "{err}");
        assert!(err.contains("Classifier"), "{err}");
    });
}

#[test]
fn the_server_keeps_serving_after_bad_input() {
    rt().block_on(async {
        let c = client().await;
        let bad = [
            c.post("/predict")
                .header("content-type", "application/json")
                .body("{not json"),
            c.post("/predict").body("sepal_length=5"),
            c.post("/predict").json(&json!("5.1 3.5 1.4 0.2")),
            c.post("/predict").json(&flower(1e308, 1e308, 1e308, 1e308)),
            c.post("/predict/batch")
                .json(&json!({"items": "all of them"})),
            c.post("/predict")
                .header("content-type", "application/json")
                .body(r#"{"sepal_length": 1e999}"#),
        ];
        for (i, req) in bad.into_iter().enumerate() {
            let res = req.send().await;
            assert!(
                res.status().is_client_error(),
                "request {i}: {}",
                res.text()
            );
        }
        let res = c.post("/predict").json(&setosa()).send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json_value()["species"], "setosa");
        assert_eq!(
            serde_json::to_value(Species::Setosa).unwrap(),
            json!("setosa")
        );
    });
}

#[test]
fn the_document_needs_no_training_and_declares_the_header() {
    // `openapi` does not start the app: the document is built without a trained model.
    let doc = predict::app().openapi_value().unwrap();
    for path in ["/predict", "/predict/batch"] {
        let ok = &doc["paths"][path]["post"]["responses"]["200"];
        assert_eq!(
            ok["headers"]["x-prediction-time-us"]["schema"],
            json!({"type": "integer", "minimum": 0}),
            "{path}"
        );
        assert!(doc["paths"][path]["post"]["responses"]["422"].is_object());
    }
    let features = &doc["components"]["schemas"]["Features"]["properties"]["sepal_length"];
    assert_eq!(features["exclusiveMinimum"], 0);
    assert_eq!(features["maximum"], 30);
    let items = &doc["components"]["schemas"]["BatchRequest"]["properties"]["items"];
    assert_eq!(
        (&items["minItems"], &items["maxItems"]),
        (&json!(1), &json!(256))
    );
}

/// A JSON array in place of the features object is taken positionally, because the
/// `Json<T>` extractor's fast path uses serde's derived `Deserialize`, which accepts a
/// struct as a sequence; pydantic refuses it (`model_attributes_type`). Kept as a record of
/// the framework bug until it is fixed there.
#[test]
fn an_array_is_not_a_flower() {
    rt().block_on(async {
        let c = client().await;
        let res = c
            .post("/predict")
            .json(&json!([6.7, 3.0, 5.2, 2.3]))
            .send()
            .await;
        assert_eq!(
            errors(&res),
            [("model_attributes_type".to_string(), json!(["body"]))]
        );
    });
}

/// The hostile-client finding: a 2 MB body of 650,000 empty items used to answer a
/// 101–253 MB 422. The list's `max_items` is now checked before its items, and the answer
/// echoes a bounded input.
#[test]
fn a_huge_batch_is_refused_with_a_small_422() {
    rt().block_on(async {
        let c = client().await;
        let mut body = String::from("{\"items\":[");
        for i in 0..650_000 {
            if i > 0 {
                body.push(',');
            }
            body.push_str("{}");
        }
        body.push_str("]}");
        assert!(body.len() < 2 * 1024 * 1024);
        let r = c
            .post("/predict/batch")
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await;
        assert_eq!(r.status(), 422);
        assert!(r.bytes().len() < 64 * 1024, "{} bytes", r.bytes().len());
        let detail = r.json_value()["detail"].clone();
        assert_eq!(detail.as_array().unwrap().len(), 1, "{detail}");
        assert_eq!(detail[0]["type"], "too_long");
        assert_eq!(detail[0]["loc"], serde_json::json!(["body", "items"]));
        assert_eq!(detail[0]["ctx"]["actual_length"], 650_000);
        // The server keeps serving.
        let ok = c
            .post("/predict/batch")
            .json(&serde_json::json!({"items": [setosa()]}))
            .send()
            .await;
        assert_eq!(ok.status(), 200);
    });
}
