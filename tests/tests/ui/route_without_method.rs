use ferrapi::prelude::*;

#[route("/items/")]
async fn no_method() -> Json<i64> {
    Json(1)
}

#[route("/items/", method = "FETCH")]
async fn bad_method() -> Json<i64> {
    Json(1)
}

fn main() {}
