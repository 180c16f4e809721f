//! Development-only routes (tag `private`, prefix `/private`): the
//! Playwright suite creates its users here.

use ferroapi::{post, APIRouter, Json, State};

use crate::models::{PrivateUserCreate, UserPublic};
use crate::routes::users::new_user;
use crate::{http, public_user, ApiError, AppState};

/// Create a new user.
#[post("/users/", tags = ["private"])]
async fn create_user(
    State(state): State<AppState>,
    user_in: Json<PrivateUserCreate>,
) -> Result<Json<UserPublic>, ApiError> {
    let u = user_in.0;
    let row = new_user(u.email, &u.password, Some(u.full_name), true, false).await?;
    // The template answers 500 here (no check); a 400 says what happened.
    state.db.insert_user(&row).await.map_err(|e| match e {
        crate::db::DbError::Conflict => {
            http(400, "The user with this email already exists in the system")
        }
        e => e.into(),
    })?;
    Ok(Json(public_user(row)))
}

/// The router.
pub fn router() -> APIRouter<AppState> {
    APIRouter::new().prefix("/private").route(create_user)
}
