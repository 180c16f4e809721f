//! Login, token test, password recovery and reset (tag `login`).

use ferroapi::security::OAuth2PasswordRequestForm;
use ferroapi::{
    post, APIRouter, BackgroundTasks, ClientAddr, Depends, Html, Json, Path, ResponseHeaders, State,
};

use crate::db::UserRow;
use crate::deps::{current_superuser, current_user};
use crate::models::{Message, NewPassword, Token, UserPublic};
use crate::security::{self, Place, Verified};
use crate::{http, public_user, refuse_nul, ApiError, AppState};

/// The user with this email and password, or `None`, hashed in `place`.
/// An unknown email still costs one hash verification (the timing guard); a
/// bcrypt hash is replaced by argon2 on success.
pub async fn authenticate(
    state: &AppState,
    place: &Place,
    email: &str,
    password: &str,
) -> Result<Option<UserRow>, ApiError> {
    let Some(mut user) = state.db.user_by_email(email).await? else {
        place.verify(password, security::dummy_hash()).await?;
        return Ok(None);
    };
    match place.verify(password, &user.hashed_password).await? {
        Verified::No => Ok(None),
        Verified::Yes => Ok(Some(user)),
        Verified::YesRehash => {
            user.hashed_password = place.hash(password).await?;
            state.db.update_user(&user).await?;
            Ok(Some(user))
        }
    }
}

/// OAuth2 compatible token login, get an access token for future requests
#[post("/login/access-token", tags = ["login"])]
async fn login_access_token(
    State(state): State<AppState>,
    form: OAuth2PasswordRequestForm,
    client: ClientAddr,
) -> Result<Json<Token>, ApiError> {
    refuse_nul(&["body", "username"], &form.username)?;
    // A place in the hashing queue first: a login refused for capacity
    // costs no database work.
    let place = Place::take().await?;
    // Throttled accounts and addresses answer 429 before any hashing.
    let attempt = crate::throttle::Attempt::check(&state, &form.username, client.0).await?;
    let Some(user) = authenticate(&state, &place, &form.username, &form.password).await? else {
        attempt.failed(&state).await?;
        return Err(http(400, "Incorrect email or password"));
    };
    attempt.succeeded(&state).await?;
    if !user.is_active {
        return Err(http(400, "Inactive user"));
    }
    let s = &state.settings;
    Ok(Json(Token {
        access_token: security::create_access_token(
            &s.secret_key,
            &user.id.to_string(),
            s.access_token_expire_minutes,
        ),
        token_type: "bearer".into(),
    }))
}

/// Test access token
#[post("/login/test-token", tags = ["login"])]
async fn test_token(Depends(user): Depends<current_user>) -> Json<UserPublic> {
    Json(public_user(user))
}

/// Password Recovery
#[post("/password-recovery/{email}", tags = ["login"])]
async fn recover_password(
    State(state): State<AppState>,
    email: Path<String>,
    tasks: BackgroundTasks,
) -> Result<Json<Message>, ApiError> {
    refuse_nul(&["path", "email"], &email.0)?;
    // The answer takes the same time whether the email is registered: the
    // token, the mail and the SMTP conversation happen after it is sent.
    if let Some(user) = state.db.user_by_email(&email.0).await? {
        tasks.add(async move {
            let s = &state.settings;
            let token = security::create_reset_token(
                &s.secret_key,
                &user.email,
                s.email_reset_token_expire_hours,
            );
            let mail = crate::email::reset_password_email(s, &user.email, &token);
            // Not configured or refused: logged (DEVIATIONS.md).
            crate::email::send_email(s, &user.email, &mail).await;
        });
    }
    Ok(Message::new(
        "If that email is registered, we sent a password recovery link",
    ))
}

/// Reset password
#[post("/reset-password/", tags = ["login"])]
async fn reset_password(
    State(state): State<AppState>,
    body: Json<NewPassword>,
) -> Result<Json<Message>, ApiError> {
    let (email, made) = security::verify_reset_claims(&state.settings.secret_key, &body.token)
        .ok_or_else(|| http(400, "Invalid token"))?;
    let mut user = state
        .db
        .user_by_email(&email)
        .await?
        .ok_or_else(|| http(400, "Invalid token"))?;
    // A token is spent once the password changed after it was made (by
    // this token or otherwise).
    if let Some((changed, _)) = state.db.stamp(user.id).await? {
        if changed >= made {
            return Err(http(400, "Invalid token"));
        }
    }
    if !user.is_active {
        return Err(http(400, "Inactive user"));
    }
    user.hashed_password = security::hash(&body.new_password).await?;
    state.db.update_user(&user).await?;
    // Every access token issued before now is void as well.
    crate::security::password_changed(&state, user.id, None).await?;
    Ok(Message::new("Password updated successfully"))
}

/// HTML Content for Password Recovery
#[post(
    "/password-recovery-html-content/{email}",
    tags = ["login"],
    dependencies = [current_superuser]
)]
async fn recover_password_html_content(
    State(state): State<AppState>,
    email: Path<String>,
) -> Result<(ResponseHeaders, Html<String>), ApiError> {
    refuse_nul(&["path", "email"], &email.0)?;
    let user = state.db.user_by_email(&email.0).await?.ok_or_else(|| {
        http(
            404,
            "The user with this username does not exist in the system.",
        )
    })?;
    let s = &state.settings;
    let token =
        security::create_reset_token(&s.secret_key, &user.email, s.email_reset_token_expire_hours);
    let mail = crate::email::reset_password_email(s, &user.email, &token);
    // The template names this header `subject:`, which no server can send;
    // `subject` it is (DEVIATIONS.md).
    let headers = ResponseHeaders::new().header("subject", &mail.subject);
    Ok((headers, Html(mail.html)))
}

/// The router.
pub fn router() -> APIRouter<AppState> {
    APIRouter::new()
        .route(login_access_token)
        .route(test_token)
        .route(recover_password)
        .route(reset_password)
        .route(recover_password_html_content)
}
