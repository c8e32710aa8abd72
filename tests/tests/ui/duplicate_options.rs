// An option given twice is reported, not silently overwritten by the last one.
use ferrapi::prelude::*;

#[get("/items/", status = 200, status = 201)]
async fn read_items(
    #[query(ge = 0, ge = 5)] skip: i64,
    #[query(min_length = 1, min_items = 2)] tags: Vec<String>,
) -> Json<i64> {
    Json(skip + tags.len() as i64)
}

fn main() {}
