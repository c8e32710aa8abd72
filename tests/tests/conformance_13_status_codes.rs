//! FastAPI conformance, app 13 (`tests/conformance/fastapi/apps/13_status_codes.py`):
//! declared statuses (201, 204), `HTTPException` with a string or object detail and
//! headers, a status chosen at run time (202), and 405 answers. The app keeps state:
//! the cases run in order against one instance.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use ferrapi::prelude::*;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "13_status_codes";

#[model]
struct NoteIn {
    text: String,
}

#[derive(Clone)]
struct Notes(Arc<Mutex<BTreeMap<i64, String>>>);

impl Notes {
    fn new() -> Self {
        let notes = BTreeMap::from([(1, "first".to_string()), (2, "second".to_string())]);
        Notes(Arc::new(Mutex::new(notes)))
    }
}

#[post("/notes/", status = 201)]
async fn create_note(notes: State<Notes>, note: Json<NoteIn>) -> Json<Value> {
    let mut notes = notes.0 .0.lock().unwrap();
    let new_id = notes.keys().max().copied().unwrap_or(0) + 1;
    notes.insert(new_id, note.0.text.clone());
    Json(json!({"id": new_id, "text": note.0.text}))
}

#[get("/notes/{note_id}")]
async fn read_note(notes: State<Notes>, note_id: i64) -> Result<Json<Value>, HttpError> {
    match notes.0 .0.lock().unwrap().get(&note_id) {
        Some(text) => Ok(Json(json!({"id": note_id, "text": text}))),
        None => Err(HttpError::new(StatusCode::NOT_FOUND, "Note not found")
            .with_header("X-Missing", &note_id.to_string())),
    }
}

#[delete("/notes/{note_id}", status = 204)]
async fn delete_note(notes: State<Notes>, note_id: i64) -> Result<NoContent, HttpError> {
    match notes.0 .0.lock().unwrap().remove(&note_id) {
        Some(_) => Ok(NoContent),
        None => Err(HttpError::new(StatusCode::NOT_FOUND, "Note not found")),
    }
}

#[put("/notes/{note_id}/lock")]
async fn lock_note(note_id: i64) -> Result<Json<Value>, HttpError> {
    Err(HttpError::new(
        StatusCode::CONFLICT,
        json!({"reason": "locked", "note_id": note_id}),
    ))
}

#[post("/notes/{note_id}/touch", status = 200)]
async fn touch_note(notes: State<Notes>, note_id: i64) -> (StatusCode, Json<Value>) {
    if notes.0 .0.lock().unwrap().contains_key(&note_id) {
        (StatusCode::ACCEPTED, Json(json!({ "touched": note_id })))
    } else {
        (StatusCode::OK, Json(json!({ "touched": null })))
    }
}

fn app() -> App {
    App::new().state(Notes::new()).routes(routes![
        create_note,
        read_note,
        delete_note,
        lock_note,
        touch_note
    ])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
