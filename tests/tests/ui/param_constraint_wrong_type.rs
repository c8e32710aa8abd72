use ferrapi::prelude::*;

#[get("/items/")]
async fn read_items(#[query(max_length = 3)] limit: i64, #[query(gt = 0)] q: String) -> String {
    format!("{limit}{q}")
}

fn main() {}
