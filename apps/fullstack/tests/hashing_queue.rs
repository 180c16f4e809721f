//! A burst of logins past the hashing queue gets a prompt 503 (in its own
//! test binary: the queue is process-wide).

mod common;

use std::time::Instant;

use serde_json::json;

#[tokio::test]
async fn a_burst_of_logins_past_the_hashing_queue_gets_a_prompt_503() {
    let h = common::Harness::new().await;
    let started = Instant::now();
    let burst = (0..80).map(|i| {
        let client = &h.client;
        async move {
            client
                .post("/api/v1/login/access-token")
                .form(&[
                    ("username", &format!("nobody{i}@example.com")),
                    ("password", "x"),
                ])
                .send()
                .await
        }
    });
    let answers = futures_util::future::join_all(burst).await;
    let took = started.elapsed();
    let busy: Vec<_> = answers.iter().filter(|r| r.status() == 503).collect();
    let refused = answers.iter().filter(|r| r.status() == 400).count();
    assert!(!busy.is_empty(), "80 logins at once were all queued");
    assert_eq!(busy.len() + refused, 80);
    assert!(
        refused >= 4 + fullstack::security::HASHING_QUEUE - 8,
        "only {refused} were served"
    );
    for r in busy {
        assert_eq!(r.json(), json!({"detail": "Service Unavailable"}));
        assert_eq!(r.header("retry-after"), Some("1"));
    }
    println!("80 logins at once: {refused} answered 400, the rest 503, in {took:?}");
    // Once the burst is over, logins work again.
    let res = h
        .client
        .post("/api/v1/login/access-token")
        .form(&[
            ("username", common::ADMIN),
            ("password", common::ADMIN_PASSWORD),
        ])
        .send()
        .await;
    assert_eq!(res.status(), 200);
}
