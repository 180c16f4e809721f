//! `ferroapi contract record --pytest --db`: a FastAPI app's own pytest suite
//! (`tests/apps/notes`, a PostgreSQL table), recorded request by request with
//! the database state each request met; then `contract replay --restore-db`
//! against a ferroapi port of the app (below, reading its own database
//! through psql), each request sent from that state. Needs PostgreSQL
//! (`FERROAPI_TEST_POSTGRES` or `FULLSTACK_TEST_POSTGRES`, an admin URL;
//! `.ci/run` sets both): without it, the test says it was skipped.

use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output};

use ferroapi::{get, post, App, HTTPException, Json, Path as PathParam, State};
use serde_json::{json, Value};

mod common;
use common::{counts, python, root, text};

/// Runs psql on `db`; each row of the answer as its tab-separated fields.
fn sql(db: &str, query: &str) -> Vec<Vec<String>> {
    let out = Command::new("psql")
        .args([
            "-X",
            "-qAt",
            "-F",
            "\t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            db,
            "-c",
            query,
        ])
        .output()
        .expect("psql");
    assert!(out.status.success(), "psql {query}: {}", text(&out));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| l.split('\t').map(String::from).collect())
        .collect()
}

/// The port's database.
#[derive(Clone)]
struct Db(String);

#[derive(serde::Deserialize, schemars::JsonSchema, garde::Validate)]
struct NoteIn {
    #[garde(length(chars, min = 1, max = 50))]
    text: String,
}

fn note(row: &[String]) -> Value {
    json!({"id": row[0].parse::<i64>().unwrap(), "text": row[1]})
}

#[post("/notes", status_code = 201)]
async fn create_note(State(db): State<Db>, note_in: Json<NoteIn>) -> Json<Value> {
    let text = note_in.0.text.replace('\'', "''");
    let rows = sql(
        &db.0,
        &format!("INSERT INTO note (text) VALUES ('{text}') RETURNING id, text"),
    );
    Json(note(&rows[0]))
}

#[get("/notes")]
async fn list_notes(State(db): State<Db>) -> Json<Vec<Value>> {
    let rows = sql(&db.0, "SELECT id, text FROM note ORDER BY id");
    Json(rows.iter().map(|r| note(r)).collect())
}

#[get("/notes/{note_id}")]
async fn read_note(
    State(db): State<Db>,
    note_id: PathParam<i64>,
) -> Result<Json<Value>, HTTPException> {
    let rows = sql(
        &db.0,
        &format!("SELECT id, text FROM note WHERE id = {}", *note_id),
    );
    rows.first()
        .map(|r| Json(note(r)))
        .ok_or_else(|| HTTPException::new(404, "Note not found"))
}

/// The port, on its database, served on a free port until the test ends.
fn serve(db: &str) -> SocketAddr {
    let app = App::with_state(Db(db.to_string()))
        .title("Notes")
        .route(create_note)
        .route(list_notes)
        .route(read_note);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
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

/// Databases made for one test, dropped when it ends.
struct Databases {
    admin: String,
    names: Vec<String>,
}

impl Databases {
    fn create(admin: &str, names: &[&str]) -> Databases {
        let tag = std::process::id();
        let names: Vec<String> = names.iter().map(|n| format!("{n}_{tag}")).collect();
        for n in &names {
            sql(admin, &format!("DROP DATABASE IF EXISTS {n}"));
            sql(admin, &format!("CREATE DATABASE {n}"));
        }
        Databases {
            admin: admin.to_string(),
            names,
        }
    }

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

fn replay(recording: &Path, addr: SocketAddr, extra: &[&str]) -> Output {
    let against = format!("http://{addr}");
    Command::new(env!("CARGO_BIN_EXE_ferroapi"))
        .args([
            "contract",
            "replay",
            recording.to_str().unwrap(),
            "--against",
            &against,
        ])
        .args(extra)
        .output()
        .unwrap()
}

#[test]
fn a_suite_is_recorded_with_the_state_each_request_met_and_replayed_from_it() {
    // Its own variable: scripts/test empties FULLSTACK_TEST_POSTGRES for the
    // workspace's first pass (the flagship on SQLite).
    let Some(admin) = ["FERROAPI_TEST_POSTGRES", "FULLSTACK_TEST_POSTGRES"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|u| !u.is_empty()))
    else {
        println!("skipped: neither FERROAPI_TEST_POSTGRES nor FULLSTACK_TEST_POSTGRES is set");
        return;
    };
    let dbs = Databases::create(&admin, &["notes_python", "notes_port", "notes_elsewhere"]);
    let (python_db, port_db, elsewhere) = (dbs.url(0), dbs.url(1), dbs.url(2));
    // The port's own migration: the same table, and a column of the port's
    // own, which a restore leaves to its default.
    for db in [&port_db, &elsewhere] {
        sql(
            db,
            "CREATE TABLE note (id serial PRIMARY KEY, text text NOT NULL, \
             seen boolean NOT NULL DEFAULT false)",
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let recording = dir.path().join("suite.json");
    let python = python();
    let app_dir = root().join("crates/ferroapi-cli/tests/apps/notes");
    let out = Command::new(env!("CARGO_BIN_EXE_ferroapi"))
        .args(["contract", "record", "notes:app", "--python"])
        .arg(&python)
        .arg("--app-dir")
        .arg(&app_dir)
        .args(["--pytest", "-q", "--db", &python_db, "--no-generate", "-o"])
        .arg(&recording)
        .env("NOTES_DB", &python_db)
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
        ]
    );
    for c in cases {
        assert_eq!(c["expect"], "suite", "{c}");
        let state = c["state"].as_str().expect("each request's state");
        assert!(rec["states"][state]["sql"].is_string(), "{state}");
        // The handler ran for each (the 422 is pydantic's, a validator of
        // the app's model is none).
        assert!(c["user_code"].is_boolean(), "{c}");
    }
    // The create was sent twice from the same state, its sequence put back
    // between: the same id both times, so no noise.
    assert_eq!(cases[0]["response"]["status"], 201);
    assert_eq!(cases[0]["noise"], json!([]), "{}", cases[0]);
    // The row the test wrote itself is in the state its request met.
    let third = rec["states"][cases[2]["state"].as_str().unwrap()]["sql"]
        .as_str()
        .unwrap();
    assert!(third.contains("written by the test"), "{third}");

    // Replayed against the port, each request from its state: the same.
    let addr = serve(&port_db);
    let out = replay(&recording, addr, &["--restore-db", &port_db]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(counts(&out), [5, 0, 0, 0], "{}", text(&out));
    // The port's database was put in the last state: the test's own row.
    let rows = sql(&port_db, "SELECT text FROM note ORDER BY id");
    assert!(
        rows.iter().any(|r| r[0] == "written by the test"),
        "{rows:?}"
    );

    // The states written to another database: the port answers from its
    // own, which no longer holds what the test wrote (replayed above, then
    // emptied here), and the replay says where.
    sql(&port_db, "DELETE FROM note");
    let out = replay(&recording, addr, &["--restore-db", &elsewhere]);
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
