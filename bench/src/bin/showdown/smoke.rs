//! The smoke check: every server answers every case, with the status the case
//! expects, and the same answer as FastAPI (the oracle) where the case says so.

use std::path::Path;

use ferroapi_bench::cases::{self, Agree, Case};

use crate::client::{Answer, Client};
use crate::servers::Server;

/// Runs every case on every server, one server at a time; prints a matrix and
/// returns the number of failed checks.
pub async fn check(servers: &[Server], db: &Path, client: &Client) -> Result<usize, String> {
    let cases = cases::smoke();
    let mut answers: Vec<Vec<Answer>> = Vec::new();
    for server in servers {
        let running = server.start(db, client, false).await?;
        let mut mine = Vec::new();
        for case in &cases {
            let answer = client
                .case(running.port, case)
                .await
                .map_err(|e| format!("{} {} {}: {e}", server.name, case.method, case.path))?;
            mine.push(answer);
        }
        drop(running);
        answers.push(mine);
    }

    let oracle = servers
        .iter()
        .position(|s| s.name == "fastapi")
        .ok_or("the smoke check needs the FastAPI server (the oracle)")?;
    let mut failures = Vec::new();
    let mut own_format = 0;
    print!("{:<24}", "case");
    for server in servers {
        print!(" {:<10}", server.name);
    }
    println!();
    for (i, case) in cases.iter().enumerate() {
        print!("{:<24}", case.name);
        let expected = &answers[oracle][i];
        for (s, server) in servers.iter().enumerate() {
            let got = &answers[s][i];
            let verdict = judge(case, server.name, expected, got);
            let mark = match &verdict {
                Verdict::Same => "same".to_owned(),
                Verdict::OwnFormat => {
                    own_format += 1;
                    format!("{} own", got.status)
                }
                Verdict::Wrong(why) => {
                    failures.push(format!(
                        "{} on `{} {}`: {why}\n  expected {} {}\n  got      {} {}",
                        server.name,
                        case.method,
                        case.path,
                        expected.status,
                        expected.text(),
                        got.status,
                        got.text()
                    ));
                    "WRONG".to_owned()
                }
            };
            print!(" {mark:<10}");
        }
        println!();
    }
    for failure in &failures {
        eprintln!("{failure}");
    }
    let checks = cases.len() * servers.len();
    println!(
        "smoke: {} cases × {} servers; {own_format} error answers in a peer's own format (status checked)",
        cases.len(),
        servers.len()
    );
    println!(
        "smoke: {} passed, {} failed",
        checks - failures.len(),
        failures.len()
    );
    Ok(failures.len())
}

enum Verdict {
    Same,
    /// Right status, the peer's own error body (allowed by the case).
    OwnFormat,
    Wrong(String),
}

fn judge(case: &Case, server: &str, oracle: &Answer, got: &Answer) -> Verdict {
    if got.status != case.status {
        return Verdict::Wrong(format!(
            "status {} (the case expects {})",
            got.status, case.status
        ));
    }
    if oracle.status != case.status {
        return Verdict::Wrong(format!(
            "FastAPI answered {}, the case expects {}",
            oracle.status, case.status
        ));
    }
    let body_must_agree = match case.agree {
        Agree::All => true,
        Agree::Contract => server == "fastapi" || server.starts_with("ferroapi"),
    };
    let same_body = got.media_type == oracle.media_type
        && match (got.json(), oracle.json()) {
            (Some(a), Some(b)) => a == b,
            _ => got.body == oracle.body,
        };
    match (same_body, body_must_agree) {
        (true, _) => Verdict::Same,
        (false, false) => Verdict::OwnFormat,
        (false, true) => Verdict::Wrong(format!(
            "a different body ({} vs FastAPI's {})",
            got.media_type, oracle.media_type
        )),
    }
}
