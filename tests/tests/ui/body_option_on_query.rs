use ferrapi::prelude::*;

#[get("/items/")]
async fn list(#[query(embed)] q: String) -> String {
    q
}

fn main() {}
