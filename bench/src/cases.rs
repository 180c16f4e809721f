//! The endpoints, as requests: the rows the harness measures and the extra
//! cases the smoke run checks across every implementation.

/// How much of an answer every implementation must share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agree {
    /// Status and body, for every implementation.
    All,
    /// Status for every implementation; the body for FastAPI and ferroapi
    /// (the contract being ported: FastAPI's error bodies). The other peers
    /// answer the status in their own error format.
    Contract,
}

/// One request and what it must get.
#[derive(Debug, Clone)]
pub struct Case {
    /// Short name (a table row for measured cases).
    pub name: &'static str,
    /// `GET` or `POST`.
    pub method: &'static str,
    /// Path and query.
    pub path: &'static str,
    /// JSON body, if any.
    pub body: Option<&'static str>,
    /// Sends `Authorization: Bearer <a valid token>`; `Some("...")` sends that header value.
    pub auth: Auth,
    /// The status every implementation must answer.
    pub status: u16,
    /// What else must agree.
    pub agree: Agree,
}

/// The `Authorization` header of a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// None.
    None,
    /// A valid bearer token for `alice`.
    Valid,
    /// This header value, verbatim.
    Raw(&'static str),
}

/// A valid order (3 lines).
pub const ORDER: &str = r#"{"customer":"ferris","lines":[{"sku":"ABC-1234","quantity":2,"unit_price":2.5},{"sku":"XYZ-0001","quantity":1,"unit_price":10.25},{"sku":"QQQ-9999","quantity":4,"unit_price":0.75}],"coupon":"WELCOME"}"#;
/// An order breaking four rules (empty customer, bad sku, zero quantity, negative price).
pub const BAD_ORDER: &str =
    r#"{"customer":"","lines":[{"sku":"abc","quantity":0,"unit_price":-1.0}]}"#;

const fn case(name: &'static str, method: &'static str, path: &'static str) -> Case {
    Case {
        name,
        method,
        path,
        body: None,
        auth: Auth::None,
        status: 200,
        agree: Agree::All,
    }
}

/// The measured endpoints, one table row each.
pub fn measured() -> Vec<Case> {
    vec![
        case("plaintext", "GET", "/plaintext"),
        case("json", "GET", "/json"),
        case("path+query", "GET", "/items/42?q=ferris&limit=5"),
        Case {
            body: Some(ORDER),
            ..case("body valid", "POST", "/orders")
        },
        Case {
            body: Some(BAD_ORDER),
            status: 422,
            agree: Agree::Contract,
            ..case("body invalid", "POST", "/orders")
        },
        case("large list", "GET", "/large"),
        Case {
            auth: Auth::Valid,
            ..case("bearer JWT", "GET", "/me")
        },
        case("sqlite 20 rows", "GET", "/rows?start=4242"),
        case("cpu ~1ms", "GET", "/cpu/ferris"),
    ]
}

/// Everything the smoke run checks: the measured cases and the edges.
pub fn smoke() -> Vec<Case> {
    let bad = |name, path| Case {
        status: 422,
        agree: Agree::Contract,
        ..case(name, "GET", path)
    };
    let mut all = measured();
    all.extend([
        case("path default query", "GET", "/items/1"),
        bad("path below minimum", "/items/0"),
        bad("path not an int", "/items/abc"),
        bad("query above maximum", "/items/7?limit=101"),
        bad("query too long", "/items/7?q=aaaaaaaaaaaaaaaaaaaaa"),
        Case {
            body: Some(r#"{"customer":"x","lines":[]}"#),
            status: 422,
            agree: Agree::Contract,
            ..case("body no lines", "POST", "/orders")
        },
        Case {
            body: Some(r#"{"customer":"x""#),
            status: 422,
            agree: Agree::Contract,
            ..case("body malformed", "POST", "/orders")
        },
        Case {
            status: 401,
            agree: Agree::Contract,
            ..case("no token", "GET", "/me")
        },
        Case {
            auth: Auth::Raw("Bearer not.a.token"),
            status: 401,
            agree: Agree::Contract,
            ..case("bad token", "GET", "/me")
        },
        case("sqlite first page", "GET", "/rows?start=1"),
        case("sqlite last page", "GET", "/rows?start=9981"),
        bad("sqlite start too big", "/rows?start=9982"),
        bad("sqlite start missing", "/rows"),
        case("cpu other word", "GET", "/cpu/%C3%A9t%C3%A9"),
    ]);
    all
}
