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
//! A `#[file]` argument reads the parts of a `multipart/form-data` body that carry a file
//! name: `UploadFile` (exactly one), `Option<UploadFile>` or `Vec<UploadFile>` (every file
//! sent under the name). `max_size` limits each file (a larger one is a 422 `too_long`);
//! the app's body limit caps the whole body (413). The operation documents a
//! `multipart/form-data` body with one `{"type": "string", "format": "binary",
//! "contentMediaType": "application/octet-stream"}` property per file (an array of them
//! for `Vec`), so Swagger UI shows a file picker; `#[form]` fields are documented next to
//! the files.

use bytes::Bytes;
use serde_json::{json, Value};

use crate::error::{Loc, ValidationError, ValidationErrors};
use crate::extract::param::Got;
use crate::spec::{DocCtx, MediaType, Operation, RequestBody, Schema};

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

/// How many files an argument takes: `UploadFile`, `Option<UploadFile>`, `Vec<UploadFile>`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a `#[file]` argument",
    note = "use `UploadFile`, `Option<UploadFile>` or `Vec<UploadFile>`"
)]
pub trait FileShape: Sized + Send + 'static {
    /// Whether the file must be sent.
    const REQUIRED: bool;
    /// Whether several files are taken.
    const LIST: bool;
    /// Builds the value from the files sent under the name. `text_sent`: a plain text part
    /// came under the name instead of a file.
    fn from_files(
        files: Vec<UploadFile>,
        text_sent: bool,
        loc: &dyn Fn() -> Loc,
        max_size: Option<usize>,
        errors: &mut ValidationErrors,
    ) -> Got<Self>;
}

fn check_sizes(
    files: &[UploadFile],
    loc: &dyn Fn() -> Loc,
    max: Option<usize>,
    errors: &mut ValidationErrors,
) -> bool {
    let mut ok = true;
    if let Some(max) = max {
        for (i, f) in files.iter().enumerate() {
            if f.size() > max {
                ok = false;
                let loc = if files.len() > 1 {
                    loc().join(i)
                } else {
                    loc()
                };
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
            }
        }
    }
    ok
}

/// No file under the name: missing, or FastAPI's error when a text part came instead.
fn absent<T>(text_sent: bool, loc: &dyn Fn() -> Loc, errors: &mut ValidationErrors) -> Got<T> {
    if text_sent {
        not_a_file(loc(), errors);
        Got::Invalid
    } else {
        Got::Missing
    }
}

fn not_a_file(loc: Loc, errors: &mut ValidationErrors) {
    errors.push(
        ValidationError::new(
            "value_error",
            loc,
            "Value error, Expected UploadFile, received: <class 'str'>",
            Value::Null,
        )
        .with_ctx(json!({"error": {}})),
    );
}

impl FileShape for UploadFile {
    const REQUIRED: bool = true;
    const LIST: bool = false;
    fn from_files(
        mut files: Vec<UploadFile>,
        text_sent: bool,
        loc: &dyn Fn() -> Loc,
        max_size: Option<usize>,
        errors: &mut ValidationErrors,
    ) -> Got<Self> {
        match files.pop() {
            None => absent(text_sent, loc, errors),
            Some(f) => {
                if check_sizes(std::slice::from_ref(&f), loc, max_size, errors) {
                    Got::Value(f)
                } else {
                    Got::Invalid
                }
            }
        }
    }
}

impl FileShape for Option<UploadFile> {
    const REQUIRED: bool = false;
    const LIST: bool = false;
    fn from_files(
        files: Vec<UploadFile>,
        text_sent: bool,
        loc: &dyn Fn() -> Loc,
        max_size: Option<usize>,
        errors: &mut ValidationErrors,
    ) -> Got<Self> {
        if files.is_empty() && !text_sent {
            return Got::Value(None);
        }
        match UploadFile::from_files(files, text_sent, loc, max_size, errors) {
            Got::Value(f) => Got::Value(Some(f)),
            Got::Missing => Got::Value(None),
            Got::Invalid => Got::Invalid,
        }
    }
}

impl FileShape for Vec<UploadFile> {
    const REQUIRED: bool = true;
    const LIST: bool = true;
    fn from_files(
        files: Vec<UploadFile>,
        text_sent: bool,
        loc: &dyn Fn() -> Loc,
        max_size: Option<usize>,
        errors: &mut ValidationErrors,
    ) -> Got<Self> {
        if files.is_empty() {
            return absent(text_sent, loc, errors);
        }
        if check_sizes(&files, loc, max_size, errors) {
            Got::Value(files)
        } else {
            Got::Invalid
        }
    }
}

const MULTIPART: &str = "multipart/form-data";
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
pub(crate) mod generated {
    #[allow(unused_imports)]
    use super::*;

    /// Describes one `#[file]` argument: a binary property of a `multipart/form-data` body
    /// (form fields described so far move to the multipart body too).
    pub fn doc_file_field<T: FileShape>(
        _ctx: &mut DocCtx,
        op: &mut Operation,
        name: &str,
        description: Option<&str>,
        max_size: Option<usize>,
    ) {
        let mut file = json!({"type": "string", "format": "binary", "contentMediaType": "application/octet-stream"});
        if let Some(d) = description {
            file["description"] = d.into();
        }
        if let Some(m) = max_size {
            file["x-max-size"] = m.into();
        }
        let mut property = if T::LIST {
            json!({"type": "array", "items": file})
        } else {
            file
        };
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
