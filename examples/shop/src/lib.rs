//! The flagship example: an e-commerce REST API with a catalogue, carts and orders, on
//! SQLite by default (a file created and migrated on start-up) or PostgreSQL, chosen by
//! `DATABASE_URL`. Customers log in with the OAuth2 password flow; the `admin` scope guards
//! catalogue changes.

pub mod auth;
pub mod db;
pub mod orders;
pub mod products;

use std::sync::Arc;

use ferrapi::prelude::*;
use ferrapi::security::Jwt;

/// Settings read from the environment at start-up.
#[derive(Clone)]
pub struct Settings {
    /// Signs and verifies tokens (`JWT_SECRET`).
    pub jwt: Jwt,
    /// Token lifetime in minutes (`TOKEN_MINUTES`, default 60).
    pub token_minutes: u64,
    /// A hash checked for unknown user names, so timing does not tell which names exist.
    pub dummy_hash: Arc<String>,
}

impl Settings {
    /// Reads `JWT_SECRET` (at least 32 bytes; when unset, a random secret made at start-up,
    /// with a warning that tokens do not survive a restart: no secret is in the source) and
    /// `TOKEN_MINUTES`.
    pub fn from_env() -> Result<Self, ferrapi::ops::ConfigError> {
        let secret: String = ferrapi::ops::env_or("JWT_SECRET", String::new())?;
        let secret = if secret.is_empty() {
            tracing::warn!(
                "JWT_SECRET is not set: signing tokens with a random secret (tokens do not survive a restart, and other instances refuse them)"
            );
            ferrapi::security::jwt::random_secret()
        } else {
            secret
        };
        let jwt = Jwt::try_hs256(secret.as_bytes())
            .map_err(|e| ferrapi::ops::ConfigError(format!("JWT_SECRET: {e}")))?;
        Ok(Settings {
            jwt: jwt.issuer("ferrapi-shop"),
            token_minutes: ferrapi::ops::env_or("TOKEN_MINUTES", 60)?,
            dummy_hash: Arc::new(
                ferrapi::security::password::hash_password_blocking("no such user")
                    .map_err(ferrapi::ops::ConfigError)?,
            ),
        })
    }
}

/// Cents to euros.
pub fn euros(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// Euros to cents, rounded.
pub fn cents(euros: f64) -> i64 {
    (euros * 100.0).round() as i64
}

/// A database failure: logged, answered 500 without details.
pub fn db_error(e: sqlx::Error) -> HttpError {
    tracing::error!(error = %e, "database error");
    HttpError::internal("Database error")
}

/// Log-in attempts allowed per client address and minute (bursts of as many).
pub const LOGIN_ATTEMPTS_PER_MINUTE: u32 = 10;

/// The shop on the database at `database_url`.
pub fn app_with(database_url: String) -> App {
    let products = ferrapi::Router::new().routes(routes![
        products::list_products,
        products::read_product,
        products::create_product,
        products::update_product,
        products::delete_product,
        products::list_categories,
        products::create_category
    ]);
    let orders = ferrapi::Router::new().routes(routes![
        orders::create_order,
        orders::read_order,
        orders::list_orders,
        orders::read_cart,
        orders::put_cart_item,
        orders::delete_cart_item,
        orders::checkout
    ]);
    let url = database_url;
    let mut app = App::new()
        .title("Shop")
        .version("1.0.0")
        .description("An e-commerce API: catalogue, carts and orders. Log in with the **Authorize** button: `alice` / `wonderland` (customer) or `admin` / `change-me` (admin).")
        .tag("auth", "Log in and the current customer")
        .tag("products", "The catalogue")
        .tag("categories", "Product categories")
        .tag("cart", "The customer's cart")
        .tag("orders", "Placing and reading orders")
        .startup(|| async { Settings::from_env() })
        .startup(move || async move { db::connect(&url).await })
        .include(
            // Password guessing: ten attempts a minute per client address.
            ferrapi::Router::new()
                .rate_limit(login_limit())
                .routes(routes![auth::login]),
        )
        .routes(routes![auth::me])
        .include(products)
        .include(orders)
        .health()
        .metrics("/metrics")
        .request_ids()
        .access_log();
    app = app.readiness_check("database", |state| async move {
        let db = state.get::<db::Db>().ok_or("not connected")?.clone();
        sqlx::query("SELECT 1")
            .execute(&db.pool)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    app
}

/// The login limit: per client address, or per `X-Forwarded-For` address with
/// `BEHIND_PROXY=1` (behind exactly one balancer that appends it); with `REDIS_URL`, one
/// budget for all instances (a bad URL stops the app at once).
fn login_limit() -> RateLimit {
    let mut limit = RateLimit::per_minute(LOGIN_ATTEMPTS_PER_MINUTE);
    if std::env::var("BEHIND_PROXY").as_deref() == Ok("1") {
        limit = limit.by_forwarded_ip();
    }
    match std::env::var("REDIS_URL") {
        Ok(url) if !url.is_empty() => limit
            .shared(&url, "shop-login")
            .unwrap_or_else(|e| panic!("shop: REDIS_URL: {e}")),
        _ => limit,
    }
}

/// The shop on `DATABASE_URL` (default `sqlite://shop.db`).
pub fn app() -> App {
    let url = std::env::var("DATABASE_URL").unwrap_or_else(|_| "sqlite://shop.db".into());
    app_with(url)
}
