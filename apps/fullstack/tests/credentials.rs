//! What old credentials are worth, and what guessing costs: a reset token
//! works once, a password change ends older sessions, failed logins are
//! throttled per account and per client address (429 with `Retry-After`),
//! and password recovery answers in the same time whether the email is
//! registered (the mail goes from a background task).

mod common;

use std::time::{Duration, Instant};

use common::{Harness, ADMIN, ADMIN_PASSWORD};
use fullstack::security;
use serde_json::json;

async fn whoami(h: &Harness, bearer: &str) -> u16 {
    h.client
        .post("/api/v1/login/test-token")
        .header("authorization", bearer)
        .send()
        .await
        .status()
        .as_u16()
}

/// The items page (its route checks the user in its own statement).
async fn items(h: &Harness, bearer: &str) -> u16 {
    h.client
        .get("/api/v1/items/")
        .header("authorization", bearer)
        .send()
        .await
        .status()
        .as_u16()
}

async fn reset(h: &Harness, token: &str, password: &str) -> (u16, String) {
    let res = h
        .client
        .post("/api/v1/reset-password/")
        .json(&json!({"token": token, "new_password": password}))
        .send()
        .await;
    (res.status().as_u16(), res.text())
}

/// Waits into the next second: access tokens are dated to the second.
async fn next_second() {
    tokio::time::sleep(Duration::from_millis(1100)).await;
}

#[tokio::test]
async fn a_reset_token_works_once_and_ends_older_sessions() {
    let h = Harness::new().await;
    let (old_session, _) = h.user("reset@example.com").await;
    next_second().await;
    let secret = h.state.settings.secret_key.clone();
    let token = security::create_reset_token(&secret, "reset@example.com", 1);
    let spare = security::create_reset_token(&secret, "reset@example.com", 1);
    assert_eq!(
        reset(&h, &token, "new-password-1").await,
        (200, r#"{"message":"Password updated successfully"}"#.into())
    );
    // Used once: spent. Made before the change: spent as well.
    let invalid = (400, r#"{"detail":"Invalid token"}"#.to_string());
    assert_eq!(reset(&h, &token, "new-password-2").await, invalid);
    assert_eq!(reset(&h, &spare, "new-password-2").await, invalid);
    // The session opened before the reset is over; a new login works.
    assert_eq!(whoami(&h, &old_session).await, 403);
    let fresh = h.login("reset@example.com", "new-password-1").await;
    assert_eq!(whoami(&h, &fresh).await, 200);
    // A token made after the change works (once).
    let later = security::create_reset_token(&secret, "reset@example.com", 1);
    assert_eq!(reset(&h, &later, "new-password-3").await.0, 200);
}

#[tokio::test]
async fn changing_ones_password_ends_older_sessions_but_not_this_one() {
    let h = Harness::new().await;
    let (older, _) = h.user("change@example.com").await;
    next_second().await;
    let this = h.login("change@example.com", "password123").await;
    let res = h
        .client
        .patch("/api/v1/users/me/password")
        .header("authorization", &this)
        .json(&json!({"current_password": "password123", "new_password": "password456"}))
        .send()
        .await;
    assert_eq!(res.status(), 200, "{}", res.text());
    assert_eq!(whoami(&h, &this).await, 200);
    assert_eq!(whoami(&h, &older).await, 403);
    assert_eq!(items(&h, &this).await, 200);
    assert_eq!(items(&h, &older).await, 403);
    // And back, with the same session (the template's own tests do this).
    let res = h
        .client
        .patch("/api/v1/users/me/password")
        .header("authorization", &this)
        .json(&json!({"current_password": "password456", "new_password": "password123"}))
        .send()
        .await;
    assert_eq!(res.status(), 200, "{}", res.text());
    assert_eq!(whoami(&h, &this).await, 200);
    // A superuser setting someone's password ends all their sessions.
    let (victim, user) = h.user("managed@example.com").await;
    next_second().await;
    let admin = h.admin().await;
    let res = h
        .client
        .patch(&format!("/api/v1/users/{}", user["id"].as_str().unwrap()))
        .header("authorization", &admin)
        .json(&json!({"password": "set-by-admin-1"}))
        .send()
        .await;
    assert_eq!(res.status(), 200, "{}", res.text());
    assert_eq!(whoami(&h, &victim).await, 403);
}

fn throttled(max_account: &str, max_address: &str) -> fullstack::config::Settings {
    common::settings(&[
        ("LOGIN_MAX_FAILURES", max_account),
        ("LOGIN_MAX_FAILURES_PER_ADDRESS", max_address),
    ])
}

async fn login_from(h: &Harness, from: &str, user: &str, password: &str) -> ferroapi::TestResponse {
    h.client
        .post("/api/v1/login/access-token")
        .header("x-forwarded-for", from)
        .form(&[("username", user), ("password", password)])
        .send()
        .await
}

#[tokio::test]
async fn failed_logins_are_throttled_per_account() {
    let h = Harness::with(throttled("3", "1000")).await;
    for i in 0..3 {
        let res = login_from(&h, &format!("198.51.100.{i}"), ADMIN, "wrong-password").await;
        assert_eq!(res.status(), 400, "{}", res.text());
    }
    // Past the threshold, from anywhere, even with the right password: 429.
    let res = login_from(&h, "198.51.100.99", ADMIN, ADMIN_PASSWORD).await;
    assert_eq!(res.status(), 429);
    assert_eq!(
        res.text(),
        r#"{"detail":"Too many failed logins; try again later"}"#
    );
    let retry: i64 = res.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Another account is not affected.
    h.user("other@example.com").await;
    let res = login_from(&h, "198.51.100.99", "other@example.com", "password123").await;
    assert_eq!(res.status(), 200);
    // The case of the email does not escape the count.
    let res = login_from(&h, "198.51.100.7", "ADMIN@example.com", ADMIN_PASSWORD).await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn failed_logins_are_throttled_per_client_address() {
    let h = Harness::with(throttled("1000", "5")).await;
    h.user("sprayed@example.com").await;
    // One guess at each of five accounts from one address...
    for i in 0..5 {
        let res = login_from(
            &h,
            "203.0.113.9",
            &format!("u{i}@example.com"),
            "guess-1234",
        )
        .await;
        assert_eq!(res.status(), 400);
    }
    // ...and that address is done, for every account.
    let res = login_from(&h, "203.0.113.9", "sprayed@example.com", "password123").await;
    assert_eq!(res.status(), 429);
    assert!(res.header("retry-after").is_some());
    // Another client is not.
    let res = login_from(&h, "203.0.113.10", "sprayed@example.com", "password123").await;
    assert_eq!(res.status(), 200);
    // An address that forges the header from an untrusted peer would be
    // read as that peer; from the trusted proxy (loopback here), the
    // right-most hop is the client: a forged left part changes nothing.
    let res = login_from(
        &h,
        "192.0.2.1, 203.0.113.9",
        "sprayed@example.com",
        "password123",
    )
    .await;
    assert_eq!(res.status(), 429);
}

#[tokio::test]
async fn recovery_answers_at_once_whether_or_not_the_email_is_registered() {
    // A mail server that accepts the connection and never says a word.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = silent.local_addr().unwrap().port();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((s, _)) = silent.accept().await {
            held.push(s);
        }
    });
    let port = port.to_string();
    let settings = common::settings(&[
        ("SMTP_HOST", "127.0.0.1"),
        ("SMTP_PORT", &port),
        ("SMTP_TLS", "false"),
        ("EMAILS_FROM_EMAIL", "info@example.com"),
    ]);
    let h = Harness::with(settings).await;
    // Served on a socket: the answer is what a client waits for (the test
    // client would wait for the background task too).
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = fullstack::app(h.state.clone());
    tokio::spawn(async move {
        let _ = app.serve_until(listener, std::future::pending()).await;
    });
    let ask = |email: &'static str| async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let started = Instant::now();
        s.write_all(
            format!(
                "POST /api/v1/password-recovery/{email} HTTP/1.1\r\nhost: t\r\ncontent-length: 0\r\n\r\n"
            )
            .as_bytes(),
        )
        .await
        .unwrap();
        let mut buf = vec![0u8; 4096];
        let n = tokio::time::timeout(Duration::from_secs(30), s.read(&mut buf))
            .await
            .expect("an answer")
            .unwrap();
        let text = String::from_utf8_lossy(&buf[..n]).to_string();
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        started.elapsed()
    };
    let known = ask(ADMIN).await;
    let unknown = ask("nobody@example.com").await;
    println!("recovery with a silent mail server: registered {known:?}, unknown {unknown:?}");
    assert!(known < Duration::from_secs(1), "{known:?}");
    assert!(unknown < Duration::from_secs(1), "{unknown:?}");
}
