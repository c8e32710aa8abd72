//! No published secrets: without `JWT_SECRET` the shop signs tokens with a random secret
//! made at start-up, so a token forged with any secret from the source is refused; a short
//! `JWT_SECRET` stops start-up.

use ferrapi::security::jwt::Jwt;
use ferrapi::testing::TestClient;
use serde_json::json;

fn database(name: &str) -> (String, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!(
        "ferrapi-shop-secrets-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    (format!("sqlite://{}", dir.join("shop.db").display()), dir)
}

#[test]
fn a_token_forged_with_the_old_development_secret_is_refused() {
    // This process never sets JWT_SECRET, as `cargo run -p shop` on a fresh machine.
    assert!(std::env::var_os("JWT_SECRET").is_none());
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let (url, dir) = database("forged");
        let c = TestClient::start(shop::app_with(url)).await.unwrap();
        // The secret the shop used to fall back to, published in its source.
        let forger =
            Jwt::hs256(b"shop-development-secret-change-me-0123456789").issuer("ferrapi-shop");
        let forged = forger
            .issue("admin", &["admin"], std::time::Duration::from_secs(600))
            .unwrap();
        let r = c
            .post("/products")
            .bearer(&forged)
            .json(&json!({"name": "Forged", "price": 1.0, "stock": 1}))
            .send()
            .await;
        assert_eq!(r.status(), 401, "{}", r.text());
        // A real login still works, with a token signed by the random secret.
        let login = c
            .post("/token")
            .form(&[("username", "admin"), ("password", "change-me")])
            .send()
            .await;
        assert_eq!(login.status(), 200);
        let token = login.json_value()["access_token"]
            .as_str()
            .unwrap()
            .to_string();
        let r = c
            .post("/products")
            .bearer(&token)
            .json(&json!({"name": "Real", "price": 1.0, "stock": 1}))
            .send()
            .await;
        assert_eq!(r.status(), 201, "{}", r.text());
        let _ = std::fs::remove_dir_all(dir);
    });
}

#[test]
fn a_short_jwt_secret_stops_start_up() {
    let (url, dir) = database("short");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_shop"))
        .args(["serve", "--host", "127.0.0.1", "--port", "0"])
        .env("JWT_SECRET", "too-short")
        .env("DATABASE_URL", &url)
        .env("RUST_LOG", "warn")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("JWT_SECRET") && stderr.contains("at least 32 bytes"),
        "{stderr}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
