//! `ferroapi contract record --pytest --db`: a FastAPI app's own pytest suite
//! (`tests/apps/notes`, one table), recorded request by request with the
//! database state each request met; then `contract replay --restore-db`
//! against a ferroapi port of the app (below) on a database of its own,
//! each request sent from that state. On SQLite always; on PostgreSQL when
//! `FERROAPI_TEST_POSTGRES` or `FULLSTACK_TEST_POSTGRES` names a server (an
//! admin URL; `.ci/run` sets both), else that test says it was skipped.

use std::net::SocketAddr;
use std::process::Command;

use ferroapi::{get, post, App, HTTPException, Json, Path as PathParam, State};
use serde_json::{json, Value};

mod common;
use common::{counts, python, replay, root, text};

/// The port's database.
#[derive(Clone)]
enum Db {
    Postgres(sqlx::PgPool),
    Sqlite(sqlx::SqlitePool),
}

type Row = (i64, String);

impl Db {
    async fn open(url: &str) -> Db {
        match url.strip_prefix("sqlite:") {
            Some(path) => {
                let options = sqlx::sqlite::SqliteConnectOptions::new()
                    .filename(path.strip_prefix("//").unwrap_or(path))
                    .busy_timeout(std::time::Duration::from_secs(10));
                Db::Sqlite(sqlx::SqlitePool::connect_with(options).await.unwrap())
            }
            None => Db::Postgres(sqlx::PgPool::connect(url).await.unwrap()),
        }
    }

    /// Runs a statement of no answer.
    async fn run(&self, sql: &'static str) {
        match self {
            Db::Postgres(p) => drop(sqlx::raw_sql(sql).execute(p).await.unwrap()),
            Db::Sqlite(p) => drop(sqlx::raw_sql(sql).execute(p).await.unwrap()),
        }
    }

    async fn rows(&self, pg: &'static str, lite: &'static str, arg: Option<Value>) -> Vec<Row> {
        macro_rules! fetch {
            ($pool:expr, $sql:expr) => {{
                let q = sqlx::query_as::<_, Row>($sql);
                let q = match &arg {
                    Some(Value::String(s)) => q.bind(s.clone()),
                    Some(v) => q.bind(v.as_i64().unwrap()),
                    None => q,
                };
                q.fetch_all($pool).await.unwrap()
            }};
        }
        match self {
            Db::Postgres(p) => fetch!(p, pg),
            Db::Sqlite(p) => fetch!(p, lite),
        }
    }
}

#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate)]
struct NoteIn {
    #[garde(length(chars, min = 1, max = 50))]
    text: String,
}

fn note((id, text): &Row) -> Value {
    json!({"id": id, "text": text})
}

#[post("/notes", status_code = 201)]
async fn create_note(State(db): State<Db>, note_in: Json<NoteIn>) -> Json<Value> {
    let rows = db
        .rows(
            "INSERT INTO note (text) VALUES ($1) RETURNING id::bigint, text",
            "INSERT INTO note (text) VALUES (?) RETURNING id, text",
            Some(json!(note_in.0.text)),
        )
        .await;
    Json(note(&rows[0]))
}

#[get("/notes")]
async fn list_notes(State(db): State<Db>) -> Json<Vec<Value>> {
    let rows = db
        .rows(
            "SELECT id::bigint, text FROM note ORDER BY id",
            "SELECT id, text FROM note ORDER BY id",
            None,
        )
        .await;
    Json(rows.iter().map(note).collect())
}

#[get("/notes/{note_id}")]
async fn read_note(
    State(db): State<Db>,
    note_id: PathParam<i64>,
) -> Result<Json<Value>, HTTPException> {
    let rows = db
        .rows(
            "SELECT id::bigint, text FROM note WHERE id = $1",
            "SELECT id, text FROM note WHERE id = ?",
            Some(json!(*note_id)),
        )
        .await;
    rows.first()
        .map(|r| Json(note(r)))
        .ok_or_else(|| HTTPException::new(404, "Note not found"))
}

/// The port on its database, served on a free port until the test ends;
/// its own migration first: the app's table, and a column of the port's
/// own, which a restore leaves to its default.
fn serve(url: &str) -> SocketAddr {
    let url = url.to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let db = Db::open(&url).await;
            db.run(match db {
                Db::Postgres(_) => {
                    "CREATE TABLE note (id serial PRIMARY KEY, text text NOT NULL, \
                     seen boolean NOT NULL DEFAULT false)"
                }
                Db::Sqlite(_) => {
                    "CREATE TABLE note (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL, \
                     seen INTEGER NOT NULL DEFAULT 0)"
                }
            })
            .await;
            let app = App::with_state(db)
                .title("Notes")
                .route(create_note)
                .route(list_notes)
                .route(read_note);
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            ferroapi::axum::serve(
                listener,
                app.into_router()
                    .into_make_service_with_connect_info::<SocketAddr>(),
            )
            .await
            .unwrap();
        });
    });
    rx.recv().unwrap()
}

/// Runs a query on a database from outside the port (`rows`: one that
/// answers rows).
fn outside(url: &str, sql: &'static str, rows: bool) -> Vec<Row> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let db = Db::open(url).await;
        match rows {
            true => db.rows(sql, sql, None).await,
            false => {
                db.run(sql).await;
                Vec::new()
            }
        }
    })
}

/// Records the notes app's suite on `python_db`, replays it against the
/// port on `port_db`, then with the states written to `elsewhere` (which
/// the port does not read).
fn recorded_and_replayed(python_db: &str, port_db: &str, elsewhere: &str) {
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("suite.json");
    let app_dir = root().join("crates/ferroapi-cli/tests/apps/notes");
    let out = Command::new(env!("CARGO_BIN_EXE_ferroapi"))
        .args(["contract", "record", "notes:app", "--python"])
        .arg(python())
        .arg("--app-dir")
        .arg(&app_dir)
        .args(["--pytest", "-q", "--db", python_db, "--no-generate", "-o"])
        .arg(&recording)
        .env("NOTES_DB", python_db)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains("failed"), "{}", text(&out));
    let rec: Value = serde_json::from_slice(&std::fs::read(&recording).unwrap()).unwrap();
    let cases = rec["cases"].as_array().unwrap();
    let names: Vec<&str> = cases.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "test_notes.py::test_create_then_list #1",
            "test_notes.py::test_create_then_list #2",
            "test_notes.py::test_a_row_the_test_writes_itself #1",
            "test_notes.py::test_missing_and_invalid #1",
            "test_notes.py::test_missing_and_invalid #2",
            "test_notes.py::test_an_async_client #1",
        ]
    );
    let states = &rec["database"]["states"];
    for c in cases {
        assert_eq!(c["expect"], "suite", "{c}");
        let state = c["state"].as_str().expect("each request's state");
        assert!(states[state]["tables"].is_object(), "{state}");
        assert!(c["user_code"].is_boolean(), "{c}");
    }
    // The create was sent twice from the same state, its id's counter put
    // back between: the same id both times, so no noise.
    assert_eq!(cases[0]["response"]["status"], 201);
    assert_eq!(cases[0]["noise"], json!([]), "{}", cases[0]);
    // The row the test wrote itself is in the state its request met.
    let third = states[cases[2]["state"].as_str().unwrap()].to_string();
    assert!(third.contains("written by the test"), "{third}");

    // Replayed against the port, each request from its state: the same.
    let addr = serve(port_db);
    let out = replay(&recording, addr, &["--restore-db", port_db]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(counts(&out), [6, 0, 0, 0], "{}", text(&out));
    // The port's database was put in the last state: the test's own row.
    let rows = outside(
        port_db,
        "SELECT CAST(0 AS BIGINT), text FROM note ORDER BY id",
        true,
    );
    assert!(
        rows.iter().any(|r| r.1 == "written by the test"),
        "{rows:?}"
    );

    // The states written where the port does not read, its own database
    // emptied: the request that reads the test's row differs, and the
    // replay says so.
    outside(port_db, "DELETE FROM note", false);
    let out = replay(&recording, addr, &["--restore-db", elsewhere]);
    assert!(!out.status.success(), "{}", text(&out));
    let said = text(&out);
    assert!(
        said.contains("DIFFERENT test_notes.py::test_a_row_the_test_writes_itself #1"),
        "{said}"
    );

    // A recording with states and no database to restore: said, not guessed.
    let out = replay(&recording, addr, &[]);
    assert!(!out.status.success());
    assert!(
        text(&out).contains("give --restore-db URL"),
        "{}",
        text(&out)
    );
}

#[test]
fn a_suite_on_sqlite_is_recorded_with_each_state_and_replayed_from_it() {
    let dir = tempfile::tempdir().unwrap();
    let url = |name: &str| format!("sqlite:{}", dir.path().join(name).display());
    // The other database the states go to, with the port's table.
    let elsewhere = url("elsewhere.db");
    std::fs::File::create(&elsewhere["sqlite:".len()..]).unwrap();
    outside(
        &elsewhere,
        "CREATE TABLE note (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL, \
         seen INTEGER NOT NULL DEFAULT 0)",
        false,
    );
    let port = url("port.db");
    std::fs::File::create(&port["sqlite:".len()..]).unwrap();
    recorded_and_replayed(&url("python.db"), &port, &elsewhere);
}

/// Runs psql on the admin database.
fn psql(admin: &str, sql: &str) {
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", admin, "-c", sql])
        .output()
        .expect("psql");
    assert!(out.status.success(), "psql {sql}: {}", text(&out));
}

/// Databases made for one test, dropped when it ends.
struct Databases {
    admin: String,
    names: Vec<String>,
}

impl Databases {
    fn url(&self, i: usize) -> String {
        let base = self.admin.rsplit_once('/').unwrap().0;
        format!("{base}/{}", self.names[i])
    }
}

impl Drop for Databases {
    fn drop(&mut self) {
        for n in &self.names {
            let _ = Command::new("psql")
                .args(["-X", "-q", "-d", &self.admin, "-c"])
                .arg(format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)"))
                .output();
        }
    }
}

#[test]
fn a_suite_on_postgresql_is_recorded_with_each_state_and_replayed_from_it() {
    // Its own variable: scripts/test empties FULLSTACK_TEST_POSTGRES for the
    // workspace's first pass (the flagship on SQLite).
    let Some(admin) = ["FERROAPI_TEST_POSTGRES", "FULLSTACK_TEST_POSTGRES"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
    else {
        println!("skipped: neither FERROAPI_TEST_POSTGRES nor FULLSTACK_TEST_POSTGRES is set");
        return;
    };
    let tag = std::process::id();
    let dbs = Databases {
        admin: admin.clone(),
        names: ["notes_python", "notes_port", "notes_elsewhere"]
            .iter()
            .map(|n| format!("{n}_{tag}"))
            .collect(),
    };
    for n in &dbs.names {
        psql(&admin, &format!("DROP DATABASE IF EXISTS {n}"));
        psql(&admin, &format!("CREATE DATABASE {n}"));
    }
    psql(
        &dbs.url(2),
        "CREATE TABLE note (id serial PRIMARY KEY, text text NOT NULL, \
         seen boolean NOT NULL DEFAULT false)",
    );
    recorded_and_replayed(&dbs.url(0), &dbs.url(1), &dbs.url(2));
}
