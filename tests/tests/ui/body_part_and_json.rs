use ferrapi::prelude::*;

#[model]
struct Item {
    name: String,
}

#[post("/items/")]
async fn create(#[body] note: String, #[body] rank: i64, item: Json<Item>) -> Json<Item> {
    let _ = (note, rank);
    item
}

fn main() {}
