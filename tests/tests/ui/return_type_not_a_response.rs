use ferrapi::prelude::*;

// Neither `Serialize + ToSchema`, nor a response type.
struct Item {
    name: String,
}

#[get("/items/")]
async fn read_item() -> Item {
    Item { name: "x".into() }
}

fn main() {}
