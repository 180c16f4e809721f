//! Settings, read as the template reads them: the environment first, then
//! the `.env` file of the working directory; an empty variable counts as
//! unset (`env_ignore_empty`). Secrets left at "changethis" are refused
//! unless `FASTAPI_ENV=development`, where they only warn.

use std::collections::HashMap;

/// Why the settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A required variable has no value.
    #[error("{0} is required (set it in the environment or in .env)")]
    Missing(&'static str),
    /// A variable has a value that does not parse.
    #[error("{name} is not valid: {reason}")]
    Invalid {
        /// The variable.
        name: &'static str,
        /// Why.
        reason: String,
    },
    /// A secret is still "changethis" outside development.
    #[error("The value of {0} is \"changethis\", for security, please change it, at least for deployments.")]
    Changethis(&'static str),
}

/// SMTP settings; email is enabled when a host and a sender are set.
#[derive(Debug, Clone, Default)]
pub struct Smtp {
    /// Host.
    pub host: String,
    /// Port (587).
    pub port: u16,
    /// STARTTLS (true).
    pub tls: bool,
    /// Implicit TLS (false).
    pub ssl: bool,
    /// Login user.
    pub user: Option<String>,
    /// Login password.
    pub password: Option<String>,
    /// Sender address.
    pub from_email: String,
    /// Sender name (the project name by default).
    pub from_name: String,
}

/// The app's settings.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `FASTAPI_ENV=development`: `/private` routes, "changethis" allowed.
    pub development: bool,
    /// The OpenAPI title and the email subjects' prefix.
    pub project_name: String,
    /// The JWT signing key.
    pub secret_key: String,
    /// `sqlite://...` (default `sqlite://fullstack.db`) or `postgresql://...`.
    pub database_url: String,
    /// The API prefix (`/api/v1`).
    pub api_v1_str: String,
    /// Access-token lifetime in minutes (11520, 8 days).
    pub access_token_expire_minutes: i64,
    /// The frontend's origin: the CORS origin and the reset link's base.
    pub frontend_host: String,
    /// The first superuser, created at start-up when missing.
    pub first_superuser: String,
    /// Its password.
    pub first_superuser_password: String,
    /// Password-reset token lifetime in hours (48).
    pub email_reset_token_expire_hours: i64,
    /// Failed logins that throttle an account: past them, its logins answer
    /// 429 until the window ends (`LOGIN_MAX_FAILURES`, 20).
    pub login_max_failures: i64,
    /// Failed logins that throttle a client address
    /// (`LOGIN_MAX_FAILURES_PER_ADDRESS`, 100: many users may share one).
    pub login_max_failures_per_address: i64,
    /// The window failures are counted in, from the first, in seconds
    /// (`LOGIN_FAILURE_WINDOW_SECONDS`, 900).
    pub login_failure_window_seconds: i64,
    /// SMTP, when configured.
    pub smtp: Option<Smtp>,
    /// Where to listen.
    pub host: String,
    /// Port.
    pub port: u16,
    /// A built frontend to serve (with the SPA fallback), if any.
    pub frontend_dir: Option<String>,
    /// Where Prometheus metrics are served (`/metrics`); unset: not served.
    pub metrics_path: Option<String>,
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` or `..._TRACES_ENDPOINT` is set: traces
    /// are exported there.
    pub otlp_endpoint: bool,
}

/// The variables, environment over `.env`, empty values ignored.
#[derive(Debug, Default)]
pub struct Source(HashMap<String, String>);

impl Source {
    /// The process environment over `.env` in the working directory.
    pub fn from_env() -> Self {
        let mut map = HashMap::new();
        if let Ok(iter) = dotenvy::from_filename_iter(".env") {
            for (k, v) in iter.flatten() {
                map.insert(k, v);
            }
        }
        for (k, v) in std::env::vars() {
            map.insert(k, v);
        }
        map.retain(|_, v| !v.is_empty());
        Source(map)
    }

    /// Only these variables (tests); a later pair wins, an empty value unsets.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut map: HashMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.retain(|_, v| !v.is_empty());
        Source(map)
    }

    fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }

    fn required(&self, name: &'static str) -> Result<String, ConfigError> {
        self.get(name).ok_or(ConfigError::Missing(name))
    }

    fn parsed<T: std::str::FromStr>(&self, name: &'static str, default: T) -> Result<T, ConfigError>
    where
        T::Err: std::fmt::Display,
    {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v.trim().parse().map_err(|e: T::Err| ConfigError::Invalid {
                name,
                reason: e.to_string(),
            }),
        }
    }

    fn flag(&self, name: &'static str, default: bool) -> Result<bool, ConfigError> {
        match self.get(name).map(|v| v.trim().to_ascii_lowercase()) {
            None => Ok(default),
            Some(v) if ["1", "true", "yes", "on", "t", "y"].contains(&v.as_str()) => Ok(true),
            Some(v) if ["0", "false", "no", "off", "f", "n"].contains(&v.as_str()) => Ok(false),
            Some(v) => Err(ConfigError::Invalid {
                name,
                reason: format!("{v:?} is not a boolean"),
            }),
        }
    }
}

impl Settings {
    /// Reads and checks the settings.
    pub fn load(src: &Source) -> Result<Settings, ConfigError> {
        let development = match src.get("FASTAPI_ENV").as_deref() {
            None => false,
            Some("development") => true,
            Some(other) => {
                return Err(ConfigError::Invalid {
                    name: "FASTAPI_ENV",
                    reason: format!("only \"development\" is allowed, not {other:?}"),
                })
            }
        };
        let project_name = src.required("PROJECT_NAME")?;
        let database_url = src
            .get("DATABASE_URL")
            .unwrap_or_else(|| "sqlite://fullstack.db".to_string());
        let database_url = match database_url.strip_prefix("postgres://") {
            Some(rest) => format!("postgresql://{rest}"),
            None => database_url,
        };
        if !database_url.starts_with("sqlite:") && !database_url.starts_with("postgresql://") {
            return Err(ConfigError::Invalid {
                name: "DATABASE_URL",
                reason: "use sqlite://FILE or postgresql://...".into(),
            });
        }
        let smtp = match (src.get("SMTP_HOST"), src.get("EMAILS_FROM_EMAIL")) {
            (Some(host), Some(from_email)) => Some(Smtp {
                host,
                port: src.parsed("SMTP_PORT", 587)?,
                tls: src.flag("SMTP_TLS", true)?,
                ssl: src.flag("SMTP_SSL", false)?,
                user: src.get("SMTP_USER"),
                password: src.get("SMTP_PASSWORD"),
                from_email,
                from_name: src
                    .get("EMAILS_FROM_NAME")
                    .unwrap_or_else(|| project_name.clone()),
            }),
            _ => None,
        };
        let settings = Settings {
            development,
            project_name,
            secret_key: src.required("SECRET_KEY")?,
            database_url,
            api_v1_str: src.get("API_V1_STR").unwrap_or_else(|| "/api/v1".into()),
            access_token_expire_minutes: src.parsed("ACCESS_TOKEN_EXPIRE_MINUTES", 60 * 24 * 8)?,
            frontend_host: src
                .get("FRONTEND_HOST")
                .unwrap_or_else(|| "http://localhost:5173".into()),
            first_superuser: src.required("FIRST_SUPERUSER")?,
            first_superuser_password: src.required("FIRST_SUPERUSER_PASSWORD")?,
            email_reset_token_expire_hours: src.parsed("EMAIL_RESET_TOKEN_EXPIRE_HOURS", 48)?,
            login_max_failures: src.parsed("LOGIN_MAX_FAILURES", 20)?,
            login_max_failures_per_address: src.parsed("LOGIN_MAX_FAILURES_PER_ADDRESS", 100)?,
            login_failure_window_seconds: src.parsed("LOGIN_FAILURE_WINDOW_SECONDS", 900)?,
            smtp,
            host: src.get("HOST").unwrap_or_else(|| "127.0.0.1".into()),
            port: src.parsed("PORT", 8000)?,
            frontend_dir: src.get("FRONTEND_DIR"),
            metrics_path: src.get("METRICS_PATH"),
            otlp_endpoint: src.get("OTEL_EXPORTER_OTLP_ENDPOINT").is_some()
                || src.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT").is_some(),
        };
        settings.check_secrets()?;
        Ok(settings)
    }

    fn check_secrets(&self) -> Result<(), ConfigError> {
        let db_password = self
            .database_url
            .split_once("://")
            .and_then(|(_, rest)| rest.split_once('@'))
            .and_then(|(creds, _)| creds.split_once(':'))
            .map(|(_, p)| p.to_string());
        let secrets = [
            ("SECRET_KEY", Some(self.secret_key.clone())),
            ("POSTGRES_PASSWORD", db_password),
            (
                "FIRST_SUPERUSER_PASSWORD",
                Some(self.first_superuser_password.clone()),
            ),
        ];
        for (name, value) in secrets {
            if value.as_deref() == Some("changethis") {
                if self.development {
                    tracing::warn!("{}", ConfigError::Changethis(name));
                } else {
                    return Err(ConfigError::Changethis(name));
                }
            }
        }
        Ok(())
    }

    /// Whether mail can be sent.
    pub fn emails_enabled(&self) -> bool {
        self.smtp.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: [(&str, &str); 4] = [
        ("PROJECT_NAME", "P"),
        ("SECRET_KEY", "s3cret"),
        ("FIRST_SUPERUSER", "admin@example.com"),
        ("FIRST_SUPERUSER_PASSWORD", "pw12345678"),
    ];

    #[test]
    fn defaults_as_the_template() {
        let s = Settings::load(&Source::from_pairs(BASE)).unwrap();
        assert_eq!(s.api_v1_str, "/api/v1");
        assert_eq!(s.access_token_expire_minutes, 11520);
        assert_eq!(s.frontend_host, "http://localhost:5173");
        assert_eq!(s.database_url, "sqlite://fullstack.db");
        assert!(!s.development && !s.emails_enabled());
        assert_eq!((s.host.as_str(), s.port), ("127.0.0.1", 8000));
    }

    #[test]
    fn changethis_is_refused_outside_development() {
        let mut pairs = BASE.to_vec();
        pairs.push(("SECRET_KEY", "changethis"));
        let err = Settings::load(&Source::from_pairs(pairs.clone())).unwrap_err();
        assert!(
            matches!(err, ConfigError::Changethis("SECRET_KEY")),
            "{err}"
        );
        pairs.push(("FASTAPI_ENV", "development"));
        assert!(
            Settings::load(&Source::from_pairs(pairs))
                .unwrap()
                .development
        );
        let mut pg = BASE.to_vec();
        pg.push(("DATABASE_URL", "postgres://u:changethis@h/db"));
        let err = Settings::load(&Source::from_pairs(pg)).unwrap_err();
        assert!(
            matches!(err, ConfigError::Changethis("POSTGRES_PASSWORD")),
            "{err}"
        );
    }

    #[test]
    fn email_needs_a_host_and_a_sender() {
        let mut pairs = BASE.to_vec();
        pairs.push(("SMTP_HOST", "localhost"));
        assert!(!Settings::load(&Source::from_pairs(pairs.clone()))
            .unwrap()
            .emails_enabled());
        pairs.push(("EMAILS_FROM_EMAIL", "info@example.com"));
        pairs.push(("SMTP_TLS", "False"));
        let s = Settings::load(&Source::from_pairs(pairs)).unwrap();
        let smtp = s.smtp.unwrap();
        assert_eq!(
            (smtp.port, smtp.tls, smtp.from_name.as_str()),
            (587, false, "P")
        );
    }

    #[test]
    fn missing_required_is_named() {
        let err = Settings::load(&Source::from_pairs([("PROJECT_NAME", "P")])).unwrap_err();
        assert_eq!(
            err.to_string(),
            "SECRET_KEY is required (set it in the environment or in .env)"
        );
    }
}
