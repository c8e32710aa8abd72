use ferrapi::prelude::*;

struct Filter {
    name: String,
}

#[get("/items/")]
async fn read_items(#[query] filter: Filter) -> String {
    filter.name
}

fn main() {}
