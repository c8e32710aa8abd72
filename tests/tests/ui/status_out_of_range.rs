use ferrapi::prelude::*;

#[post("/items/", status = 1000)]
async fn create_item() -> Json<i64> {
    Json(1)
}

fn main() {}
