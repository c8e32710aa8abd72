// An axum response that cannot say what it sends: a compile error that says how to describe
// it, rather than a silent `{}` in the document.
use ferrapi::prelude::*;

#[get("/file")]
async fn file() -> axum::body::Body {
    axum::body::Body::from("bytes")
}

fn main() {
    let _ = App::new().routes(routes![file]);
}
