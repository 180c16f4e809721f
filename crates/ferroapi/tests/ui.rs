//! Compile-fail tests of the route macros and of the user-facing traits'
//! diagnostics (`.stderr` files are the reviewed expectations).

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.pass("tests/ui/pass/*.rs");
    t.compile_fail("tests/ui/fail/*.rs");
}
