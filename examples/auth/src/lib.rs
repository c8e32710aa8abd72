//! The auth example: OAuth2 password flow with scopes, JWT, and a router guarded by an API
//! key. See the README for the seeded users and routes.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use ferrapi::extract::AppState;
use ferrapi::prelude::*;
use ferrapi::security::password::{hash_password_blocking, verify_password};
use ferrapi::security::{
    constant_time_eq, ApiKeyConfig, ApiKeyHeader, Auth, Authenticate, Claims, Jwt, OAuth2Config,
    OAuth2PasswordBearer, OAuth2PasswordRequestForm,
};

/// The OAuth2 scheme: token endpoint and scopes, shown in Swagger UI's Authorize dialog.
pub struct Oauth;

impl OAuth2Config for Oauth {
    const TOKEN_URL: &'static str = "token";
    const SCOPES: &'static [(&'static str, &'static str)] = &[
        ("items:read", "Read items."),
        ("items:write", "Create items."),
        ("admin", "Administer the service."),
    ];
}

/// The `X-API-Key` header scheme of the internal router.
pub struct InternalKey;

impl ApiKeyConfig for InternalKey {
    const NAME: &'static str = "X-API-Key";
}

/// A stored user.
#[derive(Clone)]
pub struct UserRecord {
    /// Argon2id hash of the password.
    pub password_hash: String,
    /// Scopes the user may be granted.
    pub scopes: Vec<String>,
}

/// Settings and data shared by the handlers.
#[derive(Clone)]
pub struct Ctx {
    /// Signs and verifies tokens.
    pub jwt: Jwt,
    /// Users by name.
    pub users: Arc<HashMap<String, UserRecord>>,
    /// The internal API key.
    pub internal_key: Arc<String>,
    /// The item store.
    pub items: Arc<RwLock<Vec<Item>>>,
    /// A hash checked for unknown user names, so timing does not tell which names exist.
    pub dummy_hash: Arc<String>,
}

impl Ctx {
    /// Seeds the users; reads `JWT_SECRET` and `INTERNAL_API_KEY` from the environment.
    /// Without `JWT_SECRET`, tokens are signed with a random secret made at start-up: no
    /// secret is in the source, and tokens do not survive a restart.
    /// Without `INTERNAL_API_KEY`, the internal key is random too, and printed once so the
    /// operator can use it.
    pub fn from_env() -> Self {
        let secret = std::env::var("JWT_SECRET").unwrap_or_else(|_| {
            eprintln!("warning: JWT_SECRET is not set; signing tokens with a random secret (tokens do not survive a restart)");
            ferrapi::security::jwt::random_secret()
        });
        let internal_key = std::env::var("INTERNAL_API_KEY").unwrap_or_else(|_| {
            let key = ferrapi::security::jwt::random_secret();
            eprintln!("warning: INTERNAL_API_KEY is not set; this run's internal key is {key}");
            key
        });
        Self::with_secrets(&secret, &internal_key)
    }

    /// Seeds the users, signing tokens with `secret` (at least 32 bytes); the internal key
    /// is `internal-key` (for tests).
    pub fn with_secret(secret: &str) -> Self {
        Self::with_secrets(secret, "internal-key")
    }

    /// Seeds the users, signing tokens with `secret` (at least 32 bytes), with the internal
    /// API key `internal_key`.
    pub fn with_secrets(secret: &str, internal_key: &str) -> Self {
        let seed = [
            ("alice", "wonderland", "items:read items:write"),
            ("bob", "builder", "items:read"),
            ("admin", "change-me", "admin items:read items:write"),
        ];
        let users = seed
            .iter()
            .map(|(name, pw, scopes)| {
                let rec = UserRecord {
                    password_hash: hash_password_blocking(pw).expect("hashing a password"),
                    scopes: scopes.split(' ').map(String::from).collect(),
                };
                (name.to_string(), rec)
            })
            .collect();
        Ctx {
            jwt: Jwt::hs256(secret.as_bytes()).issuer("ferrapi-auth-example"),
            users: Arc::new(users),
            internal_key: Arc::new(internal_key.to_string()),
            items: Arc::new(RwLock::new(Vec::new())),
            dummy_hash: Arc::new(
                hash_password_blocking("no such user").expect("hashing a password"),
            ),
        }
    }
}

/// A user authenticated by a bearer token.
#[derive(Clone, Debug)]
pub struct User {
    /// The user name.
    pub username: String,
    /// The scopes granted to the token.
    pub scopes: Vec<String>,
}

impl Authenticate for User {
    type Credentials = OAuth2PasswordBearer<Oauth>;

    async fn authenticate(token: Self::Credentials, state: &AppState) -> Result<Self, HttpError> {
        let ctx = state.get::<Ctx>().expect("Ctx is registered");
        let claims: Claims = ctx.jwt.verify(token.token())?;
        if !ctx.users.contains_key(&claims.sub) {
            return Err(ferrapi::security::JwtError::MissingClaim("sub".into()).into());
        }
        Ok(User {
            scopes: claims.scopes(),
            username: claims.sub,
        })
    }

    fn granted_scopes(&self) -> &[String] {
        &self.scopes
    }
}

/// A caller of the internal router, identified by the `X-API-Key` header.
pub struct InternalCaller;

impl Authenticate for InternalCaller {
    type Credentials = ApiKeyHeader<InternalKey>;

    async fn authenticate(key: Self::Credentials, state: &AppState) -> Result<Self, HttpError> {
        let ctx = state.get::<Ctx>().expect("Ctx is registered");
        if constant_time_eq(key.key().as_bytes(), ctx.internal_key.as_bytes()) {
            Ok(InternalCaller)
        } else {
            Err(HttpError::forbidden("Invalid API key"))
        }
    }
}

/// The token endpoint's answer.
#[model]
pub struct Token {
    /// The JWT.
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: String,
}

/// The current user.
#[model]
pub struct Me {
    /// The user name.
    pub username: String,
    /// The scopes granted to the token.
    pub scopes: Vec<String>,
}

/// An item.
#[model]
#[derive(Clone)]
pub struct Item {
    /// Its name.
    #[field(min_length = 1, max_length = 50)]
    pub name: String,
    /// Who created it.
    #[field(default)]
    pub owner: String,
}

/// Service statistics.
#[model]
pub struct Stats {
    /// Number of users.
    pub users: usize,
    /// Number of items.
    pub items: usize,
}

/// Log in
///
/// The OAuth2 password flow: grants the requested scopes the user has, or all of the
/// user's scopes when none are requested.
#[post("/token", responses(401 = HttpError))]
pub async fn login(
    ctx: State<Ctx>,
    form: ferrapi::Form<OAuth2PasswordRequestForm>,
) -> Result<Json<Token>, HttpError> {
    let refuse = || {
        HttpError::unauthorized("Incorrect username or password")
            .with_header("www-authenticate", "Bearer")
    };
    // Verify even for unknown users, so timing does not tell which names exist.
    let user = ctx.users.get(&form.username);
    let hash = user
        .map(|u| u.password_hash.as_str())
        .unwrap_or(&ctx.dummy_hash);
    let ok = verify_password(&form.password, hash).await;
    let user = match (user, ok) {
        (Some(u), true) => u,
        _ => return Err(refuse()),
    };
    let requested = form.scopes();
    let granted: Vec<&str> = if requested.is_empty() {
        user.scopes.iter().map(String::as_str).collect()
    } else {
        requested
            .iter()
            .filter(|s| user.scopes.contains(s))
            .map(String::as_str)
            .collect()
    };
    let token = ctx
        .jwt
        .issue(&form.username, &granted, Duration::from_secs(30 * 60))
        .map_err(|e| HttpError::internal(e.to_string()))?;
    Ok(Json(Token {
        access_token: token,
        token_type: "bearer".into(),
    }))
}

/// The current user
#[get("/users/me", tags = ["users"])]
pub async fn me(Auth(user): Auth<User>) -> Json<Me> {
    Json(Me {
        username: user.username,
        scopes: user.scopes,
    })
}

/// List items
#[get("/items/", tags = ["items"], scopes = ["items:read"])]
pub async fn list_items(ctx: State<Ctx>, _user: Auth<User>) -> Json<Vec<Item>> {
    Json(ctx.items.read().expect("items lock").clone())
}

/// Create an item
#[post("/items/", status = 201, tags = ["items"], scopes = ["items:write"])]
pub async fn create_item(ctx: State<Ctx>, Auth(user): Auth<User>, item: Json<Item>) -> Json<Item> {
    let item = Item {
        owner: user.username,
        ..item.0
    };
    ctx.items.write().expect("items lock").push(item.clone());
    Json(item)
}

/// Service statistics
#[get("/admin/stats", tags = ["admin"], scopes = ["admin"])]
pub async fn admin_stats(ctx: State<Ctx>, _admin: Auth<User>) -> Json<Stats> {
    Json(Stats {
        users: ctx.users.len(),
        items: ctx.items.read().expect("items lock").len(),
    })
}

/// Health of the service, for internal callers
#[get("/health", tags = ["internal"])]
pub async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({"status": "ok"}))
}

/// The auth app, with its users seeded and its secrets from the environment.
pub fn app() -> App {
    app_with(Ctx::from_env())
}

/// The auth app with the given context (tests pass a known JWT secret).
pub fn app_with(ctx: Ctx) -> App {
    let internal = ferrapi::Router::new()
        .prefix("/internal")
        .guard::<Auth<InternalCaller>>()
        .routes(routes![health]);
    App::new()
        .title("Auth example")
        .version("1.0.0")
        .description("OAuth2 password flow with scopes, JWT, and an API-key guarded router.")
        .state(ctx)
        .include(
            // Password guessing: ten attempts a minute per client address.
            ferrapi::Router::new()
                .rate_limit(RateLimit::per_minute(10))
                .routes(routes![login]),
        )
        .routes(routes![me, list_items, create_item, admin_stats])
        .include(internal)
}
