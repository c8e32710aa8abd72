use ferrapi::prelude::*;

// A close misspelling gets a suggestion.
#[get("/items/", tag = ["items"])]
async fn read_items() -> Json<Vec<String>> {
    Json(Vec::new())
}

// FastAPI's spelling is recognised.
#[post("/items/", status_code = 201)]
async fn create_item() -> Json<i64> {
    Json(1)
}

// Anything else lists the options.
#[get("/items/{item_id}", response_model = Item)]
async fn read_item(item_id: i64) -> Json<i64> {
    Json(item_id)
}

// The method attributes already set the method.
#[get("/things/", method = "POST")]
async fn read_things() -> Json<i64> {
    Json(1)
}

fn main() {}
