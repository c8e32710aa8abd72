//! FastAPI conformance, app 33 (`tests/conformance/fastapi/apps/33_response_shaping.py`):
//! a route's `response_model(...)` filters what the handler returns (extra fields, the
//! fields of a bigger model, each item of a list) and trims it (`exclude_unset`,
//! `exclude_none`, `exclude_defaults`, `by_alias = false`). The handlers that return "a
//! dict" in the FastAPI app return `Json<Value>`; "unset" is what the answer left out (Rust
//! structs do not track which fields were set; see docs/fastapi-differences.md).

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "33_response_shaping";

#[model]
struct UserOut {
    username: String,
    email: String,
    full_name: Option<String>,
}

#[model]
struct UserIn {
    username: String,
    email: String,
    full_name: Option<String>,
    password: String,
}

#[model]
struct UserInDb {
    username: String,
    email: String,
    full_name: Option<String>,
    password_hash: String,
}

#[model]
struct Item {
    name: String,
    description: Option<String>,
    #[field(default = 10.5)]
    price: f64,
    tax: Option<f64>,
    #[field(default)]
    tags: Vec<String>,
}

#[model]
struct Profile {
    #[serde(rename = "userName", alias = "user_name")]
    user_name: String,
    #[serde(rename = "displayName", alias = "display_name")]
    display_name: Option<String>,
    #[field(default = 0)]
    age: i64,
}

fn stored(id: &str) -> Value {
    match id {
        "foo" => json!({"name": "Foo", "price": 50.2}),
        "bar" => json!({"name": "Bar", "description": "The bartenders", "price": 62, "tax": 20.2}),
        _ => json!({"name": "Baz", "description": null, "price": 10.5, "tax": null, "tags": []}),
    }
}

#[get("/users/dict", response_model(UserOut))]
async fn user_from_dict() -> Json<Value> {
    Json(
        json!({"username": "alice", "email": "a@example.com", "password_hash": "x1", "is_admin": true}),
    )
}

#[get("/users/model", response_model(UserOut))]
async fn user_from_model() -> Json<UserInDb> {
    Json(UserInDb {
        username: "bob".into(),
        email: "b@example.com".into(),
        full_name: None,
        password_hash: "x2".into(),
    })
}

#[post("/users/", status = 201, response_model(UserOut))]
async fn create_user(user: Json<UserIn>) -> Json<UserIn> {
    user
}

#[post("/users/annotated", response_model(UserOut))]
async fn create_user_annotated(user: Json<UserIn>) -> Json<UserIn> {
    user
}

#[get("/users/list", response_model(Vec<UserOut>))]
async fn list_users() -> Json<Value> {
    Json(json!([
        {"username": "a", "email": "a@x", "password_hash": "h"},
        {"username": "b", "email": "b@x", "full_name": "B", "password_hash": "h"},
    ]))
}

#[get("/items/{item_id}/unset", response_model(Item, exclude_unset))]
async fn item_unset(item_id: String) -> Json<Value> {
    Json(stored(&item_id))
}

#[get("/items/{item_id}/none", response_model(Item, exclude_none))]
async fn item_none(item_id: String) -> Json<Value> {
    Json(stored(&item_id))
}

#[get("/items/{item_id}/defaults", response_model(Item, exclude_defaults))]
async fn item_defaults(item_id: String) -> Json<Value> {
    Json(stored(&item_id))
}

#[get("/items/{item_id}/full", response_model(Item))]
async fn item_full(item_id: String) -> Json<Value> {
    Json(stored(&item_id))
}

#[get("/items/{item_id}/model-unset", response_model(Item, exclude_unset))]
async fn item_model_unset(item_id: String) -> Json<Value> {
    Json(stored(&item_id))
}

#[post("/profiles/", response_model(Profile))]
async fn profile_by_alias(profile: Json<Profile>) -> Json<Profile> {
    profile
}

#[post("/profiles/no-alias", response_model(Profile, by_alias = false))]
async fn profile_no_alias(profile: Json<Profile>) -> Json<Profile> {
    profile
}

#[get("/profiles/from-dict", response_model(Profile))]
async fn profile_from_dict() -> Json<Value> {
    Json(json!({"user_name": "ann", "displayName": "Ann"}))
}

fn app() -> App {
    App::new().routes(routes![
        user_from_dict,
        user_from_model,
        create_user,
        create_user_annotated,
        list_users,
        item_unset,
        item_none,
        item_defaults,
        item_full,
        item_model_unset,
        profile_by_alias,
        profile_no_alias,
        profile_from_dict
    ])
}

ferrapi_tests::conformance_tests!(SpecOptions::default());
