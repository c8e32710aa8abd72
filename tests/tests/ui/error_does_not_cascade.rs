use ferrapi::prelude::*;

// A mistake in the attribute is the only error, even where the route is used: nothing
// follows about `read_item` being undefined in `routes![...]` or in a direct call.
#[get("/items/{item_id}", tag = ["items"])]
async fn read_item(item_id: i64) -> Json<i64> {
    Json(item_id)
}

fn main() {
    let _app = App::new().routes(routes![read_item]);
    let _future = read_item(1);
}
