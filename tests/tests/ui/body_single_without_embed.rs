use ferrapi::prelude::*;

#[model]
struct Item {
    name: String,
}

#[post("/items/")]
async fn create(#[body] item: Item) -> Json<Item> {
    Json(item)
}

fn main() {}
