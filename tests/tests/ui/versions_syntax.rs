use ferrapi::prelude::*;

// Not a version: three numbers are needed.
#[get("/a", versions = "1.0"..)]
async fn a() -> Json<i64> {
    Json(1)
}

// Both bounds are checked, each at its own tokens.
#[get("/b", versions = "v1.0.0".."2.0.0-beta")]
async fn b() -> Json<i64> {
    Json(1)
}

// The end is the version that removed the route: `..=` is refused.
#[get("/c", versions = "1.0.0"..="2.0.0")]
async fn c() -> Json<i64> {
    Json(1)
}

// An empty range.
#[get("/d", versions = "2.0.0".."1.0.0")]
async fn d() -> Json<i64> {
    Json(1)
}

// Not a range.
#[get("/e", versions = "1.0.0")]
async fn e() -> Json<i64> {
    Json(1)
}

// A bound that is not a string literal.
#[get("/f", versions = 1..2)]
async fn f() -> Json<i64> {
    Json(1)
}

// Other frameworks' spellings point to the range.
#[post("/g", since = "2.0.0")]
async fn g() -> Json<i64> {
    Json(1)
}

#[delete("/h", until = "2.0.0")]
async fn h() -> Json<i64> {
    Json(1)
}

fn main() {}
