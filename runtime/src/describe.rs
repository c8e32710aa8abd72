//! How inputs describe themselves, and the operation ids and summaries FastAPI would write.
//!
//! Each endpoint describes its operation ([`Operation`]) at start-up: the macro adds what the
//! signature says (parameters, their constraints, the route's options), and the types add
//! the rest through traits ([`ApiInput`], [`ApiResponse`](crate::ApiResponse),
//! `crate::ToSchema`). The [`App`](crate::App) assembles the typed description
//! ([`crate::spec::Api`]) once, renders the documents ([`crate::render`]) and serves the
//! bytes.
//!
//! ## Route options that only describe
//!
//! Route options that only add to the document: examples of the request body
//! (`body(...)`) and more media types for a response (`responses(CODE = (T, "...", "media/type"))`).
//!
//! ### Request body examples
//!
//! ```
//! use ferrapi::prelude::*;
//! use serde_json::json;
//!
//! #[model]
//! struct Rating {
//!     #[field(ge = 1, le = 5)]
//!     stars: i64,
//! }
//!
//! // FastAPI's `Body(openapi_examples={...})`: named examples of the media type, which
//! // Swagger UI offers in a drop-down.
//! #[put(
//!     "/ratings/{id}",
//!     body(openapi_examples(
//!         best(summary = "The best rating", value = json!({"stars": 5})),
//!         worst(summary = "Rejected", description = "Below the range.", value = json!({"stars": 0})),
//!     ))
//! )]
//! async fn replace(id: i64, rating: Json<Rating>) -> Json<i64> {
//!     Json(rating.stars)
//! }
//!
//! // FastAPI's `Body(examples=[...])`: JSON Schema `examples` next to the body's schema.
//! #[post("/ratings/", body(examples = [json!({"stars": 5}), json!({"stars": 1})]))]
//! async fn add(rating: Json<Rating>) -> Json<i64> {
//!     Json(rating.stars)
//! }
//!
//! let doc = App::new().routes(routes![replace, add]).openapi_value().unwrap();
//! let put = &doc["paths"]["/ratings/{id}"]["put"]["requestBody"]["content"]["application/json"];
//! assert_eq!(put["examples"]["best"]["value"], json!({"stars": 5}));
//! let post = &doc["paths"]["/ratings/"]["post"]["requestBody"]["content"]["application/json"];
//! assert_eq!(post["schema"]["examples"][1], json!({"stars": 1}));
//! ```
//!
//! Each named example takes `summary`, `description`, `value` and `external_value`. Values
//! are `json!(...)` or any serializable expression. Examples of a model itself belong on the
//! model (`#[schema(examples(...))]`), of a field on the field (`#[field(examples = [...])]`),
//! of a parameter on the parameter (`#[query(examples = [...])]`). They are documentation
//! only: requests are not checked against them.
//!
//! ### A response in several media types
//!
//! `responses(...)` documents one status per entry: `404 = Message`, or with a description
//! `404 = (Message, "Not found")`. A third item names a media type, which is then *added*
//! to what the status already documents (FastAPI's `responses={200: {"content":
//! {"text/csv": ...}}}`):
//!
//! ```
//! use ferrapi::prelude::*;
//!
//! #[model]
//! struct Book {
//!     title: String,
//! }
//!
//! #[get("/books/{id}", responses(200 = (String, "The book, as JSON or CSV", "text/csv")))]
//! async fn book(id: i64) -> Json<Book> {
//!     Json(Book { title: format!("Book {id}") })
//! }
//!
//! let doc = App::new().routes(routes![book]).openapi_value().unwrap();
//! let ok = &doc["paths"]["/books/{id}"]["get"]["responses"]["200"];
//! assert_eq!(ok["description"], "The book, as JSON or CSV");
//! assert_eq!(ok["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/Book");
//! assert_eq!(ok["content"]["text/csv"]["schema"], serde_json::json!({"type": "string"}));
//! ```
//!
//! The handler decides what it sends; like every `responses(...)` entry, this is
//! documentation only.

use serde_json::Value;

use crate::response::ResponseModel;
use crate::spec::{title_case, DocCtx, Example, MediaType, Operation, Response, Schema};
/// An input (an extractor argument) that documents itself: parameters, a request body,
/// security requirements. Implemented by ferrapi's extractors; implement it for your own
/// extractors and dependencies. Extractors that do not implement it still work, and add
/// nothing to the document.
pub trait ApiInput {
    /// Writes what this input contributes to the operation.
    fn document(ctx: &mut DocCtx, op: &mut Operation);
}

/// Writes a `format = "..."` option (FastAPI's `json_schema_extra={"format": "password"}`)
/// on a parameter's or form field's schema, next to its type or `anyOf`; a `$ref` is left
/// alone.
pub(crate) fn write_format(schema: &mut Value, format: Option<&str>) {
    if let (Some(f), Value::Object(s)) = (format, schema) {
        if !s.contains_key("$ref") {
            s.insert("format".into(), f.into());
        }
    }
}

/// FastAPI's default summary for a handler without a doc comment: `read_items` -> `Read Items`.
pub fn default_summary(fn_name: &str) -> String {
    title_case(fn_name)
}

/// FastAPI's generated operation id: `read_items` + `/items/` + `get` -> `read_items_items__get`.
pub fn fastapi_operation_id(fn_name: &str, path: &str, method: &str) -> String {
    let mut id = String::from(fn_name);
    id.extend(path.chars().map(|c| {
        if c.is_alphanumeric() || c == '_' {
            c
        } else {
            '_'
        }
    }));
    id.push('_');
    id.push_str(&method.to_ascii_lowercase());
    id
}

/// Items the code generated by the macros calls, reached through `ferrapi::__private` only.
pub(crate) mod generated {
    #[allow(unused_imports)]
    use super::*;

    /// Writes a route's `body(...)` examples onto every media type of its request body
    /// (nothing happens when the handler reads no body).
    pub fn doc_body_examples(
        op: &mut Operation,
        examples: Option<Vec<Value>>,
        named: Vec<(&str, Example)>,
    ) {
        let Some(body) = op.request_body.as_mut() else {
            return;
        };
        for media in &mut body.content {
            if let Some(ex) = &examples {
                if let Value::Object(schema) = media.schema.as_value_mut() {
                    schema.insert("examples".into(), Value::Array(ex.clone()));
                }
            }
            if !named.is_empty() {
                media.examples = named
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.clone()))
                    .collect();
            }
        }
    }

    /// Documents a `responses(CODE = (Type, "description", "media/type"))` entry: adds the
    /// media type to the status's response (created if absent) and sets its description.
    pub fn doc_response_media<T: ResponseModel>(
        ctx: &mut DocCtx,
        op: &mut Operation,
        status: &str,
        description: &str,
        media: &str,
    ) {
        let schema = T::response_schema(ctx).unwrap_or_else(Schema::any);
        let response = op.responses.entry(status, Response::default);
        response.description = description.to_string();
        match response.media_mut(media) {
            Some(m) => m.schema = schema,
            None => response.content.push(MediaType::new(media, schema)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_ids_and_summaries_follow_fastapi() {
        assert_eq!(
            fastapi_operation_id("list_items", "/items/", "GET"),
            "list_items_items__get"
        );
        assert_eq!(
            fastapi_operation_id("read_crew", "/crew/{name}", "get"),
            "read_crew_crew__name__get"
        );
        assert_eq!(default_summary("list_crew"), "List Crew");
    }
}
