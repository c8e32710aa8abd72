use ferrapi::prelude::*;

#[get("/items/", dependencies = ["verify_token"])]
async fn read_items() -> String {
    String::new()
}

fn main() {}
