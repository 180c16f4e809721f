//! Users (tag `users`, prefix `/users`). `/me` and `/signup` are declared
//! before `/{user_id}`, as in the template.

use ferroapi::security::OAuth2PasswordBearer;
use ferroapi::{
    delete, get, patch, post, APIRouter, BackgroundTasks, Depends, Json, Path, Query, State,
};
use uuid::Uuid;

use crate::db::{now, UserRow};
use crate::deps::{current_superuser, current_user};
use crate::models::{
    Message, Patch, UpdatePassword, UserCreate, UserPublic, UserRegister, UserUpdate, UserUpdateMe,
    UsersPublic,
};
use crate::security::{self, Verified};
use crate::{http, public_user, ApiError, AppState};

/// A new user row.
pub async fn new_user(
    email: String,
    password: &str,
    full_name: Option<String>,
    is_active: bool,
    is_superuser: bool,
) -> Result<UserRow, security::Busy> {
    Ok(UserRow {
        id: Uuid::new_v4(),
        email,
        is_active,
        is_superuser,
        full_name,
        hashed_password: security::hash(password).await?,
        created_at: Some(now()),
    })
}

/// Retrieve users.
#[get("/", tags = ["users"], dependencies = [current_superuser])]
async fn read_users(
    State(state): State<AppState>,
    #[param(default = 0, ge = 0)] skip: Query<i64>,
    #[param(default = 100, ge = 0)] limit: Query<i64>,
) -> Result<Json<UsersPublic>, ApiError> {
    let (rows, count) = state.db.list_users(skip.0, limit.0).await?;
    Ok(Json(UsersPublic {
        data: rows.into_iter().map(public_user).collect(),
        count,
    }))
}

/// Create new user.
#[post("/", tags = ["users"], dependencies = [current_superuser])]
async fn create_user(
    State(state): State<AppState>,
    body: Json<UserCreate>,
    tasks: BackgroundTasks,
) -> Result<Json<UserPublic>, ApiError> {
    let u = body.0;
    if state.db.user_by_email(&u.email).await?.is_some() {
        return Err(http(
            400,
            "The user with this email already exists in the system.",
        ));
    }
    let row = new_user(
        u.email.into_string(),
        &u.password,
        u.full_name,
        u.is_active,
        u.is_superuser,
    )
    .await?;
    state.db.insert_user(&row).await.map_err(|e| match e {
        crate::db::DbError::Conflict => http(
            400,
            "The user with this email already exists in the system.",
        ),
        e => e.into(),
    })?;
    if state.settings.emails_enabled() {
        let settings = state.settings.clone();
        let (to, password) = (row.email.clone(), u.password);
        tasks.add(async move {
            let mail = crate::email::new_account_email(&settings, &to, &password);
            crate::email::send_email(&settings, &to, &mail).await;
        });
    }
    Ok(Json(public_user(row)))
}

/// Get current user.
#[get("/me", tags = ["users"])]
async fn read_user_me(Depends(user): Depends<current_user>) -> Json<UserPublic> {
    Json(public_user(user))
}

/// Delete own user.
#[delete("/me", tags = ["users"])]
async fn delete_user_me(
    State(state): State<AppState>,
    Depends(user): Depends<current_user>,
) -> Result<Json<Message>, ApiError> {
    if user.is_superuser {
        return Err(http(
            403,
            "Super users are not allowed to delete themselves",
        ));
    }
    state.db.delete_user(user.id).await?;
    Ok(Message::new("User deleted successfully"))
}

fn email_null() -> ApiError {
    crate::null_field("email")
}

/// Moves the user to `email` unless another user has it.
async fn take_email(state: &AppState, user: &mut UserRow, email: String) -> Result<(), ApiError> {
    if let Some(other) = state.db.user_by_email(&email).await? {
        if other.id != user.id {
            return Err(http(409, "User with this email already exists"));
        }
    }
    user.email = email;
    Ok(())
}

/// Writes a user back, a taken email answering 409.
async fn save(state: &AppState, user: &UserRow) -> Result<(), ApiError> {
    state.db.update_user(user).await.map_err(|e| match e {
        crate::db::DbError::Conflict => http(409, "User with this email already exists"),
        e => e.into(),
    })
}

/// Update own user.
#[patch("/me", tags = ["users"])]
async fn update_user_me(
    State(state): State<AppState>,
    Depends(mut user): Depends<current_user>,
    body: Json<UserUpdateMe>,
) -> Result<Json<UserPublic>, ApiError> {
    let body = body.0;
    match body.email {
        Patch::Absent => {}
        Patch::Null => return Err(email_null()),
        Patch::Value(e) => take_email(&state, &mut user, e.into_string()).await?,
    }
    if let Some(name) = body.full_name.sent() {
        user.full_name = name;
    }
    save(&state, &user).await?;
    Ok(Json(public_user(user)))
}

/// Update own password.
#[patch("/me/password", tags = ["users"])]
async fn update_password_me(
    State(state): State<AppState>,
    Depends(mut user): Depends<current_user>,
    token: OAuth2PasswordBearer<crate::deps::Login>,
    body: Json<UpdatePassword>,
) -> Result<Json<Message>, ApiError> {
    // One place in the hashing queue for both hashes.
    let place = security::Place::take().await?;
    if place
        .verify(&body.current_password, &user.hashed_password)
        .await?
        == Verified::No
    {
        return Err(http(400, "Incorrect password"));
    }
    if body.current_password == body.new_password {
        return Err(http(
            400,
            "New password cannot be the same as the current one",
        ));
    }
    user.hashed_password = place.hash(&body.new_password).await?;
    drop(place);
    save(&state, &user).await?;
    // Older sessions end; this one (and any opened since) goes on.
    let issued = security::decode_access_claims(&state.settings.secret_key, token.token())
        .map(|(_, exp)| security::issued_at(exp, &state.settings));
    security::password_changed(&state, user.id, issued).await?;
    Ok(Message::new("Password updated successfully"))
}

/// Create new user without the need to be logged in.
#[post("/signup", tags = ["users"])]
async fn register_user(
    State(state): State<AppState>,
    body: Json<UserRegister>,
) -> Result<Json<UserPublic>, ApiError> {
    let u = body.0;
    let exists = || http(400, "The user with this email already exists in the system");
    if state.db.user_by_email(&u.email).await?.is_some() {
        return Err(exists());
    }
    let row = new_user(u.email.into_string(), &u.password, u.full_name, true, false).await?;
    state.db.insert_user(&row).await.map_err(|e| match e {
        crate::db::DbError::Conflict => exists(),
        e => e.into(),
    })?;
    Ok(Json(public_user(row)))
}

/// Get a specific user by id.
#[get("/{user_id}", tags = ["users"])]
async fn read_user_by_id(
    State(state): State<AppState>,
    user_id: Path<Uuid>,
    Depends(current): Depends<current_user>,
) -> Result<Json<UserPublic>, ApiError> {
    let user = state.db.user_by_id(user_id.0).await?;
    if user.as_ref().is_some_and(|u| u.id == current.id) {
        return Ok(Json(public_user(current)));
    }
    if !current.is_superuser {
        return Err(http(403, "The user doesn't have enough privileges"));
    }
    let user = user.ok_or_else(|| http(404, "User not found"))?;
    Ok(Json(public_user(user)))
}

/// Update a user.
#[patch("/{user_id}", tags = ["users"], dependencies = [current_superuser])]
async fn update_user(
    State(state): State<AppState>,
    user_id: Path<Uuid>,
    body: Json<UserUpdate>,
) -> Result<Json<UserPublic>, ApiError> {
    let mut user = state
        .db
        .user_by_id(user_id.0)
        .await?
        .ok_or_else(|| http(404, "The user with this id does not exist in the system"))?;
    let body = body.0;
    match body.email {
        Patch::Absent => {}
        Patch::Null => return Err(email_null()),
        Patch::Value(e) => take_email(&state, &mut user, e.into_string()).await?,
    }
    if let Some(Some(v)) = body.is_active.sent() {
        user.is_active = v;
    }
    if let Some(Some(v)) = body.is_superuser.sent() {
        user.is_superuser = v;
    }
    if let Some(name) = body.full_name.sent() {
        user.full_name = name;
    }
    let mut changed = false;
    if let Some(Some(password)) = body.password.sent() {
        user.hashed_password = security::hash(&password).await?;
        changed = true;
    }
    save(&state, &user).await?;
    if changed {
        security::password_changed(&state, user.id, None).await?;
    }
    Ok(Json(public_user(user)))
}

/// Delete a user.
#[delete("/{user_id}", tags = ["users"], dependencies = [current_superuser])]
async fn delete_user(
    State(state): State<AppState>,
    Depends(current): Depends<current_user>,
    user_id: Path<Uuid>,
) -> Result<Json<Message>, ApiError> {
    let user = state
        .db
        .user_by_id(user_id.0)
        .await?
        .ok_or_else(|| http(404, "User not found"))?;
    if user.id == current.id {
        return Err(http(
            403,
            "Super users are not allowed to delete themselves",
        ));
    }
    state.db.delete_user(user.id).await?;
    Ok(Message::new("User deleted successfully"))
}

/// The router, its routes in the template's order: the first route of a
/// path names the methods a 405 allows (`PUT /users/me` allows `PATCH`, the
/// template's first `/me` route; found by `apps/fullstack/scripts/template-port`).
pub fn router() -> APIRouter<AppState> {
    APIRouter::new()
        .prefix("/users")
        .route(read_users)
        .route(create_user)
        .route(update_user_me)
        .route(update_password_me)
        .route(read_user_me)
        .route(delete_user_me)
        .route(register_user)
        .route(read_user_by_id)
        .route(update_user)
        .route(delete_user)
}
