use ferrapi::prelude::*;

#[get("/users/{user_id}/items/{item_id}")]
async fn read_item(item_id: i64) -> Json<i64> {
    Json(item_id)
}

fn main() {}
