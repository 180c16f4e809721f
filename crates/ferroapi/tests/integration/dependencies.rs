//! Dependencies (FastAPI's `Depends`): own parameters, sub-dependencies,
//! per-request cache, raising before the 422, overrides, documentation.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use ferroapi::{
    dependency, get, App, Depends, HTTPException, Header, Json, Query, State, TestClient,
};
use serde_json::{json, Value};

#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

/// Pagination read from the query, validated like any parameter.
#[dependency]
async fn paging(
    #[param(default = 0, ge = 0)] skip: Query<i64>,
    #[param(default = 10, gt = 0, le = 100)] limit: Query<i64>,
) -> (i64, i64) {
    (skip.0, limit.0)
}

#[dependency]
async fn token(x_token: Header<Option<String>>) -> Result<String, HTTPException> {
    match x_token.0 {
        Some(t) if t == "secret" => Ok(t),
        _ => Err(HTTPException::new(401, "Not authenticated").header("www-authenticate", "Bearer")),
    }
}

/// A sub-dependency, counted to show the per-request cache.
#[dependency]
async fn user(Depends(token): Depends<token>, State(counter): State<Counter>) -> String {
    counter.0.fetch_add(1, Ordering::SeqCst);
    format!("user-of-{token}")
}

#[dependency]
async fn audit(Depends(user): Depends<user>) -> String {
    format!("audited {user}")
}

#[get("/items")]
async fn items(
    n: Query<i64>,
    Depends(paging): Depends<paging>,
    Depends(user): Depends<user>,
    Depends(audit): Depends<audit>,
) -> Json<Value> {
    Json(json!({"n": n.0, "skip": paging.0, "limit": paging.1, "user": user, "audit": audit}))
}

fn app(counter: Counter) -> App<Counter> {
    App::with_state(counter).route(items)
}

#[tokio::test]
async fn resolves_sub_dependencies_once_per_request() {
    let counter = Counter::default();
    let client = TestClient::new(app(counter.clone()));
    let res = client
        .get("/items?n=1&skip=5")
        .header("x-token", "secret")
        .send()
        .await;
    assert_eq!(
        res.json(),
        json!({"n": 1, "skip": 5, "limit": 10, "user": "user-of-secret", "audit": "audited user-of-secret"})
    );
    // `user` is asked for twice (directly and through `audit`) but runs once.
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);
    client
        .get("/items?n=1")
        .header("x-token", "secret")
        .send()
        .await;
    assert_eq!(counter.0.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_raising_dependency_answers_before_the_422() {
    let client = TestClient::new(app(Counter::default()));
    // `n` is missing and `limit` invalid, but the token dependency raises first.
    let res = client.get("/items?limit=0").send().await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.header("www-authenticate"), Some("Bearer"));
    assert_eq!(res.text(), r#"{"detail":"Not authenticated"}"#);
}

#[tokio::test]
async fn dependency_parameters_are_validated_with_the_route_s() {
    let client = TestClient::new(app(Counter::default()));
    let res = client
        .get("/items?limit=0")
        .header("x-token", "secret")
        .send()
        .await;
    assert_eq!(res.status(), 422);
    let locs: Vec<Value> = res.json()["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["loc"].clone())
        .collect();
    assert_eq!(locs, [json!(["query", "limit"]), json!(["query", "n"])]);
}

#[tokio::test]
async fn overrides_replace_a_dependency_everywhere() {
    let counter = Counter::default();
    let app = app(counter.clone()).dependency_override::<user, _>(|_| Ok("test-user".to_string()));
    let client = TestClient::new(app);
    let res = client.get("/items?n=2").send().await;
    assert_eq!(res.json()["user"], "test-user");
    assert_eq!(res.json()["audit"], "audited test-user");
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
}

#[test]
fn dependency_parameters_are_documented() {
    let doc = app(Counter::default()).openapi();
    let names: Vec<&str> = doc["paths"]["/items"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["n", "skip", "limit", "x-token"]);
}

#[tokio::test]
async fn the_function_stays_callable() {
    assert_eq!(paging(Query(1), Query(2)).await, (1, 2));
}

#[dependency]
async fn verify_key(x_key: Header<String>) -> Result<(), HTTPException> {
    if x_key.0 == "k" {
        Ok(())
    } else {
        Err(HTTPException::new(400, "X-Key header invalid"))
    }
}

#[dependency]
async fn count_request(State(counter): State<Counter>) {
    counter.0.fetch_add(1, Ordering::SeqCst);
}

#[get("/open")]
async fn open() -> Json<&'static str> {
    Json("open")
}

#[get("/guarded", dependencies = [verify_key])]
async fn guarded() -> Json<&'static str> {
    Json("guarded")
}

#[get("/admin")]
async fn admin(n: Query<i64>) -> Json<i64> {
    Json(n.0)
}

fn guarded_app(counter: Counter) -> App<Counter> {
    App::with_state(counter)
        .dependency::<count_request>()
        .route(open)
        .route(guarded)
        .include_router(
            ferroapi::APIRouter::new()
                .prefix("/r")
                .dependency::<token>()
                .route(admin),
        )
}

#[tokio::test]
async fn route_router_and_app_dependencies_run_first() {
    let counter = Counter::default();
    let client = TestClient::new(guarded_app(counter.clone()));
    assert_eq!(client.get("/open").send().await.text(), "\"open\"");
    let res = client.get("/guarded").header("x-key", "nope").send().await;
    assert_eq!(res.status(), 400);
    assert_eq!(res.text(), r#"{"detail":"X-Key header invalid"}"#);
    let res = client.get("/guarded").send().await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json()["detail"][0]["loc"], json!(["header", "x-key"]));
    assert_eq!(
        client
            .get("/guarded")
            .header("x-key", "k")
            .send()
            .await
            .status(),
        200
    );
    // The router's token dependency answers 401 before the route's 422.
    let res = client.get("/r/admin").send().await;
    assert_eq!(res.status(), 401);
    let res = client
        .get("/r/admin?n=3")
        .header("x-token", "secret")
        .send()
        .await;
    assert_eq!(res.text(), "3");
    // The app-level dependency ran for every request.
    assert_eq!(counter.0.load(Ordering::SeqCst), 6);
}

#[test]
fn guard_parameters_are_documented() {
    let doc = guarded_app(Counter::default()).openapi();
    let names = |path: &str| -> Vec<String> {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|p| p["name"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert_eq!(names("/guarded"), ["x-key"]);
    assert_eq!(names("/r/admin"), ["n", "x-token"]);
    assert!(names("/open").is_empty());
}

/// FastAPI caches a dependency per set of scopes it is resolved under.
mod scoped_cache {
    use super::*;
    use ferroapi::security::SecurityScopes;

    #[dependency]
    async fn scoped(scopes: SecurityScopes, State(counter): State<Counter>) -> String {
        counter.0.fetch_add(1, Ordering::SeqCst);
        scopes.scope_str()
    }

    #[get("/scoped")]
    async fn route(
        Depends(a): Depends<scoped>,
        #[param(scopes = ["x"])] Depends(b): Depends<scoped>,
        #[param(scopes = ["x"])] Depends(c): Depends<scoped>,
    ) -> Json<Value> {
        Json(json!([a, b, c]))
    }

    #[tokio::test]
    async fn a_dependency_runs_once_per_scope_set() {
        let counter = Counter::default();
        let client = TestClient::new(App::with_state(counter.clone()).route(route));
        let res = client.get("/scoped").send().await;
        assert_eq!(res.json(), json!(["", "x", "x"]));
        assert_eq!(counter.0.load(Ordering::SeqCst), 2);
    }
}

/// `App::override_dependency::<D, W>()`: W's own parameters are extracted
/// and validated; the document still shows D's.
mod override_with_dependency {
    use super::*;

    #[dependency]
    async fn fake_token(x_test_user: Header<String>) -> Result<String, HTTPException> {
        if x_test_user.0 == "nobody" {
            return Err(HTTPException::new(403, "Forbidden"));
        }
        Ok(format!("test-{}", x_test_user.0))
    }

    fn client() -> TestClient {
        TestClient::new(app(Counter::default()).override_dependency::<token, fake_token>())
    }

    #[tokio::test]
    async fn the_replacement_runs_with_its_own_parameters() {
        let res = client()
            .get("/items?n=1")
            .header("x-test-user", "ann")
            .send()
            .await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json()["user"], "user-of-test-ann");
    }

    #[tokio::test]
    async fn its_parameters_are_validated_and_its_errors_raised() {
        let res = client().get("/items?n=1").send().await;
        assert_eq!(res.status(), 422);
        assert_eq!(
            res.json()["detail"][0]["loc"],
            json!(["header", "x-test-user"])
        );
        let res = client()
            .get("/items?n=1")
            .header("x-test-user", "nobody")
            .send()
            .await;
        assert_eq!(res.status(), 403);
    }

    #[test]
    fn the_document_still_shows_the_original() {
        let doc = app(Counter::default())
            .override_dependency::<token, fake_token>()
            .openapi();
        let params = doc["paths"]["/items"]["get"]["parameters"].to_string();
        assert!(params.contains("x-token"), "{params}");
        assert!(!params.contains("x-test-user"), "{params}");
    }
}

mod max_concurrency {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use ferroapi::{dependency, get, App, Depends, Json, TestClient};

    static RUNNING: AtomicUsize = AtomicUsize::new(0);
    static PEAK: AtomicUsize = AtomicUsize::new(0);

    #[dependency]
    async fn slow() -> usize {
        let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(now, Ordering::SeqCst);
        tokio::time::sleep(std::time::Duration::from_millis(30)).await;
        RUNNING.fetch_sub(1, Ordering::SeqCst);
        now
    }

    #[get("/limited")]
    async fn limited(#[param(max_concurrency = 2)] n: Depends<slow>) -> Json<usize> {
        Json(n.0)
    }

    /// FastAPI's `Depends(max_concurrency=2)`: a third call waits for a slot.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn at_most_n_calls_run_at_once() {
        let client = TestClient::new(App::new().route(limited));
        let calls = (0..8).map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get("/limited").send().await.status() })
        });
        for c in calls.collect::<Vec<_>>() {
            assert_eq!(c.await.unwrap(), 200);
        }
        assert_eq!(
            PEAK.load(Ordering::SeqCst),
            2,
            "never more than two at once, and two did run together"
        );
    }
}

mod not_clone {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use ferroapi::{dependency, get, App, Depends, Json, TestClient};

    static MADE: AtomicUsize = AtomicUsize::new(0);

    /// A value that cannot be copied (a connection, a transaction).
    struct Conn(usize);

    #[dependency]
    async fn conn() -> Conn {
        Conn(MADE.fetch_add(1, Ordering::SeqCst) + 1)
    }

    #[dependency]
    async fn reader(c: Depends<conn>) -> usize {
        c.0 .0
    }

    #[get("/two")]
    async fn two(a: Depends<conn>, b: Depends<reader>) -> Json<(usize, usize)> {
        Json((a.0 .0, b.0))
    }

    /// A dependency whose value is not `Clone` works; each use makes its own.
    #[tokio::test]
    async fn values_that_cannot_be_copied_are_made_per_use() {
        let client = TestClient::new(App::new().route(two));
        let res = client.get("/two").send().await;
        assert_eq!(res.status(), 200);
        assert_eq!(res.json(), serde_json::json!([1, 2]));
    }
}

#[derive(serde::Deserialize, serde::Serialize, schemars::JsonSchema, garde::Validate)]
struct Entry {
    #[garde(skip)]
    text: String,
}

#[ferroapi::post("/entries")]
async fn add_entry(Depends(user): Depends<user>, entry: Json<Entry>) -> Json<Value> {
    Json(json!({"user": user, "text": entry.0.text}))
}

/// FastAPI decodes a JSON body before it solves the dependencies: a body
/// that is not JSON is its 422 (or 400) and no dependency runs — not even
/// one that would refuse the request; a body that decodes but does not
/// validate still meets the dependencies first.
#[tokio::test]
async fn an_undecodable_body_is_answered_before_any_dependency_runs() {
    let counter = Counter::default();
    let client = TestClient::new(App::with_state(counter.clone()).route(add_entry));
    for token in [None, Some("secret")] {
        let mut req = client
            .post("/entries")
            .header("content-type", "application/json")
            .body(r#"{"text": "#);
        if let Some(t) = token {
            req = req.header("x-token", t);
        }
        let res = req.send().await;
        assert_eq!(res.status(), 422, "{token:?}: {}", res.text());
        assert_eq!(res.json()["detail"][0]["type"], "json_invalid");
    }
    let res = client
        .post("/entries")
        .header("content-type", "application/json")
        .body(b"{\"text\": \"\xff\"}".to_vec())
        .send()
        .await;
    assert_eq!(res.status(), 400, "{}", res.text());
    assert_eq!(counter.0.load(Ordering::SeqCst), 0, "a dependency ran");
    // Python's decoder reads NaN: decodable, so the dependency refuses first.
    let res = client
        .post("/entries")
        .header("content-type", "application/json")
        .body(r#"{"text": NaN}"#)
        .send()
        .await;
    assert_eq!(res.status(), 401, "{}", res.text());
    let res = client
        .post("/entries")
        .header("content-type", "application/json")
        .header("x-token", "secret")
        .body(r#"{"text": "a"}"#)
        .send()
        .await;
    assert_eq!(res.json(), json!({"user": "user-of-secret", "text": "a"}));
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);
}

/// `Deferred<user>`: the route does the user's work itself when every
/// parameter is valid; ferroapi resolves it only to let its error answer
/// before a 422, as `Depends` would.
#[derive(Debug, serde::Deserialize, schemars::JsonSchema, garde::Validate)]
#[garde(allow_unvalidated)]
struct Note {
    text: String,
}

#[ferroapi::post("/notes")]
async fn add_note(
    _user: ferroapi::Deferred<user>,
    note: Json<Note>,
    State(counter): State<Counter>,
) -> Json<Value> {
    Json(json!({"text": note.0.text, "user_calls": counter.0.load(Ordering::SeqCst)}))
}

#[tokio::test]
async fn a_deferred_dependency_runs_only_to_answer_before_a_422() {
    let counter = Counter::default();
    let app = App::with_state(counter.clone()).route(add_note);
    let client = TestClient::new(app);
    // Valid: the dependency is not run (the route does its work).
    let res = client
        .post("/notes")
        .header("x-token", "secret")
        .json(&json!({"text": "hi"}))
        .send()
        .await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json(), json!({"text": "hi", "user_calls": 0}));
    // Invalid body, failing dependency: the dependency's 401 answers.
    let res = client.post("/notes").json(&json!({"text": 5})).send().await;
    assert_eq!(res.status(), 401);
    assert_eq!(res.json(), json!({"detail": "Not authenticated"}));
    // Invalid body, passing dependency: it ran, and the 422 answers.
    let res = client
        .post("/notes")
        .header("x-token", "secret")
        .json(&json!({"text": 5}))
        .send()
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(res.json()["detail"][0]["loc"], json!(["body", "text"]));
    assert_eq!(counter.0.load(Ordering::SeqCst), 1);
    // Documented as the dependency is: its header parameter.
    let doc = client.get("/openapi.json").send().await.json();
    let params = &doc["paths"]["/notes"]["post"]["parameters"];
    assert_eq!(params[0]["name"], "x-token", "{params}");
}
