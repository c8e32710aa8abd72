//! The items example in two versions (`items-versioned`): v1 -> v2 changed an item's price
//! from a number to an object and removed `GET /items/`. Exercised through the test client
//! and through the binary's command line: `openapi --all --out-dir`, `--all --check`,
//! `--api-version`, and `openapi diff` between the committed v1 and v2 documents.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ferrapi::testing::TestClient;
use serde_json::{json, Value};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_items-versioned"))
}

/// The committed documents: `v1.json`, `v2.json` and `openapi.json` (the latest).
fn committed() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi")
}

/// `openapi --all --check DIR`.
fn check_all(dir: &Path) -> Output {
    bin()
        .args(["openapi", "--all", "--check"])
        .arg(dir)
        .output()
        .unwrap()
}

/// `openapi --all --out-dir DIR`.
fn write_all(dir: &Path) -> Output {
    bin()
        .args(["openapi", "--all", "--out-dir"])
        .arg(dir)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("items-versions-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[tokio::test]
async fn each_version_answers_its_own_shape() {
    let client = TestClient::new(items::versioned::app());
    let created = client
        .post("/v2/items/")
        .json(&json!({"name": "Hammer", "price": 12.5}))
        .send()
        .await;
    assert_eq!(created.status(), 201);
    let v2 = created.json_value();
    assert_eq!(v2["price"], json!({"amount": 12.5, "currency": "EUR"}));
    let id = v2["id"].as_i64().unwrap();
    let v1 = client.get(&format!("/v1/items/{id}")).send().await;
    assert_eq!(v1.json_value()["price"], json!(12.5));
    let v2 = client.get(&format!("/v2/items/{id}")).send().await;
    assert_eq!(v2.json_value()["price"]["currency"], "EUR");
    // FastAPI's echo is version 1's only.
    assert_eq!(client.get("/v1/items/?skip=2").send().await.status(), 200);
    assert_eq!(client.get("/v2/items/").send().await.status(), 405);
    // Validation is the same in both.
    let bad = client.get("/v2/items/0").send().await;
    assert_eq!(bad.status(), 422);
    assert_eq!(
        client
            .delete(&format!("/v1/items/{id}"))
            .send()
            .await
            .status(),
        204
    );
    assert_eq!(
        client.get(&format!("/v2/items/{id}")).send().await.status(),
        404
    );
}

/// The committed documents are the reviewed snapshots: regenerate them with
/// `cargo run -p items --bin items-versioned -- openapi --all --out-dir examples/items/openapi`.
#[test]
fn committed_documents_are_up_to_date() {
    let out = bin()
        .args(["openapi", "--all", "--check"])
        .arg(committed())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    for file in ["v1.json", "v2.json", "openapi.json"] {
        assert!(
            stdout.contains(&format!("{file} is up to date")),
            "{stdout}"
        );
    }
}

#[test]
fn all_writes_one_document_per_version_and_check_finds_drift() {
    let dir = scratch("all");
    let out = write_all(&dir);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read = |f: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap()
    };
    assert_eq!(read("v1.json")["info"]["version"], "1.0.0");
    assert_eq!(read("v2.json")["info"]["version"], "2.0.0");
    assert_eq!(read("openapi.json"), read("v2.json"));
    assert_eq!(read("v1.json")["servers"], json!([{"url": "/v1"}]));

    // One stale file: exit 1, its diff, the others still reported up to date.
    let mut v1 = read("v1.json");
    v1["info"]["title"] = json!("Stale");
    std::fs::write(
        dir.join("v1.json"),
        serde_json::to_string_pretty(&v1).unwrap(),
    )
    .unwrap();
    let out = check_all(&dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("v1.json is stale"), "{stderr}");
    assert!(stderr.contains("-    \"title\": \"Stale\","), "{stderr}");
    assert!(stderr.contains("openapi --all --out-dir"), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("v2.json is up to date"));

    // A missing file is drift too.
    std::fs::remove_file(dir.join("v2.json")).unwrap();
    let out = check_all(&dir);
    assert_eq!(out.status.code(), Some(1));

    // Rewritten, then a document of a version the app no longer serves: drift as well.
    let out = write_all(&dir);
    assert!(out.status.success());
    std::fs::write(dir.join("v0.json"), "{}").unwrap();
    std::fs::write(dir.join("notes.txt"), "not a document").unwrap();
    let out = check_all(&dir);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("v0.json is not a document of this app"),
        "{stderr}"
    );
    assert!(!stderr.contains("notes.txt"), "{stderr}");
    std::fs::remove_file(dir.join("v0.json")).unwrap();
    let out = check_all(&dir);
    assert_eq!(out.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);

    // `--all` needs a directory.
    let out = bin().args(["openapi", "--all"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn api_version_prints_one_version_in_any_openapi_version() {
    let out = bin()
        .args(["openapi", "--api-version", "1", "--spec-version", "3.0"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    assert_eq!(doc["info"]["version"], "1.0.0");
    assert!(doc["paths"]["/items/"]["get"].is_object());
    let out = bin()
        .args(["openapi", "--api-version", "7"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("no version `7`: the app serves 1.0.0, 2.0.0"));
}

/// `openapi diff` between the two versions reports what 2.0.0 broke.
#[test]
fn openapi_diff_reports_the_v1_to_v2_breaking_changes() {
    let out = bin()
        .args(["openapi", "diff"])
        .arg(committed().join("v1.json"))
        .arg(committed().join("v2.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "breaking changes exit 1");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        report.contains("BREAKING   GET /items/ operation: removed [operation-removed]"),
        "{report}"
    );
    assert!(
        report.contains(
            "BREAKING   GET /items/{item_id} response 200: property \"price\": type changed from number to object [type-changed]"
        ),
        "{report}"
    );
    assert!(report.contains("POST /items/ response 201: property \"price\": type changed"));
    // Nothing else changed: DELETE is the same in both versions.
    assert!(!report.contains("DELETE"), "{report}");

    // Against the app itself: the released v1 document and the app's v1 agree.
    let out = bin()
        .args(["openapi", "diff", "--api-version", "1"])
        .arg(committed().join("v1.json"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    // And the latest is v2.
    let out = bin()
        .args(["openapi", "diff"])
        .arg(committed().join("v1.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[tokio::test]
async fn swagger_ui_picks_between_the_versions() {
    let client = TestClient::new(items::versioned::app());
    let init = client
        .get("/docs/swagger-initializer.js")
        .send()
        .await
        .text();
    // The page's picker chooses the document: the first option (the newest version)
    // unless `?urls.primaryName=` names another.
    assert!(init.contains("url: picker.value,"), "{init}");
    assert!(init.contains(r#"get("urls.primaryName")"#), "{init}");
    let page = client.get("/docs/").send().await.text();
    let options = page
        .split("<select")
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .unwrap_or_else(|| panic!("no picker in {page}"));
    let v2 = options
        .find(r#"<option value="../openapi/v2.json">2.0.0</option>"#)
        .unwrap_or_else(|| panic!("{options}"));
    let v1 = options
        .find(r#"<option value="../openapi/v1.json">1.0.0</option>"#)
        .unwrap_or_else(|| panic!("{options}"));
    assert!(v2 < v1, "the newest version is the default: {options}");
    let v1 = client.get("/openapi/v1.json").send().await.json_value();
    assert_eq!(v1["info"]["version"], "1.0.0");
}
