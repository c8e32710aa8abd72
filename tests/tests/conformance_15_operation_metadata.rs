//! FastAPI conformance, app 15 (`tests/conformance/fastapi/apps/15_operation_metadata.py`):
//! app metadata (title, summary, description, version, terms, contact, license, tags
//! with external docs), operation metadata (tags, summary, description from the doc
//! comment or the option, operation_id, deprecated, response_description,
//! include_in_schema) and the docs pages.

use ferrapi::prelude::*;
use ferrapi_tests::conformance::{
    assert_cases_with, assert_spec_with, Difference, SpecOptions, Tolerate,
};
use serde_json::{json, Value};

const APP: &str = "15_operation_metadata";

#[model]
struct Tool {
    name: String,
    weight_kg: f64,
}

/// Return every tool in the workshop.
///
/// The list is *not* paginated.
// Internal note: a `//` comment is not part of the documentation (FastAPI cuts the
// docstring at `\f` for the same purpose).
#[get("/tools/", tags = ["tools"], summary = "List all tools")]
async fn list_tools() -> Json<Value> {
    Json(json!([{"name": "hammer", "weight_kg": 0.6}]))
}

/// This docstring is ignored because description= is given.
#[post(
    "/tools/",
    tags = ["tools"],
    operation_id = "createTool",
    response_description = "The stored tool",
    description = "Explicit description wins over the docstring.",
    status = 201
)]
async fn add_tool(tool: Json<Tool>) -> Json<Value> {
    // The Python handler has no response model, so its response is documented as `{}`:
    // the port returns untyped JSON for the same document.
    Json(json!(tool.0))
}

#[get("/tools/{name}/weight", tags = ["tools", "metrics"])]
async fn tool_weight(name: String) -> Json<Value> {
    Json(json!({"name": name, "weight_kg": 1.0}))
}

#[get("/old-tools", tags = ["legacy"], deprecated)]
async fn old_tools() -> Json<Value> {
    Json(json!([]))
}

#[get("/internal/health", include_in_schema = false)]
async fn health() -> Json<Value> {
    Json(json!({"ok": true}))
}

fn app() -> App {
    App::new()
        .title("Workshop API")
        .summary("Tools and gadgets for the workshop.")
        .description("Manage **tools** in the workshop.\n\nSecond paragraph.")
        .version("2.3.1")
        .terms_of_service("https://example.com/terms")
        .contact(json!({"name": "Workshop Team", "url": "https://example.com/team", "email": "team@example.com"}))
        .license(json!({"name": "MIT", "identifier": "MIT"}))
        .tag("tools", "Operations on tools")
        .tag_object(json!({"name": "legacy", "description": "Old endpoints", "externalDocs": {"url": "https://example.com/legacy"}}))
        .routes(routes![list_tools, add_tool, tool_weight, old_tools, health])
}

/// The port keeps the Python handler's docstring as a doc comment, whose first paragraph
/// ferrapi takes as the summary (FastAPI: "Add Tool" from the function name).
const TOLERATE: &[Tolerate] = &[Tolerate {
    difference: Difference::DocCommentSummary,
    pointer: "/paths/~1tools~1/post/summary",
}];

#[test]
fn openapi_matches_fastapi() {
    let report = assert_spec_with(APP, app(), SpecOptions::full(), TOLERATE);
    // CI validates the exported documents against the OpenAPI 3.1 schema.
    ferrapi_tests::export_doc(env!("CARGO_TARGET_TMPDIR"), APP, &report.ours);
}

#[test]
fn cases_match_fastapi() {
    assert_cases_with(APP, app(), TOLERATE);
}
