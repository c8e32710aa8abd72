//! Password hashing with Argon2id (the `argon2` crate, PHC string format).
//!
//! ```
//! use ferrapi::security::password::{hash_password, verify_password};
//!
//! let hash = hash_password("wonderland").unwrap();
//! assert!(hash.starts_with("$argon2id$"));
//! assert!(verify_password("wonderland", &hash));
//! assert!(!verify_password("looking-glass", &hash));
//! assert!(!verify_password("wonderland", "not a hash"));
//! ```

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;

/// Hashes a password with a fresh random salt (Argon2id, the crate's recommended parameters).
pub fn hash_password(password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Checks a password against a stored hash (in constant time); a malformed hash never matches.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}
