//! The items example through the in-process test client.

use ferrapi::testing::TestClient;
use serde_json::json;

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn classic_read_items() {
    rt().block_on(async {
        let c = TestClient::new(items::app());
        let res = c.get("/items/?skip=0&limit=10").send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.text(), r#"{"skip":0,"limit":10}"#);
        let res = c.get("/items/?skip=x").send().await;
        assert_eq!(res.status(), 422);
        assert_eq!(
            res.json_value(),
            json!({"detail": [{"type": "int_parsing", "loc": ["query", "skip"],
                   "msg": "Input should be a valid integer, unable to parse string as an integer", "input": "x"}]})
        );
    });
}

#[test]
fn crud_round_trip() {
    rt().block_on(async {
        let c = TestClient::new(items::app());
        let res = c
            .post("/items/")
            .json(&json!({"name": "Hammer", "price": 12.5, "tags": ["tools"]}))
            .send()
            .await;
        assert_eq!(res.status(), 201, "{}", res.text());
        let item = res.json_value();
        assert_eq!(item["id"], 1);
        let res = c.get("/items/1").send().await;
        assert_eq!(res.json_value(), item);
        let res = c
            .put("/items/1")
            .json(&json!({"name": "Mallet", "price": 10}))
            .send()
            .await;
        assert_eq!(res.json_value()["name"], "Mallet");
        let res = c.get("/items/all?q=mall").send().await;
        assert_eq!(res.json_value().as_array().unwrap().len(), 1);
        assert_eq!(c.delete("/items/1").send().await.status(), 204);
        let res = c.get("/items/1").send().await;
        assert_eq!(res.status(), 404);
        assert_eq!(res.json_value(), json!({"detail": "Item not found"}));
        assert_eq!(c.delete("/items/1").send().await.status(), 404);
    });
}

#[test]
fn constraints_on_the_item_model() {
    rt().block_on(async {
        let c = TestClient::new(items::app());
        let res = c
            .post("/items/")
            .json(&json!({"name": "", "price": 0, "tags": ["a","b","c","d","e","f","g","h","i","j","k"]}))
            .send()
            .await;
        assert_eq!(res.status(), 422);
        let types: Vec<String> = res.json_value()["detail"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap().to_string()).collect();
        assert_eq!(types, ["string_too_short", "greater_than", "too_long"]);
        let res = c.get("/items/0").send().await;
        assert_eq!(res.status(), 422);
    });
}
