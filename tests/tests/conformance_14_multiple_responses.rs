//! FastAPI conformance, app 14 (`tests/conformance/fastapi/apps/14_multiple_responses.py`):
//! several documented responses on one operation (a 404 model, a 403 description, a
//! `5XX` range, a second media type for the 200), a response model, and error bodies that
//! are not `{"detail": ...}`.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;

const APP: &str = "14_multiple_responses";

#[model]
struct Message {
    message: String,
}

#[model]
#[derive(Clone)]
struct Book {
    id: i64,
    title: String,
    author: String,
}

#[derive(Clone)]
struct Shelf(Arc<Mutex<BTreeMap<i64, Book>>>);

impl Shelf {
    fn new() -> Self {
        let book = |id, title: &str, author: &str| {
            let (title, author) = (title.to_string(), author.to_string());
            (id, Book { id, title, author })
        };
        Shelf(Arc::new(Mutex::new(BTreeMap::from([
            book(1, "Dune", "Herbert"),
            book(2, "Emma", "Austen"),
        ]))))
    }
}

/// FastAPI's `JSONResponse(status_code=..., content={"message": ...})`.
type Refusal = (StatusCode, Json<Message>);

fn refuse(status: StatusCode, message: String) -> Refusal {
    (status, Json(Message { message }))
}

// The 200 is documented as the Book (JSON, from the return type) and as CSV text.
#[get(
    "/books/{book_id}",
    responses(
        404 = (Message, "The book was not found"),
        403 = (NoContent, "Restricted book"),
        200 = (String, "The requested book", "text/csv"),
    )
)]
async fn read_book(shelf: State<Shelf>, book_id: i64) -> Result<Json<Book>, Refusal> {
    if book_id == 13 {
        return Err(refuse(StatusCode::FORBIDDEN, "restricted".into()));
    }
    match shelf.0 .0.lock().unwrap().get(&book_id) {
        Some(book) => Ok(Json(book.clone())),
        None => Err(refuse(StatusCode::NOT_FOUND, format!("no book {book_id}"))),
    }
}

#[delete(
    "/books/{book_id}",
    status = 204,
    responses(404 = Message, "5XX" = (NoContent, "Server trouble"))
)]
async fn delete_book(shelf: State<Shelf>, book_id: i64) -> Result<NoContent, Refusal> {
    match shelf.0 .0.lock().unwrap().remove(&book_id) {
        Some(_) => Ok(NoContent),
        None => Err(refuse(StatusCode::NOT_FOUND, "gone already".into())),
    }
}

fn app() -> App {
    App::new()
        .state(Shelf::new())
        .routes(routes![read_book, delete_book])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
