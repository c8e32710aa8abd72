use ferrapi::prelude::*;

#[get("/items/{item_id", tagz = ["items"], status = 99)]
async fn read_item(item_id: i64) -> Json<i64> {
    Json(item_id)
}

fn main() {}
