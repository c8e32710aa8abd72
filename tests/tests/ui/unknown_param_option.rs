use ferrapi::prelude::*;

#[get("/items/")]
async fn read_items(
    // JSON Schema's spelling: suggests `ge`.
    #[query(minimum = 0)] skip: i64,
    // A typo: suggests `max_length`.
    #[query(max_lenght = 50)] q: Option<String>,
    // Anything else lists the options.
    #[query(positive = true)] limit: i64,
) -> Json<i64> {
    Json(skip + limit + q.map(|q| q.len() as i64).unwrap_or(0))
}

fn main() {}
