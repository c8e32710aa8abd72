//! FastAPI conformance, app 18 (`tests/conformance/fastapi/apps/18_oauth2_jwt.py`):
//! the OAuth2 password flow: `/token` reads `OAuth2PasswordRequestForm` and issues HS256
//! JWTs, `/users/me` needs a valid token of an active account. Expired, forged and
//! garbage tokens, another scheme, a disabled account.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use ferrapi::extract::AppState;
use ferrapi::prelude::*;
use ferrapi::security::password::{hash_password_blocking, verify_password};
use ferrapi::security::{
    Auth, Authenticate, Claims, Jwt, JwtError, OAuth2Config, OAuth2PasswordBearer,
    OAuth2PasswordRequestForm,
};
use ferrapi_tests::conformance::SpecOptions;
use serde_json::{json, Value};

const APP: &str = "18_oauth2_jwt";

/// The app's secret: the recorded tokens were signed with it.
const SECRET_KEY: &[u8] = b"peer-corpus-hs256-secret-0123456789abcdef";
const TOKEN_TTL: Duration = Duration::from_secs(1800);

/// `OAuth2PasswordBearer(tokenUrl="token")`.
struct Oauth;
impl OAuth2Config for Oauth {
    const TOKEN_URL: &'static str = "token";
}

#[model]
struct Token {
    access_token: String,
    token_type: String,
}

#[model]
#[derive(Clone)]
struct Account {
    username: String,
    email: Option<String>,
    full_name: Option<String>,
    #[field(default = false)]
    disabled: bool,
}

#[derive(Clone)]
struct Accounts {
    jwt: Jwt,
    /// Each account with its password hash.
    by_name: Arc<HashMap<String, (Account, String)>>,
}

impl Accounts {
    fn new() -> Self {
        let account =
            |name: &str, full_name: Option<&str>, email: Option<&str>, disabled| Account {
                username: name.into(),
                email: email.map(String::from),
                full_name: full_name.map(String::from),
                disabled,
            };
        let seed = [
            (
                account(
                    "alice",
                    Some("Alice Liddell"),
                    Some("alice@example.com"),
                    false,
                ),
                "wonderland",
            ),
            (account("mallory", None, None, true), "sneaky"),
        ];
        let by_name = seed
            .into_iter()
            .map(|(a, pw)| {
                let hash = hash_password_blocking(pw).expect("hashing a password");
                (a.username.clone(), (a, hash))
            })
            .collect();
        Accounts {
            jwt: Jwt::hs256(SECRET_KEY),
            by_name: Arc::new(by_name),
        }
    }
}

fn bearer_error(detail: &str) -> HttpError {
    HttpError::unauthorized(detail).with_header("www-authenticate", "Bearer")
}

/// FastAPI's `current_account` dependency.
impl Authenticate for Account {
    type Credentials = OAuth2PasswordBearer<Oauth>;

    async fn authenticate(token: Self::Credentials, state: &AppState) -> Result<Self, HttpError> {
        let accounts = state.get::<Accounts>().expect("Accounts is registered");
        let claims: Claims = match accounts.jwt.verify(token.token()) {
            Ok(c) => c,
            Err(JwtError::Expired) => return Err(bearer_error("Token expired")),
            Err(_) => return Err(bearer_error("Could not validate credentials")),
        };
        match accounts.by_name.get(&claims.sub) {
            Some((account, _)) => Ok(account.clone()),
            None => Err(bearer_error("Could not validate credentials")),
        }
    }
}

/// FastAPI's `active_account` dependency.
struct Active(Account);

impl Authenticate for Active {
    type Credentials = OAuth2PasswordBearer<Oauth>;

    async fn authenticate(token: Self::Credentials, state: &AppState) -> Result<Self, HttpError> {
        let account = Account::authenticate(token, state).await?;
        if account.disabled {
            return Err(HttpError::bad_request("Inactive user"));
        }
        Ok(Active(account))
    }
}

#[post("/token")]
async fn issue_token(
    accounts: State<Accounts>,
    form: OAuth2PasswordRequestForm,
) -> Result<Json<Token>, HttpError> {
    let known = accounts.by_name.get(&form.username);
    let verified = match known {
        Some((_, hash)) => verify_password(&form.password, hash).await,
        None => false,
    };
    if !verified {
        return Err(bearer_error("Incorrect username or password"));
    }
    let access_token = accounts
        .jwt
        .issue(&form.username, &[], TOKEN_TTL)
        .map_err(|e| HttpError::internal(e.to_string()))?;
    Ok(Json(Token {
        access_token,
        token_type: "bearer".into(),
    }))
}

#[get("/users/me")]
async fn read_me(Auth(Active(account)): Auth<Active>) -> Json<Account> {
    Json(account)
}

#[get("/users/me/items")]
async fn read_my_items(Auth(Active(account)): Auth<Active>) -> Json<Value> {
    Json(json!([{"item_id": "lamp", "owner": account.username}]))
}

fn app() -> App {
    App::new()
        .state(Accounts::new())
        .routes(routes![issue_token, read_me, read_my_items])
}

ferrapi_tests::conformance_tests!(SpecOptions::with_metadata());
