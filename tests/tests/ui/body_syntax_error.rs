// The macro reads only the signature: a syntax error in the body is the compiler's own
// error, at the body's tokens, and the route attribute adds nothing to it.
use ferrapi::prelude::*;

#[get("/items/{item_id}")]
async fn read_item(item_id: i64) -> Json<i64> {
    let doubled = item_id * ;
    Json(doubled)
}

fn main() {
    let _app = App::new().routes(routes![read_item]);
}
