//! Log-in (OAuth2 password flow) and the current customer.

use std::time::Duration;

use ferrapi::extract::AppState;
use ferrapi::prelude::*;
use ferrapi::security::password::verify_password;
use ferrapi::security::{
    Authenticate, Claims, JwtError, OAuth2Config, OAuth2PasswordBearer, OAuth2PasswordRequestForm,
};
use sqlx::Row;

use crate::db::Db;
use crate::Settings;

/// The shop's OAuth2 scheme.
pub struct ShopOauth;

impl OAuth2Config for ShopOauth {
    const TOKEN_URL: &'static str = "token";
    const SCOPES: &'static [(&'static str, &'static str)] =
        &[("admin", "Change the catalogue and see every order.")];
}

/// A logged-in customer.
#[derive(Clone, Debug)]
pub struct Customer {
    /// The customer's id.
    pub id: i64,
    /// The user name.
    pub username: String,
    /// Scopes granted to the token (`admin` for administrators).
    pub scopes: Vec<String>,
}

impl Customer {
    /// Whether the token carries the `admin` scope.
    pub fn is_admin(&self) -> bool {
        self.scopes.iter().any(|s| s == "admin")
    }
}

impl Authenticate for Customer {
    type Credentials = OAuth2PasswordBearer<ShopOauth>;

    async fn authenticate(token: Self::Credentials, state: &AppState) -> Result<Self, HttpError> {
        let settings = state.get::<Settings>().expect("settings are registered");
        let db = state.get::<Db>().expect("the database is open");
        let claims: Claims = settings.jwt.verify(token.token())?;
        let row = sqlx::query("SELECT id FROM customers WHERE username = $1")
            .bind(&claims.sub)
            .fetch_optional(&db.pool)
            .await
            .map_err(crate::db_error)?
            .ok_or_else(|| HttpError::from(JwtError::MissingClaim("sub".into())))?;
        Ok(Customer {
            id: row.try_get("id").map_err(crate::db_error)?,
            scopes: claims.scopes(),
            username: claims.sub,
        })
    }

    fn granted_scopes(&self) -> &[String] {
        &self.scopes
    }
}

/// A bearer token.
#[model]
pub struct Token {
    /// The JWT.
    pub access_token: String,
    /// Always `bearer`.
    pub token_type: String,
}

/// The current customer.
#[model]
pub struct Me {
    /// Id.
    pub id: i64,
    /// User name.
    pub username: String,
    /// Granted scopes.
    pub scopes: Vec<String>,
}

/// Log in
///
/// The OAuth2 password flow. Administrators get the `admin` scope (unless they ask for
/// other scopes only).
#[post("/token", tags = ["auth"], responses(401 = HttpError))]
pub async fn login(
    db: State<Db>,
    settings: State<Settings>,
    form: ferrapi::Form<OAuth2PasswordRequestForm>,
) -> Result<Json<Token>, HttpError> {
    let refuse = || {
        HttpError::unauthorized("Incorrect username or password")
            .with_header("www-authenticate", "Bearer")
    };
    // PostgreSQL text cannot hold NUL: such a name is no one's (and not a database error).
    let row = if form.username.contains('\0') {
        None
    } else {
        sqlx::query("SELECT password_hash, is_admin FROM customers WHERE username = $1")
            .bind(&form.username)
            .fetch_optional(&db.pool)
            .await
            .map_err(crate::db_error)?
    };
    let (hash, admin) = match &row {
        Some(r) => (
            r.try_get::<String, _>("password_hash")
                .map_err(crate::db_error)?,
            r.try_get::<i64, _>("is_admin").map_err(crate::db_error)? != 0,
        ),
        None => (settings.dummy_hash.to_string(), false),
    };
    // Verify even for unknown users, so timing does not tell which names exist.
    if !verify_password(&form.password, &hash).await || row.is_none() {
        return Err(refuse());
    }
    let requested = form.scopes();
    let scopes: Vec<&str> =
        if admin && (requested.is_empty() || requested.iter().any(|s| s == "admin")) {
            vec!["admin"]
        } else {
            vec![]
        };
    let token = settings
        .jwt
        .issue(
            &form.username,
            &scopes,
            Duration::from_secs(settings.token_minutes * 60),
        )
        .map_err(|e| HttpError::internal(e.to_string()))?;
    Ok(Json(Token {
        access_token: token,
        token_type: "bearer".into(),
    }))
}

/// The current customer
#[get("/users/me", tags = ["auth"])]
pub async fn me(ferrapi::security::Auth(c): ferrapi::security::Auth<Customer>) -> Json<Me> {
    Json(Me {
        id: c.id,
        username: c.username,
        scopes: c.scopes,
    })
}
