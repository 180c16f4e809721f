//! Test harness: the app on a fresh database — in-memory SQLite, or a new
//! database on the PostgreSQL server named by `FULLSTACK_TEST_POSTGRES`
//! (`postgresql://user@host:port/postgres`) — plus a mail catcher that
//! speaks enough SMTP for lettre.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use ferroapi::TestClient;
use fullstack::config::{Settings, Source};
use fullstack::db::Db;
use fullstack::{app, AppState};
use serde_json::Value;

pub const ADMIN: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "admin-password-1";

/// Mails received by the catcher: (recipients, raw message).
pub type Mailbox = Arc<Mutex<Vec<(Vec<String>, String)>>>;

/// An SMTP server on 127.0.0.1 that accepts every message.
pub async fn mail_catcher() -> (u16, Mailbox) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let mailbox: Mailbox = Arc::default();
    let boxed = mailbox.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let boxed = boxed.clone();
            tokio::spawn(async move {
                let (r, mut w) = stream.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 catcher ESMTP\r\n").await;
                let (mut to, mut data, mut in_data) = (Vec::new(), String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            boxed
                                .lock()
                                .unwrap()
                                .push((std::mem::take(&mut to), std::mem::take(&mut data)));
                            let _ = w.write_all(b"250 queued\r\n").await;
                        } else {
                            data.push_str(line.strip_prefix('.').unwrap_or(&line));
                            data.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-catcher\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
                        b"250 ok\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go on\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (port, mailbox)
}

/// A fresh database: SQLite in memory, or a new PostgreSQL database.
pub async fn fresh_db() -> Db {
    match std::env::var("FULLSTACK_TEST_POSTGRES") {
        Ok(admin_url) if !admin_url.is_empty() => {
            use sqlx::Executor;
            let name = format!("fullstack_test_{}", uuid::Uuid::new_v4().simple());
            let admin = sqlx::PgPool::connect(&admin_url)
                .await
                .expect("PostgreSQL admin connection");
            admin
                .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .await
                .unwrap();
            admin.close().await;
            let base = admin_url
                .rsplit_once('/')
                .map(|(b, _)| b)
                .unwrap_or(&admin_url);
            Db::connect(&format!("{base}/{name}")).await.unwrap()
        }
        _ => Db::connect("sqlite::memory:").await.unwrap(),
    }
}

/// Settings for the tests: development mode, the admin, extra variables.
pub fn settings(extra: &[(&str, &str)]) -> Settings {
    let mut pairs = vec![
        ("FASTAPI_ENV", "development"),
        ("PROJECT_NAME", "Full Stack FastAPI Project"),
        ("SECRET_KEY", "test-secret-key"),
        ("FIRST_SUPERUSER", ADMIN),
        ("FIRST_SUPERUSER_PASSWORD", ADMIN_PASSWORD),
    ];
    pairs.extend_from_slice(extra);
    Settings::load(&Source::from_pairs(pairs)).unwrap()
}

/// The app on a fresh database with the first superuser seeded.
pub struct Harness {
    pub client: TestClient,
    pub state: AppState,
}

impl Harness {
    pub async fn new() -> Harness {
        Harness::with(settings(&[])).await
    }

    pub async fn with(settings: Settings) -> Harness {
        let db = fresh_db().await;
        fullstack::seed_first_superuser(&db, &settings)
            .await
            .unwrap();
        let state = AppState {
            settings: Arc::new(settings),
            db,
        };
        Harness {
            client: TestClient::new(app(state.clone())),
            state,
        }
    }

    /// Logs in; the bearer header value.
    pub async fn login(&self, email: &str, password: &str) -> String {
        let res = self
            .client
            .post("/api/v1/login/access-token")
            .form(&[("username", email), ("password", password)])
            .send()
            .await;
        assert_eq!(res.status(), 200, "login {email}: {}", res.text());
        format!("Bearer {}", res.json()["access_token"].as_str().unwrap())
    }

    pub async fn admin(&self) -> String {
        self.login(ADMIN, ADMIN_PASSWORD).await
    }

    /// Signs a user up and logs them in: (bearer, user JSON).
    pub async fn user(&self, email: &str) -> (String, Value) {
        let res = self
            .client
            .post("/api/v1/users/signup")
            .json(&serde_json::json!({"email": email, "password": "password123", "full_name": "Test User"}))
            .send()
            .await;
        assert_eq!(res.status(), 200, "{}", res.text());
        (self.login(email, "password123").await, res.json())
    }
}
