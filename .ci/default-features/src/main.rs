//! A three-endpoint app on ferrapi's default features (see `.ci/default_features.sh`).
use ferrapi::prelude::*;

#[model]
struct Item {
    name: String,
    price: f64,
}

#[get("/items/{item_id}")]
async fn read_item(item_id: i64) -> Json<i64> {
    Json(item_id)
}

#[post("/items/")]
async fn create_item(item: Json<Item>) -> Json<Item> {
    item
}

fn main() {
    App::new()
        .routes(routes![read_item, create_item])
        .access_log()
        .run();
}
