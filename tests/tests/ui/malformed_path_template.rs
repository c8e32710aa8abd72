use ferrapi::prelude::*;

#[get("/items/{item_id")]
async fn unclosed(item_id: i64) -> Json<i64> {
    Json(item_id)
}

#[get("/items/{item-id}")]
async fn bad_name(item_id: i64) -> Json<i64> {
    Json(item_id)
}

#[get("/items/{item_id:int}")]
async fn bad_converter(item_id: i64) -> Json<i64> {
    Json(item_id)
}

#[get("items/")]
async fn no_leading_slash() -> Json<i64> {
    Json(0)
}

fn main() {}
