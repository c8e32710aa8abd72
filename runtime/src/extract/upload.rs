//! File uploads: `#[file]` arguments, as FastAPI's `UploadFile = File()`.
//!
//! ```
//! use ferrapi::prelude::*;
//! use ferrapi::UploadFile;
//!
//! #[post("/avatars")]
//! async fn upload(
//!     #[form(min_length = 1)] user: String,
//!     #[file(max_size = 1048576)] avatar: UploadFile,
//!     #[file] extra: Vec<UploadFile>,
//! ) -> Json<serde_json::Value> {
//!     Json(serde_json::json!({
//!         "user": user,
//!         "name": avatar.filename,
//!         "type": avatar.content_type,
//!         "size": avatar.size(),
//!         "extra": extra.len(),
//!     }))
//! }
//! ```
//!
//! A `#[file]` argument reads the parts of a `multipart/form-data` body sent under its
//! name: `UploadFile` (exactly one: the last part sent), `Option<UploadFile>` or
//! `Vec<UploadFile>` (every part sent under the name). A text field sent where a file is
//! expected is FastAPI's `value_error` ("Expected UploadFile, received: <class 'str'>")
//! with the text as `input`. `Bytes` or `Vec<u8>` (FastAPI's `bytes = File()`) take the
//! content alone, of a file or of a text field. `max_size` limits each file (a larger one
//! is a 422 `too_long`); the app's body limit caps the whole body (413). The operation
//! documents a `multipart/form-data` body with one `{"type": "string", "format": "binary",
//! "contentMediaType": "application/octet-stream"}` property per file (an array of them
//! for `Vec`, `anyOf` with `null` for `Option`), so Swagger UI shows a file picker;
//! `#[form]` fields are documented next to the files.

use bytes::Bytes;
use serde_json::{json, Value};

use crate::error::{Loc, ValidationError, ValidationErrors};
use crate::extract::param::Got;
use crate::spec::{MediaType, Operation, RequestBody, Schema};

/// An uploaded file: its name, content type and bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadFile {
    /// The file name the client gave.
    pub filename: Option<String>,
    /// The part's content type.
    pub content_type: Option<String>,
    /// The file's content.
    pub bytes: Bytes,
}

impl UploadFile {
    /// The size in bytes.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }

    /// The content as UTF-8 text, if it is.
    pub fn text(&self) -> Result<&str, std::str::Utf8Error> {
        std::str::from_utf8(&self.bytes)
    }
}

/// One part sent under a file argument's name: a file, or a plain text field.
#[derive(Debug, Clone)]
pub enum FilePart {
    /// A part with a file name.
    File(UploadFile),
    /// A part without one: its text.
    Text(String),
}

/// What a `#[file]` argument takes: `UploadFile`, `Option<UploadFile>`, `Vec<UploadFile>`,
/// or the content alone as `Bytes` or `Vec<u8>` (FastAPI's `bytes = File()`), optional too.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a `#[file]` argument",
    note = "use `UploadFile`, `Option<UploadFile>`, `Vec<UploadFile>`, `Bytes` or `Vec<u8>`"
)]
pub trait FileShape: Sized + Send + 'static {
    /// Whether the file must be sent.
    const REQUIRED: bool;
    /// Whether several files are taken.
    const LIST: bool;
    /// Whether the document shows the file as nullable (`Option<...>`, as FastAPI's
    /// `UploadFile | None`).
    const NULLABLE: bool = false;
    /// Builds the value from the parts sent under the name, in order (files, and text
    /// fields sent where a file was expected).
    fn from_parts(
        parts: Vec<FilePart>,
        loc: &dyn Fn() -> Loc,
        max_size: Option<usize>,
        errors: &mut ValidationErrors,
    ) -> Got<Self>;
}

fn check_size(f: &UploadFile, loc: Loc, max: Option<usize>, errors: &mut ValidationErrors) -> bool {
    match max {
        Some(max) if f.size() > max => {
            errors.push(
                ValidationError::new(
                    "too_long",
                    loc,
                    format!("File should have at most {max} bytes, not {}", f.size()),
                    json!(f.filename),
                )
                .with_ctx(
                    json!({"field_type": "File", "max_length": max, "actual_length": f.size()}),
                ),
            );
            false
        }
        _ => true,
    }
}

/// FastAPI's error for a text field sent where a file is expected; `input` is the text.
fn not_a_file(text: String, loc: Loc, errors: &mut ValidationErrors) {
    errors.push(
        ValidationError::new(
            "value_error",
            loc,
            "Value error, Expected UploadFile, received: <class 'str'>",
            Value::String(text),
        )
        .with_ctx(json!({"error": {}})),
    );
}

impl FileShape for UploadFile {
    const REQUIRED: bool = true;
    const LIST: bool = false;
    fn from_parts(
        mut parts: Vec<FilePart>,
        loc: &dyn Fn() -> Loc,
        max_size: Option<usize>,
        errors: &mut ValidationErrors,
    ) -> Got<Self> {
        // A single-valued field takes the last part sent, as Starlette's form does.
        match parts.pop() {
            None => Got::Missing,
            Some(FilePart::Text(t)) => {
                not_a_file(t, loc(), errors);
                Got::Invalid
            }
            Some(FilePart::File(f)) => {
                if check_size(&f, loc(), max_size, errors) {
                    Got::Value(f)
                } else {
                    Got::Invalid
                }
            }
        }
    }
}

impl<T: FileShape> FileShape for Option<T> {
    const REQUIRED: bool = false;
    const LIST: bool = T::LIST;
    const NULLABLE: bool = true;
    fn from_parts(
        parts: Vec<FilePart>,
        loc: &dyn Fn() -> Loc,
        max_size: Option<usize>,
        errors: &mut ValidationErrors,
    ) -> Got<Self> {
        match T::from_parts(parts, loc, max_size, errors) {
            Got::Value(f) => Got::Value(Some(f)),
            Got::Missing => Got::Value(None),
            Got::Invalid => Got::Invalid,
        }
    }
}

impl FileShape for Vec<UploadFile> {
    const REQUIRED: bool = true;
    const LIST: bool = true;
    fn from_parts(
        parts: Vec<FilePart>,
        loc: &dyn Fn() -> Loc,
        max_size: Option<usize>,
        errors: &mut ValidationErrors,
    ) -> Got<Self> {
        if parts.is_empty() {
            return Got::Missing;
        }
        let mut files = Vec::with_capacity(parts.len());
        let mut ok = true;
        for (i, part) in parts.into_iter().enumerate() {
            match part {
                FilePart::Text(t) => {
                    ok = false;
                    not_a_file(t, loc().join(i), errors);
                }
                FilePart::File(f) => {
                    ok &= check_size(&f, loc().join(i), max_size, errors);
                    files.push(f);
                }
            }
        }
        if ok {
            Got::Value(files)
        } else {
            Got::Invalid
        }
    }
}

/// The content of the last part sent, file or text: FastAPI's `bytes = File()`.
fn last_content(
    mut parts: Vec<FilePart>,
    loc: &dyn Fn() -> Loc,
    max_size: Option<usize>,
    errors: &mut ValidationErrors,
) -> Got<Bytes> {
    let f = match parts.pop() {
        None => return Got::Missing,
        Some(FilePart::Text(t)) => UploadFile {
            filename: None,
            content_type: None,
            bytes: Bytes::from(t),
        },
        Some(FilePart::File(f)) => f,
    };
    if check_size(&f, loc(), max_size, errors) {
        Got::Value(f.bytes)
    } else {
        Got::Invalid
    }
}

impl FileShape for Bytes {
    const REQUIRED: bool = true;
    const LIST: bool = false;
    fn from_parts(
        parts: Vec<FilePart>,
        loc: &dyn Fn() -> Loc,
        max_size: Option<usize>,
        errors: &mut ValidationErrors,
    ) -> Got<Self> {
        last_content(parts, loc, max_size, errors)
    }
}

impl FileShape for Vec<u8> {
    const REQUIRED: bool = true;
    const LIST: bool = false;
    fn from_parts(
        parts: Vec<FilePart>,
        loc: &dyn Fn() -> Loc,
        max_size: Option<usize>,
        errors: &mut ValidationErrors,
    ) -> Got<Self> {
        last_content(parts, loc, max_size, errors).map(|b| b.to_vec())
    }
}

#[cfg(feature = "multipart")]
const MULTIPART: &str = "multipart/form-data";
#[cfg(feature = "multipart")]
const URLENCODED: &str = "application/x-www-form-urlencoded";

/// Adds a property to the form body of `op` (created in `media` if absent); every
/// property made the body "from fields", which names its schema `Body_{operationId}`.
pub(crate) fn add_body_field(
    op: &mut Operation,
    media: &str,
    name: &str,
    property: Value,
    required: bool,
) {
    let body = op.request_body.get_or_insert_with(|| RequestBody {
        from_fields: true,
        ..RequestBody::new(
            MediaType::new(
                media,
                Schema::new(json!({"properties": {}, "type": "object"})),
            ),
            false,
        )
    });
    body.from_fields = true;
    if let Some(m) = body.content.first_mut() {
        let schema = &mut m.schema;
        schema["properties"][name] = property;
        if required {
            match schema.get_mut("required") {
                Some(Value::Array(r)) => r.push(name.into()),
                _ => schema["required"] = json!([name]),
            }
        }
    }
    body.required |= required;
    op.validates = true;
}

/// Items the code generated by the macros calls, reached through `ferrapi::__private` only.
#[cfg(feature = "multipart")]
pub(crate) mod generated {
    #[allow(unused_imports)]
    use super::*;

    /// Describes one `#[file]` argument: a binary property of a `multipart/form-data` body
    /// (form fields described so far move to the multipart body too).
    pub fn doc_file_field<T: FileShape>(
        _ctx: &mut crate::spec::DocCtx,
        op: &mut Operation,
        name: &str,
        description: Option<&str>,
        max_size: Option<usize>,
    ) {
        let file = json!({"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"});
        let mut property = if T::LIST {
            json!({"type": "array", "items": file})
        } else {
            file
        };
        if T::NULLABLE {
            // FastAPI's `UploadFile | None`.
            property = json!({"anyOf": [property, {"type": "null"}]});
        }
        if let Some(d) = description {
            property["description"] = d.into();
        }
        if let Some(m) = max_size {
            property["x-max-size"] = m.into();
        }
        property["title"] = crate::spec::title_case(name).into();
        // A file makes the whole form multipart, as in FastAPI.
        if let Some(form) = op
            .request_body
            .as_mut()
            .and_then(|b| b.content.iter_mut().find(|m| m.media_type == URLENCODED))
        {
            form.media_type = MULTIPART.into();
        }
        add_body_field(op, MULTIPART, name, property, T::REQUIRED);
    }
}
