//! Utilities (tag `utils`, prefix `/utils`).

use ferroapi::{get, post, APIRouter, EmailStr, Json, Query, State};

use crate::deps::current_superuser;
use crate::models::Message;
use crate::{ApiError, AppState};

/// Test emails.
#[post("/test-email/", tags = ["utils"], status_code = 201, dependencies = [current_superuser])]
async fn test_email(
    State(state): State<AppState>,
    email_to: Query<EmailStr>,
) -> Result<Json<Message>, ApiError> {
    let s = &state.settings;
    if !s.emails_enabled() {
        // As the template: mail is not configured, the test cannot pass.
        return Err(ApiError::Internal("email is not configured".into()));
    }
    let mail = crate::email::test_email(s, &email_to.0);
    crate::email::send_email(s, &email_to.0, &mail).await;
    Ok(Message::new("Test email sent"))
}

#[get("/health-check/", tags = ["utils"])]
async fn health_check() -> Json<bool> {
    Json(true)
}

/// The router.
pub fn router() -> APIRouter<AppState> {
    APIRouter::new()
        .prefix("/utils")
        .route(test_email)
        .route(health_check)
}
