//! The template's `get_current_user` and `get_current_active_superuser`,
//! in its order: 401 without a bearer token, 403 for a token that does not
//! verify, 404 for a user that is gone, 400 for an inactive one.

use ferroapi::security::{OAuth2Config, OAuth2PasswordBearer};
use ferroapi::{dependency, Depends, State};
use uuid::Uuid;

use crate::db::UserRow;
use crate::{http, ApiError, AppState};

/// The token URL the document announces.
#[derive(Debug)]
pub struct Login;

impl OAuth2Config for Login {
    const TOKEN_URL: &'static str = "/api/v1/login/access-token";
}

/// The user id and expiry a bearer token carries: 401 without one, 403
/// when it does not verify.
#[dependency]
pub async fn token_claims(
    State(state): State<AppState>,
    token: OAuth2PasswordBearer<Login>,
) -> Result<Claims, ApiError> {
    let (sub, exp) =
        crate::security::decode_access_claims(&state.settings.secret_key, token.token())
            .ok_or_else(|| http(403, "Could not validate credentials"))?;
    // A `sub` that is not a user id (a reset token's email, say) is a bad
    // token, not a server error (DEVIATIONS.md).
    let id = Uuid::parse_str(&sub).map_err(|_| http(403, "Could not validate credentials"))?;
    Ok(Claims { id, exp })
}

/// What a verified access token says.
#[derive(Debug, Clone, Copy)]
pub struct Claims {
    /// The user's id (`sub`).
    pub id: Uuid,
    /// When it expires (seconds since the epoch).
    pub exp: i64,
}

impl Claims {
    /// When it was issued, as the credential stamp compares it.
    pub fn issued_at(&self, state: &AppState) -> i64 {
        crate::security::issued_at(self.exp, &state.settings)
    }
}

/// The user behind the bearer token.
#[dependency]
pub async fn current_user(
    State(state): State<AppState>,
    Depends(claims): Depends<token_claims>,
) -> Result<UserRow, ApiError> {
    user_for(&state, claims).await
}

/// The user the claims name: 404 when gone, 403 for a token issued before
/// the password last changed, 400 when inactive (the template's order).
pub async fn user_for(state: &AppState, claims: Claims) -> Result<UserRow, ApiError> {
    let (user, tokens_after) = state
        .db
        .user_for_token(claims.id)
        .await?
        .ok_or_else(|| http(404, "User not found"))?;
    admit(state, claims, tokens_after, user.is_active)?;
    Ok(user)
}

/// `current_user`'s checks of a user that exists: 403 for a token issued
/// before the password last changed, then 400 when inactive.
pub fn admit(
    state: &AppState,
    claims: Claims,
    tokens_after: Option<i64>,
    is_active: bool,
) -> Result<(), ApiError> {
    // Issued before the password last changed: void.
    if tokens_after.is_some_and(|after| claims.issued_at(state) < after) {
        return Err(http(403, "Could not validate credentials"));
    }
    if !is_active {
        return Err(http(400, "Inactive user"));
    }
    Ok(())
}

/// The current user, if a superuser.
#[dependency]
pub async fn current_superuser(Depends(user): Depends<current_user>) -> Result<UserRow, ApiError> {
    if user.is_superuser {
        Ok(user)
    } else {
        Err(http(403, "The user doesn't have enough privileges"))
    }
}
