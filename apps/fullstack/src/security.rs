//! Passwords and tokens, as the template makes them: argon2id PHC strings
//! with argon2-cffi's parameters (bcrypt hashes accepted, and upgraded on
//! login), HS256 JWTs with exactly `exp` and `sub`.

use std::sync::OnceLock;

use chrono::Utc;
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

pub use crate::hashing::{Busy, Place, Verified};

impl From<Busy> for crate::ApiError {
    fn from(_: Busy) -> Self {
        crate::unavailable()
    }
}

/// A new argon2id PHC string for `password`, in a place of its own in the
/// hashing queue (see `hashing`).
pub async fn hash(password: &str) -> Result<String, Busy> {
    Place::take().await?.hash(password).await
}

/// Checks `password` against an argon2 or bcrypt hash, in a place of its
/// own in the hashing queue.
pub async fn verify(password: &str, hash: &str) -> Result<Verified, Busy> {
    Place::take().await?.verify(password, hash).await
}

/// A fixed argon2 hash to verify against when the email is unknown, so an
/// unknown email costs as much time as a wrong password. Made at start-up,
/// where it also gives the hashing queue its first timing.
pub fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| crate::hashing::hash_now("a password nobody has"))
}

/// An access token's claims: exactly these two.
#[derive(Debug, Serialize, Deserialize)]
struct AccessClaims {
    exp: i64,
    sub: String,
}

/// A signed access token for the user `sub`, valid `minutes`.
pub fn create_access_token(secret: &str, sub: &str, minutes: i64) -> String {
    let claims = AccessClaims {
        exp: Utc::now().timestamp() + minutes * 60,
        sub: sub.to_string(),
    };
    jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap_or_default()
}

/// The `sub` of a valid access token (signature and expiry checked, no
/// leeway, as PyJWT).
pub fn decode_access_token(secret: &str, token: &str) -> Option<String> {
    decode_access_claims(secret, token).map(|(sub, _)| sub)
}

/// The `sub` and `exp` of a valid access token. (The token carries no
/// `iat`, as the template's: the second it was issued is `exp` less the
/// configured lifetime.)
pub fn decode_access_claims(secret: &str, token: &str) -> Option<(String, i64)> {
    let mut v = Validation::new(jsonwebtoken::Algorithm::HS256);
    v.leeway = 0;
    v.required_spec_claims.clear();
    v.required_spec_claims.insert("exp".into());
    jsonwebtoken::decode::<serde_json::Value>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &v,
    )
    .ok()
    .and_then(|d| {
        let sub = d.claims.get("sub").and_then(|s| s.as_str())?;
        let exp = d
            .claims
            .get("exp")
            .and_then(|e| e.as_i64().or_else(|| e.as_f64().map(|f| f.floor() as i64)))?;
        Some((sub.to_string(), exp))
    })
}

/// A password-reset token's claims: `exp` and `nbf` may be floats (the
/// Python backend writes `datetime.timestamp()`).
#[derive(Debug, Serialize, Deserialize)]
struct ResetClaims {
    exp: f64,
    nbf: f64,
    sub: String,
}

/// A password-reset token for `email`, valid `hours`. Its `nbf` is the
/// moment it was made, to the microsecond (a float, as the Python backend
/// writes `datetime.timestamp()`): a password change after it spends it.
pub fn create_reset_token(secret: &str, email: &str, hours: i64) -> String {
    let micros = Utc::now().timestamp_micros();
    let now = micros.div_euclid(1_000_000);
    let claims = ResetClaims {
        exp: (now + hours * 3600) as f64,
        nbf: micros as f64 / 1e6,
        sub: email.to_string(),
    };
    jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap_or_default()
}

/// The email of a valid reset token (signature, `exp`, `nbf`).
pub fn verify_reset_token(secret: &str, token: &str) -> Option<String> {
    verify_reset_claims(secret, token).map(|(email, _)| email)
}

/// The email of a valid reset token and when it was made (its `nbf`, in
/// microseconds since the epoch).
pub fn verify_reset_claims(secret: &str, token: &str) -> Option<(String, i64)> {
    let mut v = Validation::new(jsonwebtoken::Algorithm::HS256);
    // Checked here instead: the claims may be floats.
    v.validate_exp = false;
    v.validate_nbf = false;
    v.required_spec_claims.clear();
    let data = jsonwebtoken::decode::<ResetClaims>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &v,
    )
    .ok()?;
    let now = Utc::now().timestamp_micros() as f64 / 1e6;
    let made = (data.claims.nbf * 1e6).round() as i64;
    (data.claims.exp > now && data.claims.nbf <= now).then_some((data.claims.sub, made))
}

/// Records that `user`'s password changed now: reset tokens made before
/// are spent, and access tokens issued before `keep_from` (a second; now
/// when `None`) are void. A user changing their own password keeps the
/// token they did it with, and those issued after it.
pub async fn password_changed(
    state: &crate::AppState,
    user: uuid::Uuid,
    keep_from: Option<i64>,
) -> Result<(), crate::ApiError> {
    let now = Utc::now();
    let after = keep_from.unwrap_or(now.timestamp());
    state
        .db
        .set_stamp(user, now.timestamp_micros(), after)
        .await?;
    Ok(())
}

/// The second an access token with this `exp` was issued.
pub fn issued_at(exp: i64, settings: &crate::config::Settings) -> i64 {
    exp - settings.access_token_expire_minutes * 60
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    #[test]
    fn argon2_hashes_have_argon2_cffi_parameters() {
        let h = crate::hashing::hash_with("secret-password", &mut Vec::new());
        assert!(h.starts_with("$argon2id$v=19$m=65536,t=3,p=4$"), "{h}");
        let parts: Vec<&str> = h.split('$').collect();
        let b64 = base64::engine::general_purpose::STANDARD_NO_PAD;
        assert_eq!(b64.decode(parts[4]).unwrap().len(), 16);
        assert_eq!(b64.decode(parts[5]).unwrap().len(), 32);
        assert_eq!(
            crate::hashing::verify_with("secret-password", &h, &mut Vec::new()),
            Verified::Yes
        );
        assert_eq!(
            crate::hashing::verify_with("wrong-password", &h, &mut Vec::new()),
            Verified::No
        );
    }

    #[test]
    fn bcrypt_hashes_verify_and_ask_for_a_rehash() {
        let h = bcrypt::hash("old-password", 4).unwrap();
        assert_eq!(
            crate::hashing::verify_with("old-password", &h, &mut Vec::new()),
            Verified::YesRehash
        );
        assert_eq!(
            crate::hashing::verify_with("nope", &h, &mut Vec::new()),
            Verified::No
        );
        assert_eq!(
            crate::hashing::verify_with("x", "not a hash", &mut Vec::new()),
            Verified::No
        );
    }

    #[test]
    fn access_tokens_carry_exactly_exp_and_sub() {
        let t = create_access_token("k", "user-id", 5);
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut parts = t.split('.');
        let header: serde_json::Value =
            serde_json::from_slice(&b64.decode(parts.next().unwrap()).unwrap()).unwrap();
        assert_eq!(header, serde_json::json!({"typ": "JWT", "alg": "HS256"}));
        let claims: serde_json::Value =
            serde_json::from_slice(&b64.decode(parts.next().unwrap()).unwrap()).unwrap();
        let keys: Vec<&String> = claims.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["exp", "sub"]);
        assert_eq!(decode_access_token("k", &t).as_deref(), Some("user-id"));
        assert_eq!(decode_access_token("other", &t), None);
        assert_eq!(
            decode_access_token("k", &create_access_token("k", "u", -1)),
            None
        );
    }

    #[test]
    fn reset_tokens_accept_float_claims() {
        let t = create_reset_token("k", "a@b.com", 48);
        assert_eq!(verify_reset_token("k", &t).as_deref(), Some("a@b.com"));
        assert_eq!(
            verify_reset_token("k", &create_reset_token("k", "a@b.com", -1)),
            None
        );
        // As the Python backend writes it: float exp.
        let now = Utc::now().timestamp() as f64;
        let py = jsonwebtoken::encode(
            &Header::default(),
            &serde_json::json!({"exp": now + 3600.5, "nbf": now as i64, "sub": "p@y.org"}),
            &EncodingKey::from_secret(b"k"),
        )
        .unwrap();
        assert_eq!(verify_reset_token("k", &py).as_deref(), Some("p@y.org"));
    }
}
