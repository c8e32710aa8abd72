use ferrapi::prelude::*;

#[get("/items/")]
fn read_items() -> Json<Vec<String>> {
    Json(Vec::new())
}

fn main() {}
