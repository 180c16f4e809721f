//! Users (CONTRACT.md §3 users) and the JSON shapes (§0).

mod common;

use common::{Harness, ADMIN};
use serde_json::{json, Value};

fn keys(v: &Value) -> Vec<String> {
    v.as_object().unwrap().keys().cloned().collect()
}

#[tokio::test]
async fn user_json_has_the_templates_field_order_and_formats() {
    let h = Harness::new().await;
    let res = h
        .client
        .post("/api/v1/users/signup")
        .json(&json!({"email": "UPx@Example.COM", "password": "password123"}))
        .send()
        .await;
    let signed_up = res.json();
    assert_eq!(
        keys(&signed_up),
        [
            "email",
            "is_active",
            "is_superuser",
            "full_name",
            "id",
            "created_at"
        ]
    );
    // The domain is lower-cased, the local part kept; lookups are exact.
    assert_eq!(signed_up["email"], "UPx@example.com");
    let res = h
        .client
        .post("/api/v1/login/access-token")
        .form(&[("username", "upx@example.com"), ("password", "password123")])
        .send()
        .await;
    assert_eq!(res.status(), 400);
    let bearer = h.login("UPx@example.com", "password123").await;
    let created = signed_up["created_at"].as_str().unwrap();
    let re = regex::Regex::new(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$").unwrap();
    assert!(re.is_match(created), "{created}");
    let id = signed_up["id"].as_str().unwrap();
    assert_eq!(
        uuid::Uuid::parse_str(id).unwrap().hyphenated().to_string(),
        id
    );
    let me = h
        .client
        .get("/api/v1/users/me")
        .header("authorization", &bearer)
        .send()
        .await;
    assert_eq!(me.json(), signed_up);
}

#[tokio::test]
async fn signup_rules() {
    let h = Harness::new().await;
    let signup = |body: Value| h.client.post("/api/v1/users/signup").json(&body).send();
    let res = signup(
        json!({"email": "new@example.com", "password": "password123", "is_superuser": true}),
    )
    .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        (
            res.json()["is_active"].clone(),
            res.json()["is_superuser"].clone()
        ),
        (json!(true), json!(false))
    );
    assert_eq!(res.json()["full_name"], Value::Null);
    let res = signup(json!({"email": "new@example.com", "password": "password123"})).await;
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.text(),
        r#"{"detail":"The user with this email already exists in the system"}"#
    );
    let res = signup(json!({"email": "bad", "password": "short"})).await;
    assert_eq!(res.status(), 422);
    let types: Vec<Value> = res.json()["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].clone())
        .collect();
    assert_eq!(types, [json!("value_error"), json!("string_too_short")]);
    assert_eq!(
        res.json()["detail"][0]["msg"],
        "value is not a valid email address: An email address must have an @-sign."
    );
}

#[tokio::test]
async fn superusers_list_create_update_and_delete_users() {
    let h = Harness::new().await;
    let admin = h.admin().await;
    let create = |body: Value| {
        h.client
            .post("/api/v1/users/")
            .header("authorization", &admin)
            .json(&body)
            .send()
    };
    let res = create(
        json!({"email": "made@example.com", "password": "password123", "full_name": "Made"}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let made = res.json();
    assert_eq!(made["full_name"], "Made");
    let res = create(json!({"email": "made@example.com", "password": "password123"})).await;
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.text(),
        r#"{"detail":"The user with this email already exists in the system."}"#
    );
    let res = create(json!({"email": "x@example.com", "password": "short"})).await;
    assert_eq!(res.status(), 422);

    // Newest first; count is the total.
    let res = h
        .client
        .get("/api/v1/users/")
        .header("authorization", &admin)
        .send()
        .await;
    let page = res.json();
    assert_eq!(page["count"], 2);
    assert_eq!(page["data"][0]["email"], "made@example.com");
    assert_eq!(page["data"][1]["email"], ADMIN);
    let res = h
        .client
        .get("/api/v1/users/?skip=1&limit=5")
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(
        (
            res.json()["count"].clone(),
            res.json()["data"].as_array().unwrap().len()
        ),
        (json!(2), 1)
    );
    let res = h
        .client
        .get("/api/v1/users/?limit=-1")
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json()["detail"][0]["type"], "greater_than_equal");
    let res = h
        .client
        .get("/api/v1/users/?skip=x")
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.json()["detail"][0]["type"], "int_parsing");

    // Update: only sent fields; a password is hashed; an email taken is 409.
    let id = made["id"].as_str().unwrap().to_string();
    let url = format!("/api/v1/users/{id}");
    let res = h
        .client
        .patch(&url)
        .header("authorization", &admin)
        .json(&json!({"password": "changed-password", "is_superuser": true}))
        .send()
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        (
            res.json()["is_superuser"].clone(),
            res.json()["full_name"].clone()
        ),
        (json!(true), json!("Made"))
    );
    h.login("made@example.com", "changed-password").await;
    let res = h
        .client
        .patch(&url)
        .header("authorization", &admin)
        .json(&json!({"email": ADMIN}))
        .send()
        .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (
            409,
            r#"{"detail":"User with this email already exists"}"#.into()
        )
    );
    let missing = format!("/api/v1/users/{}", uuid::Uuid::new_v4());
    let res = h
        .client
        .patch(&missing)
        .header("authorization", &admin)
        .json(&json!({}))
        .send()
        .await;
    assert_eq!(res.status(), 404);
    assert_eq!(
        res.text(),
        r#"{"detail":"The user with this id does not exist in the system"}"#
    );

    // Delete: 404 for nobody, 403 for oneself.
    let res = h
        .client
        .delete(&missing)
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (404, r#"{"detail":"User not found"}"#.into())
    );
    let me = h
        .client
        .get("/api/v1/users/me")
        .header("authorization", &admin)
        .send()
        .await
        .json();
    let res = h
        .client
        .delete(&format!("/api/v1/users/{}", me["id"].as_str().unwrap()))
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        res.text(),
        r#"{"detail":"Super users are not allowed to delete themselves"}"#
    );
    let res = h
        .client
        .delete(&url)
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.text(), r#"{"message":"User deleted successfully"}"#);
    let res = h
        .client
        .get(&url)
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.status(), 404);
}

#[tokio::test]
async fn ordinary_users_get_403_before_any_422() {
    let h = Harness::new().await;
    let (user, _) = h.user("plain@example.com").await;
    let denied = r#"{"detail":"The user doesn't have enough privileges"}"#;
    let res = h
        .client
        .get("/api/v1/users/")
        .header("authorization", &user)
        .send()
        .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (403, denied.to_string())
    );
    // Invalid body too: the dependency answers first.
    let res = h
        .client
        .post("/api/v1/users/")
        .header("authorization", &user)
        .json(&json!({"email": 3}))
        .send()
        .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (403, denied.to_string())
    );
    // No token and a bad path: 401.
    let res = h.client.get("/api/v1/users/not-a-uuid").send().await;
    assert_eq!(res.status(), 401);
    let res = h
        .client
        .get("/api/v1/users/not-a-uuid")
        .header("authorization", &user)
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json()["detail"][0]["type"], "uuid_parsing");
}

#[tokio::test]
async fn reading_a_user_by_id() {
    let h = Harness::new().await;
    let (ann, ann_json) = h.user("ann@example.com").await;
    let (_, bob_json) = h.user("bob@example.com").await;
    let admin = h.admin().await;
    let client = &h.client;
    let get = |id: String, auth: &str| {
        let auth = auth.to_string();
        async move {
            client
                .get(&format!("/api/v1/users/{id}"))
                .header("authorization", &auth)
                .send()
                .await
        }
    };
    let ann_id = ann_json["id"].as_str().unwrap().to_string();
    let bob_id = bob_json["id"].as_str().unwrap().to_string();
    assert_eq!(get(ann_id.clone(), &ann).await.json(), ann_json);
    // Someone else, even a missing id: 403 for an ordinary user.
    for id in [bob_id.clone(), uuid::Uuid::new_v4().to_string()] {
        let res = get(id, &ann).await;
        assert_eq!(res.status(), 403);
        assert_eq!(
            res.text(),
            r#"{"detail":"The user doesn't have enough privileges"}"#
        );
    }
    assert_eq!(get(bob_id, &admin).await.json(), bob_json);
    let res = get(uuid::Uuid::new_v4().to_string(), &admin).await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (404, r#"{"detail":"User not found"}"#.into())
    );
}

#[tokio::test]
async fn users_update_themselves() {
    let h = Harness::new().await;
    let (ann, _) = h.user("ann@example.com").await;
    h.user("bob@example.com").await;
    let patch = |body: Value| {
        h.client
            .patch("/api/v1/users/me")
            .header("authorization", &ann)
            .json(&body)
            .send()
    };
    let res = patch(json!({"full_name": "Ann", "is_superuser": true})).await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        (
            res.json()["full_name"].clone(),
            res.json()["is_superuser"].clone()
        ),
        (json!("Ann"), json!(false))
    );
    let res = patch(json!({"email": "bob@example.com"})).await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (
            409,
            r#"{"detail":"User with this email already exists"}"#.into()
        )
    );
    let res = patch(json!({"email": "ann@example.com"})).await;
    assert_eq!(res.status(), 200, "own email again is fine");
    let res = patch(json!({"email": null})).await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json()["detail"][0]["loc"], json!(["body", "email"]));
    let res = patch(json!({"email": "ann2@Example.com", "full_name": null})).await;
    assert_eq!(
        (res.json()["email"].clone(), res.json()["full_name"].clone()),
        (json!("ann2@example.com"), Value::Null)
    );
}

#[tokio::test]
async fn users_change_their_password() {
    let h = Harness::new().await;
    let (ann, _) = h.user("ann@example.com").await;
    let change = |current: &'static str, new: &'static str| {
        h.client
            .patch("/api/v1/users/me/password")
            .header("authorization", &ann)
            .json(&json!({"current_password": current, "new_password": new}))
            .send()
    };
    let res = change("wrong-password", "another-one").await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (400, r#"{"detail":"Incorrect password"}"#.into())
    );
    let res = change("password123", "password123").await;
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.text(),
        r#"{"detail":"New password cannot be the same as the current one"}"#
    );
    let res = change("password123", "short").await;
    assert_eq!(res.status(), 422);
    let res = change("password123", "another-one").await;
    assert_eq!(res.text(), r#"{"message":"Password updated successfully"}"#);
    h.login("ann@example.com", "another-one").await;
}

#[tokio::test]
async fn users_delete_themselves_and_their_items() {
    let h = Harness::new().await;
    let (ann, ann_json) = h.user("ann@example.com").await;
    let res = h
        .client
        .post("/api/v1/items/")
        .header("authorization", &ann)
        .json(&json!({"title": "Lamp"}))
        .send()
        .await;
    let item_id: uuid::Uuid = res.json()["id"].as_str().unwrap().parse().unwrap();
    let res = h
        .client
        .delete("/api/v1/users/me")
        .header("authorization", &ann)
        .send()
        .await;
    assert_eq!(res.text(), r#"{"message":"User deleted successfully"}"#);
    assert!(
        h.state.db.item_by_id(item_id).await.unwrap().is_none(),
        "items go with their owner"
    );
    // Their token now names nobody.
    let res = h
        .client
        .get("/api/v1/users/me")
        .header("authorization", &ann)
        .send()
        .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (404, r#"{"detail":"User not found"}"#.into())
    );
    let _ = ann_json;
    let admin = h.admin().await;
    let res = h
        .client
        .delete("/api/v1/users/me")
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.status(), 403);
    assert_eq!(
        res.text(),
        r#"{"detail":"Super users are not allowed to delete themselves"}"#
    );
}

#[tokio::test]
async fn private_users_in_development() {
    let h = Harness::new().await;
    let body = json!({"email": "e2e@example.com", "password": "whatever", "full_name": "E2E", "is_verified": true});
    let res = h
        .client
        .post("/api/v1/private/users/")
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        (
            res.json()["is_active"].clone(),
            res.json()["is_superuser"].clone()
        ),
        (json!(true), json!(false))
    );
    h.login("e2e@example.com", "whatever").await;
    let res = h
        .client
        .post("/api/v1/private/users/")
        .json(&body)
        .send()
        .await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn cors_allows_the_frontend_origin_only() {
    let h = Harness::new().await;
    let preflight = |origin: &'static str| {
        h.client
            .request(ferroapi::http::Method::OPTIONS, "/api/v1/users/me")
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "authorization")
            .send()
    };
    let res = preflight("http://localhost:5173").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.header("access-control-allow-origin"),
        Some("http://localhost:5173")
    );
    assert_eq!(res.header("access-control-allow-credentials"), Some("true"));
    // Starlette ≥ 1.x lists QUERY too (DEVIATIONS.md).
    assert_eq!(
        res.header("access-control-allow-methods"),
        Some("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, QUERY")
    );
    assert_eq!(
        res.header("access-control-allow-headers"),
        Some("authorization")
    );
    assert_eq!(res.header("access-control-max-age"), Some("600"));
    let res = preflight("http://evil.example").await;
    assert_eq!(res.status(), 400);
}

#[tokio::test]
async fn unknown_paths_methods_and_slashes_as_starlette() {
    let h = Harness::new().await;
    let res = h.client.get("/api/v1/nope").send().await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (404, r#"{"detail":"Not Found"}"#.into())
    );
    let res = h.client.put("/api/v1/utils/health-check/").send().await;
    assert_eq!(res.status(), 405);
    let res = h.client.get("/api/v1/items").send().await;
    assert_eq!(res.status(), 307);
    assert!(res.header("location").unwrap().ends_with("/api/v1/items/"));
}

/// A method no route of a path has: 405, allowing the methods of the path's
/// first route in the template's order (`/me` is first its `PATCH`).
#[tokio::test]
async fn a_wrong_method_allows_the_first_routes_methods_as_the_template() {
    let h = Harness::new().await;
    for (path, allowed) in [
        ("/api/v1/users/me", "PATCH"),
        ("/api/v1/users/", "GET"),
        ("/api/v1/items/", "GET"),
    ] {
        let res = h
            .client
            .request(ferroapi::http::Method::PUT, path)
            .send()
            .await;
        assert_eq!(res.status(), 405, "{path}");
        assert_eq!(res.header("allow"), Some(allowed), "{path}");
        assert_eq!(res.text(), r#"{"detail":"Method Not Allowed"}"#);
    }
}
