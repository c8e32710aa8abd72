//! `examples/shop/openapi-3.0.json` is the OpenAPI 3.0 rendering (one error schema) that
//! the `shop-client` crate generates its progenitor client from. This fails with a diff
//! when the shop's API changed and the file was not regenerated with
//! `cargo run -p shop -- openapi --spec-version 3.0 --one-error-schema --out examples/shop/openapi-3.0.json`.

#[test]
fn the_generator_snapshot_is_up_to_date() {
    let snapshot = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi-3.0.json");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shop"))
        .args([
            "openapi",
            "--spec-version",
            "3.0",
            "--one-error-schema",
            "--check",
            snapshot,
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(snapshot).unwrap()).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    // Every error answer has the one error type a generator like progenitor needs.
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for (status, r) in op["responses"].as_object().unwrap() {
                if status.starts_with('4') || status.starts_with('5') {
                    assert_eq!(
                        r["content"]["application/json"]["schema"]["$ref"],
                        "#/components/schemas/HTTPError",
                        "{method} {path} {status}"
                    );
                }
            }
        }
    }
}
