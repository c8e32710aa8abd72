use ferrapi::prelude::*;

#[model]
struct Item {
    name: String,
}

#[model]
struct User {
    username: String,
}

#[post("/items/")]
async fn create_item(item: Json<Item>, user: Json<User>) -> Json<Item> {
    let _ = user;
    item
}

fn main() {}
