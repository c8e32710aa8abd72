use ferrapi::prelude::*;

#[derive(serde::Deserialize)]
struct Item {
    name: String,
}

#[post("/items/")]
async fn create_item(item: Json<Item>) -> String {
    item.0.name
}

fn main() {}
