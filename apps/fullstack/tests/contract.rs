//! Every rule the flagship's document states is enforced: each parameter,
//! form field and body field with a documented rule is sent a value breaking
//! it (as the superuser, so that no route answers 401 first) and must get
//! pydantic's 422 at that field.

mod common;

#[tokio::test]
async fn every_documented_constraint_is_enforced() {
    let h = common::Harness::new().await;
    let admin = h.admin().await;
    let report = h
        .client
        .check_constraints_at("/api/v1/openapi.json", &[("authorization", &admin)])
        .await;
    for s in &report.skipped {
        println!("skipped: {s}");
    }
    println!(
        "flagship constraints: {} held, {} skipped, {} failing",
        report.held.len(),
        report.skipped.len(),
        report.failures.len()
    );
    report.assert_held();
    assert!(report.held.len() >= 10, "{report:?}");
}
