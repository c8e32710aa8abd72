use ferrapi::prelude::*;

struct Filter {
    name: String,
}

#[get("/items/")]
async fn read_items(filter: Filter) -> String {
    filter.name
}

fn main() {}
