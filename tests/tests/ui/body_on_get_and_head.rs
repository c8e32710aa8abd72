use ferrapi::prelude::*;

#[model]
struct Filter {
    name: String,
}

#[get("/items/")]
async fn search_items(filter: Json<Filter>) -> Json<Filter> {
    filter
}

#[head("/items/")]
async fn check_items(filter: Json<Filter>) -> NoContent {
    let _ = filter;
    NoContent
}

fn main() {}
