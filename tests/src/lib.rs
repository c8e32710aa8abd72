//! Shared helpers for ferrapi's own test suite (see `tests/tests/*.rs`).

pub mod conformance;
pub mod fuzzing;
pub mod raw;
pub mod redis;

/// Runs a future to completion on a fresh current-thread runtime.
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

/// A two-worker multi-threaded runtime, for tests that serve an app on a real socket and
/// talk to it from the same process.
pub fn multi_thread_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// Writes an app's OpenAPI document to `<dir>/openapi-docs/<name>.json`, where CI validates
/// every document against the schema of its OpenAPI version (openapi-spec-validator).
pub fn export_doc(dir: &str, name: &str, doc: &serde_json::Value) {
    let dir = std::path::Path::new(dir).join("openapi-docs");
    std::fs::create_dir_all(&dir).expect("create openapi-docs");
    std::fs::write(
        dir.join(format!("{name}.json")),
        serde_json::to_string_pretty(doc).expect("serialize"),
    )
    .expect("write document");
}

/// The two tests every conformance app has, for a test file that defines `APP` (the
/// recorded app's name) and `fn app() -> App`: `openapi_matches_fastapi` compares the
/// document with FastAPI's as `options` say (and exports it, for CI to validate against the
/// OpenAPI 3.1 schema), `cases_match_fastapi` replays the recorded requests.
///
/// ```ignore
/// ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
/// ```
#[macro_export]
macro_rules! conformance_tests {
    ($options:expr) => {
        #[test]
        fn openapi_matches_fastapi() {
            let report = $crate::conformance::assert_spec(APP, app(), $options);
            $crate::export_doc(env!("CARGO_TARGET_TMPDIR"), APP, &report.ours);
        }

        #[test]
        fn cases_match_fastapi() {
            $crate::conformance::assert_cases(APP, app());
        }
    };
}

/// The README's example, compiled as a doctest so it cannot rot.
#[doc = include_str!("../../README.md")]
pub mod readme {}

/// The guide's pages (`docs/*.md`), compiled as doctests so their examples cannot rot.
#[doc = include_str!("../../docs/tutorial.md")]
pub mod docs_tutorial {}
#[doc = include_str!("../../docs/parameters.md")]
pub mod docs_parameters {}
#[doc = include_str!("../../docs/models.md")]
pub mod docs_models {}
#[doc = include_str!("../../docs/responses.md")]
pub mod docs_responses {}
#[doc = include_str!("../../docs/security.md")]
pub mod docs_security {}
#[doc = include_str!("../../docs/dependencies.md")]
pub mod docs_dependencies {}
#[doc = include_str!("../../docs/bigger-applications.md")]
pub mod docs_bigger_applications {}
#[doc = include_str!("../../docs/testing.md")]
pub mod docs_testing {}
#[doc = include_str!("../../docs/architecture.md")]
pub mod docs_architecture {}

/// `docs/middleware.md`, compiled and run as doctests.
#[doc = include_str!("../../docs/middleware.md")]
pub mod docs_middleware {}

/// `docs/api-documents.md`, compiled and run as doctests.
#[doc = include_str!("../../docs/api-documents.md")]
pub mod docs_api_documents {}

/// `docs/openapi-diff.md`, compiled and run as doctests.
#[doc = include_str!("../../docs/openapi-diff.md")]
pub mod docs_openapi_diff {}

/// `docs/versioning.md`, compiled and run as doctests.
#[doc = include_str!("../../docs/versioning.md")]
pub mod docs_versioning {}

/// `docs/realtime.md`, compiled and run as doctests.
#[doc = include_str!("../../docs/realtime.md")]
pub mod docs_realtime {}

/// `docs/deployment.md`, compiled and run as doctests.
#[doc = include_str!("../../docs/deployment.md")]
pub mod docs_deployment {}

/// `docs/operations.md`, compiled and run as doctests.
#[doc = include_str!("../../docs/operations.md")]
pub mod docs_operations {}

/// `docs/dev.md`, compiled and run as doctests.
#[doc = include_str!("../../docs/dev.md")]
pub mod docs_dev {}
