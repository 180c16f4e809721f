//! A burst of logins past the hashing queue gets a 503 after the refusal
//! pause (in its own test binary: the queue is process-wide).

mod common;

use std::time::Instant;

use serde_json::json;

#[tokio::test]
async fn a_burst_of_logins_past_the_hashing_queue_gets_a_503_after_a_pause() {
    let h = common::Harness::new().await;
    // Twice what the queue takes now (it is sized by time: what a hash
    // costs on this machine), so that some must be refused.
    let n = 2 * fullstack::hashing::capacity() + 8;
    let started = Instant::now();
    let burst = (0..n).map(|i| {
        let client = &h.client;
        async move {
            let sent = Instant::now();
            let r = client
                .post("/api/v1/login/access-token")
                .form(&[
                    ("username", &format!("nobody{i}@example.com")),
                    ("password", "x"),
                ])
                .send()
                .await;
            (r, sent.elapsed())
        }
    });
    let answers = futures_util::future::join_all(burst).await;
    let took = started.elapsed();
    let busy: Vec<_> = answers.iter().filter(|(r, _)| r.status() == 503).collect();
    let refused = answers.iter().filter(|(r, _)| r.status() == 400).count();
    assert!(!busy.is_empty(), "{n} logins at once were all queued");
    assert_eq!(busy.len() + refused, n);
    assert!(
        refused >= fullstack::hashing::AT_ONCE,
        "only {refused} were served"
    );
    for (r, waited) in busy {
        assert_eq!(r.json(), json!({"detail": "Service Unavailable"}));
        assert_eq!(r.header("retry-after"), Some("1"));
        // Refusals are paused: a client retrying at once cannot spin.
        assert!(
            *waited >= fullstack::hashing::REFUSAL_PAUSE,
            "refused after {waited:?}"
        );
    }
    println!("{n} logins at once: {refused} answered 400, the rest 503, in {took:?}");
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
