use ferrapi::prelude::*;

struct NotFound;

#[get("/items/", responses(404 = NotFound))]
async fn read_items() -> Json<i64> {
    Json(1)
}

fn main() {}
