//! Login, tokens and password recovery (CONTRACT.md §1, §2, §3 login, §7).

mod common;

use common::{Harness, ADMIN, ADMIN_PASSWORD};
use fullstack::security;
use serde_json::json;

#[tokio::test]
async fn login_gives_a_bearer_token_the_test_route_accepts() {
    let h = Harness::new().await;
    let res = h
        .client
        .post("/api/v1/login/access-token")
        .form(&[("username", ADMIN), ("password", ADMIN_PASSWORD)])
        .send()
        .await;
    assert_eq!(res.status(), 200);
    let body = res.json();
    assert_eq!(body["token_type"], "bearer");
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["access_token", "token_type"]);
    let bearer = format!("Bearer {}", body["access_token"].as_str().unwrap());
    let res = h
        .client
        .post("/api/v1/login/test-token")
        .header("authorization", &bearer)
        .send()
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json()["email"], ADMIN);
    assert_eq!(res.json()["is_superuser"], true);
}

#[tokio::test]
async fn login_errors() {
    let h = Harness::new().await;
    let login = |u: &'static str, p: &'static str| {
        h.client
            .post("/api/v1/login/access-token")
            .form(&[("username", u), ("password", p)])
            .send()
    };
    for (u, p) in [
        (ADMIN, "wrong-password"),
        ("nobody@example.com", "whatever-1"),
    ] {
        let res = login(u, p).await;
        assert_eq!(res.status(), 400);
        assert_eq!(res.text(), r#"{"detail":"Incorrect email or password"}"#);
    }
    // Missing fields, a JSON body, a bad grant type: 422.
    let res = h.client.post("/api/v1/login/access-token").send().await;
    assert_eq!(res.status(), 422);
    let locs: Vec<_> = res.json()["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["loc"].clone())
        .collect();
    assert_eq!(
        locs,
        [json!(["body", "username"]), json!(["body", "password"])]
    );
    let res = h
        .client
        .post("/api/v1/login/access-token")
        .json(&json!({"username": ADMIN, "password": ADMIN_PASSWORD}))
        .send()
        .await;
    assert_eq!(res.status(), 422);
    let res = h
        .client
        .post("/api/v1/login/access-token")
        .form(&[
            ("username", ADMIN),
            ("password", ADMIN_PASSWORD),
            ("grant_type", "client"),
        ])
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json()["detail"][0]["type"], "string_pattern_mismatch");
}

#[tokio::test]
async fn inactive_users_cannot_log_in_or_use_their_token() {
    let h = Harness::new().await;
    let (bearer, user) = h.user("sleepy@example.com").await;
    let admin = h.admin().await;
    let res = h
        .client
        .patch(&format!("/api/v1/users/{}", user["id"].as_str().unwrap()))
        .header("authorization", &admin)
        .json(&json!({"is_active": false}))
        .send()
        .await;
    assert_eq!(res.status(), 200);
    let res = h
        .client
        .post("/api/v1/login/access-token")
        .form(&[
            ("username", "sleepy@example.com"),
            ("password", "password123"),
        ])
        .send()
        .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (400, r#"{"detail":"Inactive user"}"#.into())
    );
    let res = h
        .client
        .get("/api/v1/users/me")
        .header("authorization", &bearer)
        .send()
        .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (400, r#"{"detail":"Inactive user"}"#.into())
    );
}

#[tokio::test]
async fn the_current_user_dependency_answers_in_the_templates_order() {
    let h = Harness::new().await;
    let me = |auth: Option<String>| {
        let mut r = h.client.post("/api/v1/login/test-token");
        if let Some(a) = auth {
            r = r.header("authorization", &a);
        }
        r.send()
    };
    // 1. No bearer token: 401 with the challenge.
    for auth in [None, Some("Basic abc".to_string())] {
        let res = me(auth).await;
        assert_eq!(res.status(), 401);
        assert_eq!(res.header("www-authenticate"), Some("Bearer"));
        assert_eq!(res.text(), r#"{"detail":"Not authenticated"}"#);
    }
    // 2. A token that does not verify (garbage, other key, expired): 403.
    let secret = &h.state.settings.secret_key;
    let id = uuid::Uuid::new_v4().to_string();
    for token in [
        "garbage".to_string(),
        security::create_access_token("other-key", &id, 5),
        security::create_access_token(secret, &id, -2),
        // A reset token's `sub` is an email, not a user id (DEVIATIONS.md: 403, not 500).
        security::create_access_token(secret, "a@b.com", 5),
    ] {
        let res = me(Some(format!("Bearer {token}"))).await;
        assert_eq!(res.status(), 403, "{token}");
        assert_eq!(res.text(), r#"{"detail":"Could not validate credentials"}"#);
        assert_eq!(res.header("www-authenticate"), None);
    }
    // 3. A user that does not exist (deleted): 404.
    let res = me(Some(format!(
        "Bearer {}",
        security::create_access_token(secret, &id, 5)
    )))
    .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (404, r#"{"detail":"User not found"}"#.into())
    );
}

#[tokio::test]
async fn bcrypt_hashes_are_accepted_and_upgraded_to_argon2_on_login() {
    let h = Harness::new().await;
    let mut row =
        fullstack::routes::users::new_user("old@example.com".into(), "x", None, true, false)
            .await
            .unwrap();
    row.hashed_password = bcrypt::hash("legacy-password", 4).unwrap();
    h.state.db.insert_user(&row).await.unwrap();
    h.login("old@example.com", "legacy-password").await;
    let stored = h
        .state
        .db
        .user_by_email("old@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(stored
        .hashed_password
        .starts_with("$argon2id$v=19$m=65536,t=3,p=4$"));
    // And the new hash works.
    h.login("old@example.com", "legacy-password").await;
}

#[tokio::test]
async fn password_recovery_never_tells_which_emails_exist() {
    let h = Harness::new().await;
    for email in [ADMIN, "nobody@example.com"] {
        let res = h
            .client
            .post(&format!("/api/v1/password-recovery/{email}"))
            .send()
            .await;
        // Email is not configured: the template answers 500 for a known
        // address; we answer as for any other (DEVIATIONS.md).
        assert_eq!(res.status(), 200);
        assert_eq!(
            res.text(),
            r#"{"message":"If that email is registered, we sent a password recovery link"}"#
        );
    }
}

fn smtp_settings(port: u16) -> fullstack::config::Settings {
    let port = port.to_string();
    common::settings(&[
        ("SMTP_HOST", "127.0.0.1"),
        ("SMTP_PORT", &port),
        ("SMTP_TLS", "false"),
        ("EMAILS_FROM_EMAIL", "info@example.com"),
        ("FRONTEND_HOST", "http://localhost:5173"),
    ])
}

#[tokio::test]
async fn the_reset_mail_carries_a_link_that_resets_the_password() {
    let (port, mailbox) = common::mail_catcher().await;
    let h = Harness::with(smtp_settings(port)).await;
    h.user("forgetful@example.com").await;
    let res = h
        .client
        .post("/api/v1/password-recovery/forgetful@example.com")
        .send()
        .await;
    assert_eq!(res.status(), 200);
    let (to, raw) = mailbox.lock().unwrap().pop().expect("a mail");
    assert_eq!(to, ["forgetful@example.com"]);
    // Long headers are folded onto continuation lines.
    let unfolded = raw.replace("\n ", " ");
    assert!(
        unfolded.contains("Subject: Full Stack FastAPI Project - Password recovery for user forgetful@example.com"),
        "{raw}"
    );
    // What the template's e2e test greps for: the link, unescaped, in an attribute.
    let body = decode_body(&raw);
    let re = regex::Regex::new(r#"/reset-password\?token=([^"]+)"#).unwrap();
    let token = re.captures(&body).expect("reset link")[1].to_string();
    assert!(body.contains("href=\"http://localhost:5173/reset-password?token="));

    let res = h
        .client
        .post("/api/v1/reset-password/")
        .json(&json!({"token": token, "new_password": "brand-new-pass"}))
        .send()
        .await;
    assert_eq!(res.text(), r#"{"message":"Password updated successfully"}"#);
    h.login("forgetful@example.com", "brand-new-pass").await;
}

/// The mail's HTML, with quoted-printable or base64 transfer encoding undone.
fn decode_body(raw: &str) -> String {
    let (headers, body) = raw.split_once("\n\n").unwrap_or((raw, ""));
    if headers
        .to_ascii_lowercase()
        .contains("content-transfer-encoding: base64")
    {
        use base64::Engine as _;
        let joined: String = body.split_whitespace().collect();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(joined)
                .unwrap(),
        )
        .unwrap()
    } else if headers.to_ascii_lowercase().contains("quoted-printable") {
        let soft = body.replace("=\n", "");
        let mut out = Vec::new();
        let bytes = soft.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'=' && i + 2 < bytes.len() {
                if let Ok(b) = u8::from_str_radix(&soft[i + 1..i + 3], 16) {
                    out.push(b);
                    i += 3;
                    continue;
                }
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    } else {
        body.to_string()
    }
}

#[tokio::test]
async fn reset_password_errors() {
    let h = Harness::new().await;
    let secret = h.state.settings.secret_key.clone();
    let reset = |token: String, password: &'static str| {
        h.client
            .post("/api/v1/reset-password/")
            .json(&json!({"token": token, "new_password": password}))
            .send()
    };
    let invalid = r#"{"detail":"Invalid token"}"#;
    let res = reset("not-a-token".into(), "long-enough-1").await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (400, invalid.to_string())
    );
    let res = reset(
        security::create_reset_token(&secret, "ghost@example.com", 1),
        "long-enough-1",
    )
    .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (400, invalid.to_string())
    );
    let res = reset(
        security::create_reset_token(&secret, ADMIN, -1),
        "long-enough-1",
    )
    .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (400, invalid.to_string())
    );
    let res = reset(security::create_reset_token(&secret, ADMIN, 1), "short").await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.json()["detail"][0],
        json!({"type": "string_too_short", "loc": ["body", "new_password"], "msg": "String should have at least 8 characters", "input": "short", "ctx": {"min_length": 8}})
    );
}

#[tokio::test]
async fn the_html_content_route_is_for_superusers() {
    let h = Harness::new().await;
    let admin = h.admin().await;
    let res = h
        .client
        .post(&format!("/api/v1/password-recovery-html-content/{ADMIN}"))
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(
        res.header("subject"),
        Some("Full Stack FastAPI Project - Password recovery for user admin@example.com")
    );
    assert!(res.text().contains("/reset-password?token="));
    let res = h
        .client
        .post("/api/v1/password-recovery-html-content/ghost@example.com")
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        res.text(),
        r#"{"detail":"The user with this username does not exist in the system."}"#
    );
    let (user, _) = h.user("plain@example.com").await;
    let res = h
        .client
        .post(&format!("/api/v1/password-recovery-html-content/{ADMIN}"))
        .header("authorization", &user)
        .send()
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        res.text(),
        r#"{"detail":"The user doesn't have enough privileges"}"#
    );
}

#[tokio::test]
async fn test_email_needs_smtp_and_a_superuser() {
    let h = Harness::new().await;
    let admin = h.admin().await;
    let url = "/api/v1/utils/test-email/?email_to=someone@example.com";
    let res = h
        .client
        .post(url)
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (500, "Internal Server Error".to_string())
    );

    let (port, mailbox) = common::mail_catcher().await;
    let h = Harness::with(smtp_settings(port)).await;
    let admin = h.admin().await;
    let res = h
        .client
        .post(url)
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (201, r#"{"message":"Test email sent"}"#.to_string())
    );
    let (to, raw) = mailbox.lock().unwrap().pop().unwrap();
    assert_eq!(to, ["someone@example.com"]);
    assert!(raw
        .replace("\n ", " ")
        .contains("Subject: Full Stack FastAPI Project - Test email"));
    let res = h
        .client
        .post("/api/v1/utils/test-email/?email_to=nope")
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.json()["detail"][0],
        json!({"type": "value_error", "loc": ["query", "email_to"], "msg": "value is not a valid email address: An email address must have an @-sign.", "input": "nope", "ctx": {"reason": "An email address must have an @-sign."}})
    );
    let (user, _) = h.user("plain@example.com").await;
    let res = h
        .client
        .post(url)
        .header("authorization", &user)
        .send()
        .await;
    assert_eq!(res.status(), 403);
}

#[tokio::test]
async fn health_check_is_true() {
    let h = Harness::new().await;
    let res = h.client.get("/api/v1/utils/health-check/").send().await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (200, "true".to_string())
    );
}
