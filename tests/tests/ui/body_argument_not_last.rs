use ferrapi::prelude::*;

#[model]
struct Item {
    name: String,
}

#[derive(Clone)]
struct Db;

#[post("/items/")]
async fn create_item(item: Json<Item>, db: State<Db>) -> Json<Item> {
    let _ = db;
    item
}

fn main() {}
