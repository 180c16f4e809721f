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
    /// either is throttled.
    pub async fn check(
        state: &AppState,
        email: &str,
        address: Option<std::net::IpAddr>,
    ) -> Result<Attempt, ApiError> {
        let attempt = Attempt {
            account: format!("account:{}", email.to_lowercase()),
            address: address.map(|a| format!("address:{a}")),
        };
        let s = &state.settings;
        let window = s.login_failure_window_seconds;
        let since = now() - window;
        let limits = [
            (Some(&attempt.account), s.login_max_failures),
            (attempt.address.as_ref(), s.login_max_failures_per_address),
        ];
        for (key, limit) in limits {
            let Some(key) = key else { continue };
            if let Some((n, started)) = state.db.failures(key, since).await? {
                if n >= limit {
                    return Err(too_many(started + window - now()));
                }
            }
        }
        Ok(attempt)
    }

    /// The password was wrong: counted under both keys.
    pub async fn failed(&self, state: &AppState) -> Result<(), ApiError> {
        let t = now();
        let since = t - state.settings.login_failure_window_seconds;
        state.db.record_failure(&self.account, t, since).await?;
        if let Some(a) = &self.address {
            state.db.record_failure(a, t, since).await?;
        }
        Ok(())
    }

    /// The password was right: the account's failures are forgotten (the
    /// address's are not: one good account must not clear a spray).
    pub async fn succeeded(&self, state: &AppState) -> Result<(), ApiError> {
        let since = now() - state.settings.login_failure_window_seconds;
        state.db.clear_failures(&self.account, since).await?;
        Ok(())
    }
}
