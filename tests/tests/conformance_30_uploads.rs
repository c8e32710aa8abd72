//! FastAPI conformance, app 30 (`tests/conformance/fastapi/apps/30_uploads.py`): file
//! uploads as `UploadFile`, `Option<UploadFile>` (documented nullable), `Bytes` (FastAPI's
//! `bytes = File()`, which takes a text field too) and `Vec<UploadFile>`, and a text field
//! sent where a file is expected.

use bytes::Bytes;
use ferrapi::prelude::*;
use ferrapi::UploadFile;
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "30_uploads";

#[post("/upload/")]
async fn upload(#[file] file: UploadFile) -> Json<Value> {
    Json(json!({"filename": file.filename, "size": file.size(), "content_type": file.content_type}))
}

#[post("/maybe/")]
async fn maybe(#[file] file: Option<UploadFile>) -> Json<Value> {
    Json(json!({"file": file.map(|f| f.filename)}))
}

#[post("/raw/")]
async fn raw(#[file] data: Bytes) -> Json<Value> {
    Json(json!({"size": data.len()}))
}

#[post("/many/")]
async fn many(#[file] files: Vec<UploadFile>, #[form(default = "")] note: String) -> Json<Value> {
    let names: Vec<_> = files.iter().map(|f| f.filename.clone()).collect();
    Json(json!({"names": names, "note": note}))
}

fn app() -> App {
    App::new().routes(routes![upload, maybe, raw, many])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
