//! Failed logins, counted per account and per client address in the
//! database (so every replica of a fleet sees the same counts): past a
//! threshold no honest user meets, logins under that key answer 429 with
//! `Retry-After` until the window that began with the first failure ends.
//! A throttled attempt costs no password hash.

use ferroapi::HTTPException;

use crate::{ApiError, AppState};

/// The keys one login attempt is counted under.
#[derive(Debug)]
pub struct Attempt {
    account: String,
    address: Option<String>,
    /// The account had failures in its window (a success clears them).
    account_failed: bool,
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn too_many(retry_after: i64) -> ApiError {
    ApiError::Http(
        HTTPException::new(429, "Too many failed logins; try again later")
            .header("retry-after", retry_after.max(1).to_string()),
    )
}

impl Attempt {
    /// The attempt to log in as `email` from `address`: refused (429) when
    /// either is throttled. One query for both keys.
    pub async fn check(
        state: &AppState,
        email: &str,
        address: Option<std::net::IpAddr>,
    ) -> Result<Attempt, ApiError> {
        let account = format!("account:{}", email.to_lowercase());
        let address = address.map(|a| format!("address:{a}"));
        let s = &state.settings;
        let window = s.login_failure_window_seconds;
        let since = now() - window;
        let rows = state
            .db
            .failures(&account, address.as_deref().unwrap_or(&account), since)
            .await?;
        let mut account_failed = false;
        for (key, n, started) in rows {
            let limit = if key == account {
                account_failed = true;
                s.login_max_failures
            } else {
                s.login_max_failures_per_address
            };
            if n >= limit {
                return Err(too_many(started + window - now()));
            }
        }
        Ok(Attempt {
            account,
            address,
            account_failed,
        })
    }

    /// The password was wrong: counted under both keys, and windows that
    /// ended are swept (failures are what grows the table).
    pub async fn failed(&self, state: &AppState) -> Result<(), ApiError> {
        let t = now();
        let since = t - state.settings.login_failure_window_seconds;
        state.db.record_failure(&self.account, t, since).await?;
        if let Some(a) = &self.address {
            state.db.record_failure(a, t, since).await?;
        }
        state.db.sweep_failures(since).await?;
        Ok(())
    }

    /// The password was right: the account's failures, if it had any, are
    /// forgotten (the address's are not: one good account must not clear a
    /// spray). A login with no failures behind it writes nothing.
    pub async fn succeeded(&self, state: &AppState) -> Result<(), ApiError> {
        if self.account_failed {
            state.db.clear_failures(&self.account).await?;
        }
        Ok(())
    }
}
