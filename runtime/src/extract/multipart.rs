//! `multipart/form-data` bodies (feature `multipart`), read with the `multer` crate under
//! the body limit: text fields and files, in the order they were sent.

use axum::extract::Request;

use super::form::FormParts;
use super::upload::UploadFile;
use crate::error::{HttpError, Rejection};

/// Reads a multipart body whose content type is `ct`.
pub(crate) async fn read(req: Request, ct: &str, limit: usize) -> Result<FormParts, Rejection> {
    let boundary = multer::parse_boundary(ct)
        .map_err(|_| HttpError::bad_request("There was an error parsing the body"))?;
    let stream = req.into_body().into_data_stream();
    let constraints =
        multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limit as u64));
    let mut mp = multer::Multipart::with_constraints(stream, boundary, constraints);
    let mut out = Vec::new();
    let mut files = Vec::new();
    let mut order = Vec::new();
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                let filename = field.file_name().map(str::to_string);
                let content_type = field.content_type().map(|m| m.to_string());
                let bytes = field.bytes().await.map_err(multipart_error)?;
                order.push(filename.is_some());
                match filename {
                    Some(f) => files.push((
                        name,
                        UploadFile {
                            filename: Some(f),
                            content_type,
                            bytes,
                        },
                    )),
                    None => out.push((name, String::from_utf8_lossy(&bytes).into_owned())),
                }
            }
            Ok(None) => break,
            Err(e) => return Err(multipart_error(e)),
        }
    }
    Ok((out, files, order))
}

pub(crate) fn multipart_error(e: multer::Error) -> Rejection {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            HttpError::new(
                http::StatusCode::PAYLOAD_TOO_LARGE,
                "Request body too large",
            )
            .into()
        }
        multer::Error::StreamReadFailed(e) if crate::server::is_body_timeout(&*e) => {
            super::json::body_timed_out()
        }
        _ => HttpError::bad_request("There was an error parsing the body").into(),
    }
}
