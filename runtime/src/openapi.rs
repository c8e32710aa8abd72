//! How inputs describe themselves, and the operation ids and summaries FastAPI would write.
//!
//! Each endpoint describes its operation ([`Operation`]) at start-up: the macro adds what the
//! signature says (parameters, their constraints, the route's options), and the types add
//! the rest through traits ([`ApiInput`], [`ApiResponse`](crate::ApiResponse),
//! `utoipa::ToSchema`). The [`App`](crate::App) assembles the typed description
//! ([`crate::spec::Api`]) once, renders the documents ([`crate::render`]) and serves the
//! bytes.

use crate::spec::{title_case, DocCtx, Operation};

/// An input (an extractor argument) that documents itself: parameters, a request body,
/// security requirements. Implemented by ferrapi's extractors; implement it for your own
/// extractors and dependencies. Extractors that do not implement it still work, and add
/// nothing to the document.
pub trait ApiInput {
    /// Writes what this input contributes to the operation.
    fn document(ctx: &mut DocCtx, op: &mut Operation);
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
