use ferrapi::prelude::*;

#[get("/items/")]
async fn read_items(#[query(default = "ten")] limit: i64) -> Json<i64> {
    Json(limit)
}

fn main() {}
