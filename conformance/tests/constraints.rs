//! Every rule the OpenAPI document of a conformance app states is enforced:
//! each parameter, form field and body field with a documented constraint
//! is sent a value breaking it, and must get a 422 naming it.

use ferroapi::TestClient;

#[tokio::test]
async fn every_documented_constraint_is_enforced() {
    let (mut held, mut skipped, mut failures) = (0, 0, Vec::new());
    for name in ferroapi_conformance::APPS {
        let app = ferroapi_conformance::app(name).expect("app");
        let report = TestClient::new(app).check_constraints(&[]).await;
        held += report.held.len();
        skipped += report.skipped.len();
        for s in &report.skipped {
            println!("skipped {name}: {s}");
        }
        failures.extend(report.failures.iter().map(|f| format!("{name}: {f}")));
    }
    println!(
        "constraints: {held} held, {skipped} skipped, {} failing",
        failures.len()
    );
    assert!(held > 50, "too few rules tried: {held}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
