use ferrapi::prelude::*;

#[model]
struct UserOut {
    name: String,
}

#[get("/me", response_model(UserOut, exclude_nulls))]
async fn me() -> Json<UserOut> {
    Json(UserOut { name: String::new() })
}

fn main() {}
