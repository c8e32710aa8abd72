use ferrapi::prelude::*;

async fn pause() {}

// The server runs handlers on a multi-threaded runtime: a value that is not `Send` (here an
// `Rc`) must not be held across an `.await`. The error names the value and the await.
#[get("/count")]
async fn count() -> Json<i64> {
    let shared = std::rc::Rc::new(1);
    pause().await;
    Json(*shared)
}

fn main() {}
