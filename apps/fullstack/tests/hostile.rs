//! The flagship under hostile input and a failing deployment: NUL characters
//! in every stored string (a 422, never PostgreSQL's 500), a database that
//! goes away (503 in seconds, and back by itself), a frontend symlink that
//! leaves its directory (404). The hashing queue has its own file
//! (`hashing_queue.rs`): its queue is the process's.

mod common;

use std::time::{Duration, Instant};

use serde_json::json;

/// Asserts one pydantic `value_error` item at `loc` for a NUL string.
fn assert_nul_refused(res: &ferroapi::TestResponse, loc: serde_json::Value) {
    assert_eq!(res.status(), 422, "{}", res.text());
    let detail = res.json()["detail"].clone();
    let items = detail.as_array().expect("a list");
    assert!(
        items.iter().any(|i| i["loc"] == loc
            && i["type"] == "value_error"
            && i["msg"] == "Value error, NUL characters are not allowed"),
        "{detail}"
    );
}

#[tokio::test]
async fn nul_in_any_stored_string_is_a_422() {
    let h = common::Harness::new().await;
    let res = h
        .client
        .post("/api/v1/users/signup")
        .json(
            &json!({"email": "nul@example.com", "password": "password123", "full_name": "a\u{0}b"}),
        )
        .send()
        .await;
    assert_nul_refused(&res, json!(["body", "full_name"]));
    let res = h
        .client
        .post("/api/v1/login/access-token")
        .form(&[("username", "admin\u{0}@example.com"), ("password", "x")])
        .send()
        .await;
    assert_nul_refused(&res, json!(["body", "username"]));
    let res = h
        .client
        .post("/api/v1/password-recovery/a%00b@example.com")
        .send()
        .await;
    assert_nul_refused(&res, json!(["path", "email"]));

    let (bearer, _) = h.user("someone@example.com").await;
    let res = h
        .client
        .post("/api/v1/items/")
        .header("authorization", &bearer)
        .json(&json!({"title": "t\u{0}", "description": "d\u{0}"}))
        .send()
        .await;
    assert_nul_refused(&res, json!(["body", "title"]));
    assert_nul_refused(&res, json!(["body", "description"]));
    let res = h
        .client
        .patch("/api/v1/users/me")
        .header("authorization", &bearer)
        .json(&json!({"full_name": "x\u{0}"}))
        .send()
        .await;
    assert_nul_refused(&res, json!(["body", "full_name"]));
    let admin = h.admin().await;
    let res = h
        .client
        .post("/api/v1/users/")
        .header("authorization", &admin)
        .json(&json!({"email": "n2@example.com", "password": "password123", "full_name": "\u{0}"}))
        .send()
        .await;
    assert_nul_refused(&res, json!(["body", "full_name"]));
    // Nothing was stored on the way, and the server is fine.
    let res = h
        .client
        .get("/api/v1/users/")
        .header("authorization", &admin)
        .send()
        .await;
    assert_eq!(res.json()["count"], 2);
}

#[tokio::test]
async fn frontend_symlinks_out_of_the_directory_are_not_served() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "top secret").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("index.html"), "<div id=root></div>").unwrap();
    std::fs::write(dir.path().join("real.txt"), "inside").unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret.txt"),
        dir.path().join("leak.txt"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("outdir")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("real.txt"), dir.path().join("alias.txt")).unwrap();
    let path = dir.path().to_str().unwrap().to_string();
    let h = common::Harness::with(common::settings(&[("FRONTEND_DIR", &path)])).await;
    for leak in ["/leak.txt", "/outdir/secret.txt", "/outdir/", "/%6Ceak.txt"] {
        let res = h.client.get(leak).send().await;
        assert_eq!(res.status(), 404, "{leak}");
        assert!(!res.text().contains("top secret"), "{leak}");
        let res = h
            .client
            .get(leak)
            .header("accept", "text/html")
            .send()
            .await;
        assert!(!res.text().contains("top secret"), "{leak}");
    }
    // A symlink that stays inside is served, as Starlette does.
    let res = h.client.get("/alias.txt").send().await;
    assert_eq!(
        (res.status().as_u16(), res.text()),
        (200, "inside".to_string())
    );
}

/// A TCP relay to PostgreSQL that the test can cut and restore.
struct Relay {
    port: u16,
    target: String,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Relay {
    async fn start(target: &str) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let mut relay = Relay {
            port,
            target: target.to_string(),
            task: None,
        };
        relay.task = Some(Relay::run(listener, relay.target.clone()));
        relay
    }

    fn run(listener: tokio::net::TcpListener, target: String) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            let mut links = tokio::task::JoinSet::new();
            while let Ok((mut client, _)) = listener.accept().await {
                let target = target.clone();
                links.spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
            }
        })
    }

    /// Drops the listener and every relayed connection (the JoinSet aborts
    /// its tasks when dropped).
    fn cut(&mut self) {
        if let Some(t) = self.task.take() {
            t.abort();
        }
    }

    async fn restore(&mut self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port))
            .await
            .unwrap();
        self.task = Some(Relay::run(listener, self.target.clone()));
    }
}

#[tokio::test]
async fn a_database_that_goes_away_answers_503_in_seconds_and_comes_back() {
    use sqlx::Executor;
    let Ok(admin_url) = std::env::var("FULLSTACK_TEST_POSTGRES") else {
        println!("skipped: FULLSTACK_TEST_POSTGRES is not set");
        return;
    };
    if admin_url.is_empty() {
        return;
    }
    // postgresql://user@host:port/db
    let (prefix, rest) = admin_url.split_once("://").unwrap();
    let (user, hostport) = rest.split_once('@').unwrap();
    let hostport = hostport.split('/').next().unwrap();
    let name = format!("fullstack_test_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&admin_url).await.unwrap();
    admin
        .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .await
        .unwrap();
    admin.close().await;

    let mut relay = Relay::start(hostport).await;
    let url = format!("{prefix}://{user}@127.0.0.1:{}/{name}", relay.port);
    let db = fullstack::db::Db::connect(&url).await.unwrap();
    let settings = common::settings(&[]);
    fullstack::seed_first_superuser(&db, &settings)
        .await
        .unwrap();
    let state = fullstack::AppState {
        settings: std::sync::Arc::new(settings),
        db,
    };
    let client = ferroapi::TestClient::new(fullstack::app(state));
    let login = client
        .post("/api/v1/login/access-token")
        .form(&[
            ("username", common::ADMIN),
            ("password", common::ADMIN_PASSWORD),
        ])
        .send()
        .await;
    let bearer = format!("Bearer {}", login.json()["access_token"].as_str().unwrap());
    let me = || async {
        client
            .get("/api/v1/users/me")
            .header("authorization", &bearer)
            .send()
            .await
    };
    assert_eq!(me().await.status(), 200);

    relay.cut();
    for _ in 0..3 {
        let started = Instant::now();
        let res = me().await;
        let took = started.elapsed();
        assert_eq!(res.status(), 503, "{}", res.text());
        assert_eq!(res.json(), json!({"detail": "Service Unavailable"}));
        assert!(took < Duration::from_secs(6), "503 after {took:?}");
    }

    relay.restore().await;
    let started = Instant::now();
    loop {
        let res = me().await;
        if res.status() == 200 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "not back after the database returned: {}",
            res.text()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
