//! The answers the framework gives before a handler runs, documented on each operation
//! they can happen to, so a generated client (and schemathesis) knows them.

use http::StatusCode;

use crate::spec::{DocCtx, MediaType, Operation, ParamIn, Response};

/// Documents, where they can happen and unless the route declares them itself: 400 (a body
/// that cannot be read, a path parameter that is not UTF-8), 408 (a body that did not
/// arrive within the body-read timeout) and 413 (a body over the body limit), each with the
/// `HTTPError` body.
pub(crate) fn document_request_errors(ctx: &mut DocCtx, op: &mut Operation) {
    let has_body = op.request_body.is_some();
    let has_path = op.parameters.iter().any(|p| p.location == ParamIn::Path);
    let mut answers = Vec::new();
    match (has_body, has_path) {
        (true, true) => answers.push((
            StatusCode::BAD_REQUEST,
            "The body cannot be read (not UTF-8, or malformed form or multipart data), or a path parameter is not UTF-8",
        )),
        (true, false) => answers.push((
            StatusCode::BAD_REQUEST,
            "The body cannot be read: not UTF-8, or malformed form or multipart data",
        )),
        (false, true) => answers.push((
            StatusCode::BAD_REQUEST,
            "A path parameter is not valid UTF-8",
        )),
        (false, false) => return,
    }
    if has_body {
        answers.push((
            StatusCode::REQUEST_TIMEOUT,
            "The body did not arrive within the body-read timeout",
        ));
        answers.push((
            StatusCode::PAYLOAD_TOO_LARGE,
            "The body is larger than the app's body limit",
        ));
    }
    let schema = <super::HttpError as crate::ResponseModel>::response_schema(ctx);
    for (status, description) in answers {
        if op.responses.contains(status.as_str()) {
            continue;
        }
        let response = match &schema {
            Some(s) => {
                Response::with_body(description, MediaType::new("application/json", s.clone()))
            }
            None => Response::new(description),
        };
        op.responses.set(status.as_str(), response);
    }
}
