//! Items (CONTRACT.md §3 items): ownership, superuser scope, partial
//! updates, ordering and counts.

mod common;

use common::Harness;
use serde_json::{json, Value};

async fn create(h: &Harness, auth: &str, body: Value) -> ferroapi::TestResponse {
    h.client
        .post("/api/v1/items/")
        .header("authorization", auth)
        .json(&body)
        .send()
        .await
}

#[tokio::test]
async fn crud_with_the_templates_shapes() {
    let h = Harness::new().await;
    let (ann, ann_json) = h.user("ann@example.com").await;
    let other_owner = uuid::Uuid::new_v4().to_string();
    let res = create(
        &h,
        &ann,
        json!({"title": "Lamp", "description": "Bright", "owner_id": other_owner}),
    )
    .await;
    assert_eq!(res.status(), 200);
    let item = res.json();
    let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["title", "description", "id", "owner_id", "created_at"]
    );
    assert_eq!(
        item["owner_id"], ann_json["id"],
        "owner_id in the body is ignored"
    );
    let url = format!("/api/v1/items/{}", item["id"].as_str().unwrap());

    let res = h
        .client
        .get(&url)
        .header("authorization", &ann)
        .send()
        .await;
    assert_eq!(res.json(), item);

    // PUT is partial: only sent fields change; null clears the description.
    let res = h
        .client
        .put(&url)
        .header("authorization", &ann)
        .json(&json!({"title": "Desk lamp"}))
        .send()
        .await;
    assert_eq!(
        (
            res.json()["title"].clone(),
            res.json()["description"].clone()
        ),
        (json!("Desk lamp"), json!("Bright"))
    );
    let res = h
        .client
        .put(&url)
        .header("authorization", &ann)
        .json(&json!({"description": null}))
        .send()
        .await;
    assert_eq!(
        (
            res.json()["title"].clone(),
            res.json()["description"].clone()
        ),
        (json!("Desk lamp"), Value::Null)
    );
    let res = h
        .client
        .put(&url)
        .header("authorization", &ann)
        .json(&json!({"title": null}))
        .send()
        .await;
    assert_eq!(res.status(), 422);
    let res = h
        .client
        .put(&url)
        .header("authorization", &ann)
        .json(&json!({"title": ""}))
        .send()
        .await;
    assert_eq!(res.json()["detail"][0]["type"], "string_too_short");

    let res = h
        .client
        .delete(&url)
        .header("authorization", &ann)
        .send()
        .await;
    assert_eq!(res.text(), r#"{"message":"Item deleted successfully"}"#);
    let res = h
        .client
        .get(&url)
        .header("authorization", &ann)
        .send()
        .await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (404, r#"{"detail":"Item not found"}"#.into())
    );
}

#[tokio::test]
async fn bodies_are_validated() {
    let h = Harness::new().await;
    let (ann, _) = h.user("ann@example.com").await;
    let res = h
        .client
        .post("/api/v1/items/")
        .header("authorization", &ann)
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(
        res.json()["detail"],
        json!([{"type": "missing", "loc": ["body"], "msg": "Field required", "input": null}])
    );
    let res = create(&h, &ann, json!({"title": "x".repeat(256)})).await;
    assert_eq!(res.json()["detail"][0]["type"], "string_too_long");
    assert_eq!(res.json()["detail"][0]["ctx"], json!({"max_length": 255}));
    let res = create(&h, &ann, json!({"description": "no title"})).await;
    assert_eq!(res.json()["detail"][0]["loc"], json!(["body", "title"]));
}

#[tokio::test]
async fn owners_see_their_own_and_superusers_see_all() {
    let h = Harness::new().await;
    let (ann, _) = h.user("ann@example.com").await;
    let (bob, _) = h.user("bob@example.com").await;
    let admin = h.admin().await;
    for t in ["a1", "a2", "a3"] {
        create(&h, &ann, json!({"title": t})).await;
    }
    let bob_item = create(&h, &bob, json!({"title": "b1"})).await.json();

    let list = |auth: String, q: &'static str| {
        let client = h.client.clone();
        async move {
            client
                .get(&format!("/api/v1/items/{q}"))
                .header("authorization", &auth)
                .send()
                .await
                .json()
        }
    };
    let page = list(ann.clone(), "").await;
    assert_eq!(page["count"], 3);
    let titles: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["a3", "a2", "a1"], "newest first");
    let page = list(ann.clone(), "?skip=1&limit=1").await;
    assert_eq!(
        (page["count"].clone(), page["data"][0]["title"].clone()),
        (json!(3), json!("a2"))
    );
    assert_eq!(list(admin.clone(), "").await["count"], 4);
    // A page past the end still has the total (no row carries it).
    for (auth, total) in [(ann.clone(), 3), (admin.clone(), 4)] {
        let page = list(auth, "?skip=10").await;
        assert_eq!(
            (page["data"].clone(), page["count"].clone()),
            (json!([]), json!(total))
        );
    }
    let res = h
        .client
        .get("/api/v1/items/?skip=-1")
        .header("authorization", &ann)
        .send()
        .await;
    assert_eq!(res.status(), 422);

    // Someone else's item: 403 for an owner, fine for a superuser; 404 first.
    let url = format!("/api/v1/items/{}", bob_item["id"].as_str().unwrap());
    for res in [
        h.client
            .get(&url)
            .header("authorization", &ann)
            .send()
            .await,
        h.client
            .put(&url)
            .header("authorization", &ann)
            .json(&json!({"title": "mine"}))
            .send()
            .await,
        h.client
            .delete(&url)
            .header("authorization", &ann)
            .send()
            .await,
    ] {
        assert_eq!(
            (res.status().as_u16(), res.text()),
            (403, r#"{"detail":"Not enough permissions"}"#.into())
        );
    }
    let res = h
        .client
        .put(&url)
        .header("authorization", &admin)
        .json(&json!({"title": "b1!"}))
        .send()
        .await;
    assert_eq!(res.json()["title"], "b1!");
    let missing = format!("/api/v1/items/{}", uuid::Uuid::new_v4());
    let res = h
        .client
        .get(&missing)
        .header("authorization", &ann)
        .send()
        .await;
    assert_eq!(res.status(), 404);
    let res = h.client.get("/api/v1/items/not-a-uuid").send().await;
    assert_eq!(res.status(), 401, "auth before the 422");
}

/// The totals come from tallies kept by triggers: they must match a real
/// count through creations, deletions and a user's cascade.
#[tokio::test]
async fn totals_stay_exact_through_deletes_and_cascades() {
    let h = Harness::new().await;
    let (ann, ann_user) = h.user("ann@example.com").await;
    let (bob, _) = h.user("bob@example.com").await;
    let admin = h.admin().await;
    let count = |auth: String| {
        let client = h.client.clone();
        async move {
            client
                .get("/api/v1/items/")
                .header("authorization", &auth)
                .send()
                .await
                .json()["count"]
                .clone()
        }
    };
    let users = || async {
        h.client
            .get("/api/v1/users/")
            .header("authorization", &admin)
            .send()
            .await
            .json()["count"]
            .clone()
    };
    assert_eq!(users().await, 3);
    let mut anns = Vec::new();
    for t in ["a1", "a2", "a3"] {
        anns.push(create(&h, &ann, json!({"title": t})).await.json());
    }
    create(&h, &bob, json!({"title": "b1"})).await;
    assert_eq!(
        (count(ann.clone()).await, count(admin.clone()).await),
        (json!(3), json!(4))
    );
    let url = format!("/api/v1/items/{}", anns[0]["id"].as_str().unwrap());
    let res = h
        .client
        .delete(&url)
        .header("authorization", &ann)
        .send()
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        (count(ann.clone()).await, count(admin.clone()).await),
        (json!(2), json!(3))
    );
    // Deleting ann removes her items by cascade: the totals follow.
    let url = format!("/api/v1/users/{}", ann_user["id"].as_str().unwrap());
    let res = h
        .client
        .delete(&url)
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.status(), 200, "{}", res.text());
    assert_eq!(count(admin.clone()).await, 1);
    assert_eq!(count(bob.clone()).await, 1);
    assert_eq!(users().await, 2);
}

/// Creating an item looks the user up in the insert itself; its answers
/// are still `current_user`'s, in the template's order: a gone or inactive
/// user answers 404 or 400 before a 422 of the body, and nothing is added.
#[tokio::test]
async fn create_answers_the_users_checks_before_the_body() {
    let h = Harness::new().await;
    let admin = h.admin().await;
    let (bea, bea_json) = h.user("bea@example.com").await;
    let bea_url = format!("/api/v1/users/{}", bea_json["id"].as_str().unwrap());
    let valid = json!({"title": "Vase"});
    let invalid = json!({"title": ""});
    let answer = |res: ferroapi::TestResponse| (res.status().as_u16(), res.text());
    assert_eq!(create(&h, &bea, invalid.clone()).await.status(), 422);
    assert_eq!(create(&h, &bea, valid.clone()).await.status(), 200);
    let res = h
        .client
        .patch(&bea_url)
        .header("authorization", &admin)
        .json(&json!({"is_active": false}))
        .send()
        .await;
    assert_eq!(res.status(), 200);
    let inactive = (400, r#"{"detail":"Inactive user"}"#.to_string());
    assert_eq!(answer(create(&h, &bea, invalid.clone()).await), inactive);
    assert_eq!(answer(create(&h, &bea, valid.clone()).await), inactive);
    let res = h
        .client
        .delete(&bea_url)
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.status(), 200);
    let gone = (404, r#"{"detail":"User not found"}"#.to_string());
    assert_eq!(answer(create(&h, &bea, invalid).await), gone);
    assert_eq!(answer(create(&h, &bea, valid).await), gone);
    // A body that is not JSON answers before any dependency, as FastAPI's.
    let res = h
        .client
        .post("/api/v1/items/")
        .header("authorization", &bea)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await;
    assert_eq!(res.status(), 422);
    // Only the one valid item was ever added.
    let res = h
        .client
        .get("/api/v1/items/")
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.json()["count"], 0, "bea's item left with her");
}

#[tokio::test]
async fn the_listing_answers_the_users_checks_before_its_parameters() {
    let h = Harness::new().await;
    let admin = h.admin().await;
    let (bea, bea_json) = h.user("bea@example.com").await;
    let (cal, _) = h.user("cal@example.com").await;
    let bea_url = format!("/api/v1/users/{}", bea_json["id"].as_str().unwrap());
    for (who, title) in [(&bea, "Vase"), (&bea, "Lamp"), (&cal, "Desk")] {
        assert_eq!(create(&h, who, json!({"title": title})).await.status(), 200);
    }
    let list = |auth: String, query: &'static str| {
        let client = &h.client;
        async move {
            let res = client
                .get(&format!("/api/v1/items/{query}"))
                .header("authorization", &auth)
                .send()
                .await;
            (res.status().as_u16(), res.json())
        }
    };
    // Each user sees their own, the superuser everyone's; a page past the
    // end still carries the total.
    let (status, body) = list(bea.clone(), "").await;
    assert_eq!((status, body["count"].clone()), (200, json!(2)));
    let (_, body) = list(cal.clone(), "").await;
    assert_eq!(body["count"], 1);
    assert_eq!(body["data"][0]["title"], "Desk");
    let (_, body) = list(admin.clone(), "").await;
    assert_eq!(body["count"], 3);
    let (_, body) = list(admin.clone(), "?skip=3").await;
    assert_eq!(
        (body["count"].clone(), body["data"].clone()),
        (json!(3), json!([]))
    );
    let (_, body) = list(bea.clone(), "?skip=1&limit=1").await;
    assert_eq!(
        (body["count"].clone(), body["data"][0]["title"].clone()),
        (json!(2), json!("Vase"))
    );
    assert_eq!(list(bea.clone(), "?skip=-1").await.0, 422);
    // Inactive, then gone: the dependency's answer, whatever the parameters.
    let res = h
        .client
        .patch(&bea_url)
        .header("authorization", &admin)
        .json(&json!({"is_active": false}))
        .send()
        .await;
    assert_eq!(res.status(), 200);
    let inactive = (400, json!({"detail": "Inactive user"}));
    assert_eq!(list(bea.clone(), "").await, inactive);
    assert_eq!(list(bea.clone(), "?skip=-1").await, inactive);
    let res = h
        .client
        .delete(&bea_url)
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.status(), 200);
    let gone = (404, json!({"detail": "User not found"}));
    assert_eq!(list(bea.clone(), "").await, gone);
    assert_eq!(list(bea, "?limit=x").await, gone);
}
