//! A built frontend (`FRONTEND_DIR`) is served with the SPA fallback: files
//! as they are, `index.html` for browser navigations, the API's JSON 404 for
//! everything else.

mod common;

#[tokio::test]
async fn the_built_frontend_is_served_with_the_spa_fallback() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("index.html"),
        "<!doctype html><div id=root></div>",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("assets")).unwrap();
    std::fs::write(dir.path().join("assets/app.js"), "console.log(1)").unwrap();
    let path = dir.path().to_str().unwrap().to_string();
    let h = common::Harness::with(common::settings(&[("FRONTEND_DIR", &path)])).await;

    let res = h.client.get("/assets/app.js").send().await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (200, "console.log(1)".to_string())
    );
    let res = h
        .client
        .get("/items")
        .header("accept", "text/html,application/xhtml+xml")
        .send()
        .await;
    assert_eq!(res.status(), 200);
    assert!(res.text().contains("id=root"));
    let res = h.client.get("/items").send().await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (404, r#"{"detail":"Not Found"}"#.to_string())
    );
    // The API is not shadowed.
    let res = h.client.get("/api/v1/utils/health-check/").send().await;
    assert_eq!(res.text(), "true");
}
