//! `showdown --hybrid`: the hybrid row. The same CPU-bound operation (text
//! statistics over a batch, examples/hybrid) done in pure FastAPI, by FastAPI
//! calling ferroapi over REST, and over gRPC; ferroapi alone for scale.

use std::fmt::Write as _;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use ferroapi_bench::cases::{Agree, Auth, Case};
use serde::Serialize;

use crate::client::Client;
use crate::load::{self, Run, Settings};
use crate::report::{self, thousands};

/// A batch of 4 texts of 400 words each, deterministic.
fn batch() -> String {
    let texts: Vec<String> = (0..4)
        .map(|t| {
            (0..400)
                .map(|w| {
                    format!(
                        "w{}{}",
                        (w * 7 + t * 13) % 150,
                        if w % 11 == 0 { "." } else { "" }
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    serde_json::json!({ "texts": texts, "top": 10 }).to_string()
}

struct Proc(Child);

impl Drop for Proc {
    fn drop(&mut self) {
        crate::servers::stop_group(&mut self.0);
    }
}

fn spawn(program: &Path, args: &[String], env: &[(&str, String)]) -> Result<Proc, String> {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .process_group(0);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().map(Proc).map_err(|e| {
        format!(
            "cannot start {}: {e} (bench/run --hybrid sets it up)",
            program.display()
        )
    })
}

async fn wait_ready(client: &Client, port: u16) -> Result<(), String> {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(30) {
        if client
            .get(port, "/openapi.json")
            .await
            .is_ok_and(|a| a.status == 200)
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err(format!("port {port} did not answer within 30 s"))
}

fn port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

#[derive(Debug, Serialize)]
struct Row {
    name: &'static str,
    what: &'static str,
    rounds: Vec<Run>,
    median: Run,
}

/// Runs the hybrid comparison; writes hybrid.{md,json} into `out`.
pub async fn run(
    root: &Path,
    bins: &Path,
    client: &Client,
    settings: &Settings,
    out: &Path,
    work: &Path,
) -> Result<usize, String> {
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let (rust_port, gw_port) = (port()?, port()?);
    let _rust = spawn(
        &bins.join("example-hybrid"),
        &[],
        &[("HYBRID_ADDR", format!("127.0.0.1:{rust_port}"))],
    )?;
    let gateway_dir = root.join("examples/hybrid/gateway");
    let _gateway = spawn(
        &gateway_dir.join(".venv/bin/uvicorn"),
        &[
            crate::servers::uvicorn_args(&gateway_dir, workers),
            vec!["--port".to_owned(), gw_port.to_string()],
        ]
        .concat(),
        &[
            ("GATEWAY_SECRET", ferroapi_bench::JWT_SECRET.to_owned()),
            ("TEXTSTATS_URL", format!("http://127.0.0.1:{rust_port}")),
            ("TEXTSTATS_GRPC", format!("127.0.0.1:{rust_port}")),
        ],
    )?;
    wait_ready(client, rust_port).await?;
    wait_ready(client, gw_port).await?;

    // The body is built once and lives for the whole run.
    let body: &'static str = Box::leak(batch().into_boxed_str());
    let case = |name: &'static str, path: &'static str, auth: Auth| Case {
        name,
        method: "POST",
        path,
        body: Some(body),
        auth,
        status: 200,
        agree: Agree::All,
    };
    let rows = [
        (
            case("pure FastAPI", "/local/analyze", Auth::Valid),
            gw_port,
            "the gateway does the work in Python (`def`, threadpool)",
        ),
        (
            case("FastAPI → ferroapi REST", "/rest/analyze", Auth::Valid),
            gw_port,
            "the gateway forwards with the client generated from ferroapi's document",
        ),
        (
            case("FastAPI → ferroapi gRPC", "/grpc/analyze", Auth::Valid),
            gw_port,
            "the gateway forwards with grpcio stubs from the same .proto",
        ),
        (
            case("ferroapi alone", "/v1/analyze", Auth::None),
            rust_port,
            "the Rust service called directly, no gateway",
        ),
    ];

    // The same answer from every path first.
    let mut answers = Vec::new();
    for (c, port, _) in &rows {
        let a = client.case(*port, c).await?;
        if a.status != 200 {
            return Err(format!("{} answered {}: {}", c.name, a.status, a.text()));
        }
        answers.push(a.json());
    }
    if answers.windows(2).any(|w| w[0] != w[1]) {
        return Err("the hybrid paths answer differently".into());
    }
    println!("hybrid: all 4 paths answer the same analysis");

    let mut runs: Vec<Vec<Run>> = rows.iter().map(|_| Vec::new()).collect();
    for round in 1..=settings.rounds {
        for ((c, port, _), runs) in rows.iter().zip(&mut runs) {
            load::wrk(work, *port, c, client.token(), settings, settings.warmup_s)?;
            let run = load::wrk(
                work,
                *port,
                c,
                client.token(),
                settings,
                settings.duration_s,
            )?;
            println!(
                "   round {round} {:<26} {:>8} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}",
                c.name,
                thousands(run.rps),
                run.p50_ms,
                run.p99_ms,
                run.errors
            );
            runs.push(run);
        }
    }
    let table: Vec<Row> = rows
        .iter()
        .zip(runs)
        .map(|((c, _, what), runs)| {
            let (rounds, median) = report::median(runs);
            Row {
                name: c.name,
                what,
                rounds,
                median,
            }
        })
        .collect();

    let base = table[0].median.rps;
    let mut md = String::new();
    let _ = writeln!(
        md,
        "The same operation (text statistics of 4 texts × 400 words, top 10) through each path; \
         median of {} rounds of {} s; wrk -t{} -c{}; gateway: FastAPI on uvicorn, {workers} workers.\n",
        settings.rounds, settings.duration_s, settings.threads, settings.connections
    );
    let _ = writeln!(
        md,
        "| path | requests/s | p50 ms | p99 ms | × pure FastAPI | errors | what |"
    );
    let _ = writeln!(md, "|---|---:|---:|---:|---:|---:|---|");
    for row in &table {
        let m = &row.median;
        let _ = writeln!(
            md,
            "| {} | {} | {:.2} | {:.2} | {:.2} | {} | {} |",
            row.name,
            thousands(m.rps),
            m.p50_ms,
            m.p99_ms,
            m.rps / base,
            m.errors,
            row.what
        );
    }
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    std::fs::write(out.join("hybrid.md"), &md).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&serde_json::json!({
        "batch_bytes": body.len(),
        "settings": settings,
        "rows": table,
    }))
    .map_err(|e| e.to_string())?;
    std::fs::write(out.join("hybrid.json"), json + "\n").map_err(|e| e.to_string())?;
    println!("\n{md}\nwritten: {}/hybrid.{{md,json}}", out.display());
    Ok(0)
}
