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

/// The user behind the bearer token.
#[dependency]
pub async fn current_user(
    State(state): State<AppState>,
    token: OAuth2PasswordBearer<Login>,
) -> Result<UserRow, ApiError> {
    let (sub, exp) =
        crate::security::decode_access_claims(&state.settings.secret_key, token.token())
            .ok_or_else(|| http(403, "Could not validate credentials"))?;
    // A `sub` that is not a user id (a reset token's email, say) is a bad
    // token, not a server error (DEVIATIONS.md).
    let id = Uuid::parse_str(&sub).map_err(|_| http(403, "Could not validate credentials"))?;
    let (user, tokens_after) = state
        .db
        .user_for_token(id)
        .await?
        .ok_or_else(|| http(404, "User not found"))?;
    // Issued before the password last changed: void.
    if tokens_after.is_some_and(|after| crate::security::issued_at(exp, &state.settings) < after) {
        return Err(http(403, "Could not validate credentials"));
    }
    if !user.is_active {
        return Err(http(400, "Inactive user"));
    }
    Ok(user)
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
