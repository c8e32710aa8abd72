//! File uploads (`#[file]`), raw and text bodies, e-mail and URL types.

use ferrapi::prelude::*;
use ferrapi::testing::TestClient;
use ferrapi::{Email, UploadFile, Url};
use ferrapi_tests::block_on;
use serde_json::{json, Value};

#[post("/avatars")]
async fn avatars(
    #[form(min_length = 1)] user: String,
    #[file(max_size = 16, description = "A small picture")] avatar: UploadFile,
    #[file] extra: Vec<UploadFile>,
    #[file] note: Option<UploadFile>,
) -> Json<Value> {
    Json(json!({
        "user": user,
        "name": avatar.filename,
        "type": avatar.content_type,
        "size": avatar.size(),
        "text": avatar.text().ok(),
        "extra": extra.iter().map(|f| f.filename.clone()).collect::<Vec<_>>(),
        "note": note.map(|n| n.size()),
    }))
}

#[post("/raw")]
async fn raw(body: bytes::Bytes) -> Json<usize> {
    Json(body.len())
}

#[post("/text")]
async fn text(body: Text<String>) -> String {
    body.0.to_uppercase()
}

#[model]
struct Contact {
    email: Email,
    site: Option<Url>,
}

#[post("/contacts")]
async fn contacts(c: Json<Contact>, #[query] referrer: Option<Url>) -> Json<Value> {
    Json(
        json!({"email": c.email.as_str(), "site": c.site.as_ref().map(|u| u.as_str()), "referrer": referrer.map(|r| r.to_string())}),
    )
}

const B: &str = "XyZboundary";

fn part(name: &str, filename: Option<&str>, ct: Option<&str>, body: &str) -> String {
    let mut s = format!("--{B}\r\nContent-Disposition: form-data; name=\"{name}\"");
    if let Some(f) = filename {
        s.push_str(&format!("; filename=\"{f}\""));
    }
    s.push_str("\r\n");
    if let Some(c) = ct {
        s.push_str(&format!("Content-Type: {c}\r\n"));
    }
    s.push_str(&format!("\r\n{body}\r\n"));
    s
}

fn multipart(parts: &[String]) -> String {
    format!("{}--{B}--\r\n", parts.concat())
}

fn app() -> App {
    App::new().routes(routes![avatars, raw, text, contacts])
}

#[test]
fn files_and_fields_from_one_multipart_body() {
    block_on(async {
        let c = TestClient::new(app());
        let body = multipart(&[
            part("user", None, None, "ada"),
            part("avatar", Some("me.png"), Some("image/png"), "PNGDATA"),
            part("extra", Some("a.txt"), Some("text/plain"), "aa"),
            part("extra", Some("b.txt"), Some("text/plain"), "bb"),
        ]);
        let res = c
            .post("/avatars")
            .header(
                "content-type",
                &format!("multipart/form-data; boundary={B}"),
            )
            .body(body)
            .send()
            .await;
        assert_eq!(res.status(), 200, "{}", res.text());
        assert_eq!(
            res.json_value(),
            json!({"user": "ada", "name": "me.png", "type": "image/png", "size": 7, "text": "PNGDATA", "extra": ["a.txt", "b.txt"], "note": null})
        );
    });
}

#[test]
fn hostile_uploads() {
    block_on(async {
        let c = TestClient::new(app().body_limit(4096));
        let ct = format!("multipart/form-data; boundary={B}");
        // Missing file and field, all listed.
        let res = c
            .post("/avatars")
            .header("content-type", &ct)
            .body(multipart(&[part("x", None, None, "1")]))
            .send()
            .await;
        let d = res.json_value()["detail"].clone();
        let got: Vec<(Value, Value)> = d
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["type"].clone(), e["loc"].clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (json!("missing"), json!(["body", "user"])),
                (json!("missing"), json!(["body", "avatar"])),
                (json!("missing"), json!(["body", "extra"])),
            ]
        );
        // A text part where a file is expected, and a file over its size limit.
        let body = multipart(&[
            part("user", None, None, "ada"),
            part("avatar", None, None, "not a file"),
            part("extra", Some("big.bin"), None, "x"),
        ]);
        let res = c
            .post("/avatars")
            .header("content-type", &ct)
            .body(body)
            .send()
            .await;
        let d = res.json_value()["detail"].clone();
        assert_eq!(d[0]["type"], "value_error");
        assert_eq!(
            d[0]["msg"],
            "Value error, Expected UploadFile, received: <class 'str'>"
        );
        let body = multipart(&[
            part("user", None, None, "ada"),
            part("avatar", Some("big.png"), None, &"x".repeat(17)),
            part("extra", Some("e"), None, "x"),
        ]);
        let res = c
            .post("/avatars")
            .header("content-type", &ct)
            .body(body)
            .send()
            .await;
        let d = res.json_value()["detail"].clone();
        assert_eq!(d[0]["type"], "too_long");
        assert_eq!(
            d[0]["ctx"],
            json!({"field_type": "File", "max_length": 16, "actual_length": 17})
        );
        // Over the body limit: 413. Broken multipart: 400. The app keeps serving.
        let huge = multipart(&[part("avatar", Some("h"), None, &"x".repeat(8000))]);
        assert_eq!(
            c.post("/avatars")
                .header("content-type", &ct)
                .body(huge)
                .send()
                .await
                .status(),
            413
        );
        let res = c
            .post("/avatars")
            .header("content-type", &ct)
            .body("--XyZboundary\r\ngarbage")
            .send()
            .await;
        assert_eq!(res.status(), 400);
        // A urlencoded body has no files.
        let res = c
            .post("/avatars")
            .form(&[("user", "ada"), ("avatar", "x")])
            .send()
            .await;
        assert_eq!(res.status(), 422);
    });
}

#[test]
fn uploads_are_documented_as_multipart_with_binary_parts() {
    let doc = app().openapi_value().unwrap();
    ferrapi_tests::export_doc(env!("CARGO_TARGET_TMPDIR"), "uploads", &doc);
    let body = &doc["paths"]["/avatars"]["post"]["requestBody"];
    let r = body["content"]["multipart/form-data"]["schema"]["$ref"]
        .as_str()
        .unwrap();
    let name = r.rsplit('/').next().unwrap();
    let s = &doc["components"]["schemas"][name];
    assert_eq!(s["properties"]["avatar"]["format"], "binary");
    assert_eq!(
        s["properties"]["avatar"]["contentMediaType"],
        "application/octet-stream"
    );
    assert_eq!(s["properties"]["extra"]["type"], "array");
    assert_eq!(s["properties"]["user"]["minLength"], 1);
    assert_eq!(s["required"], json!(["user", "avatar", "extra"]));
    assert!(body["content"]
        .get("application/x-www-form-urlencoded")
        .is_none());
    assert_eq!(
        doc["paths"]["/raw"]["post"]["requestBody"]["content"]["application/octet-stream"]
            ["schema"]["type"],
        "string"
    );
    assert!(doc["paths"]["/text"]["post"]["requestBody"]["content"]["text/plain"].is_object());
    let contact = &doc["components"]["schemas"]["Contact"]["properties"];
    // Inline, as pydantic writes `EmailStr` and `HttpUrl`.
    assert_eq!(
        contact["email"],
        json!({"type": "string", "format": "email", "title": "Email"})
    );
    assert_eq!(contact["site"]["format"], "uri");
    assert_eq!(contact["site"]["maxLength"], 2083);
    assert!(doc["components"]["schemas"].get("Email").is_none());
    let q = &doc["paths"]["/contacts"]["post"]["parameters"][0]["schema"]["anyOf"][0];
    assert_eq!(q["format"], "uri");
}

#[test]
fn raw_text_email_and_url() {
    block_on(async {
        let c = TestClient::new(app().body_limit(64));
        assert_eq!(
            c.post("/raw")
                .body(vec![0u8, 1, 2, 255])
                .send()
                .await
                .json_value(),
            json!(4)
        );
        assert_eq!(
            c.post("/raw").body(vec![0u8; 100]).send().await.status(),
            413
        );
        assert_eq!(
            c.post("/text").body("hello").send().await.json_value(),
            json!("HELLO")
        );
        assert_eq!(
            c.post("/text")
                .body(vec![0xffu8, 0xfe])
                .send()
                .await
                .status(),
            400
        );
        let ok = c
            .post("/contacts?referrer=https://example.org/x")
            .json(&json!({"email": "ada@example.com", "site": "https://ada.dev"}))
            .send()
            .await;
        assert_eq!(
            ok.json_value(),
            json!({"email": "ada@example.com", "site": "https://ada.dev/", "referrer": "https://example.org/x"})
        );
        let bad = c
            .post("/contacts?referrer=nope")
            .json(&json!({"email": "ada", "site": "::"}))
            .send()
            .await;
        let d = bad.json_value()["detail"].clone();
        let got: Vec<(Value, Value)> = d
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["type"].clone(), e["loc"].clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (json!("url_parsing"), json!(["query", "referrer"])),
                (json!("value_error"), json!(["body", "email"])),
                (json!("url_parsing"), json!(["body", "site"])),
            ]
        );
    });
}
