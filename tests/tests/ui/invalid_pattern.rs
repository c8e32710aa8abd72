use ferrapi::prelude::*;

#[get("/items/")]
async fn read_items(#[query(pattern = "^[a-z+$")] q: String) -> String {
    q
}

#[model]
struct Item {
    #[field(pattern = "(unclosed")]
    name: String,
}

fn main() {}
