//! The showdown harness. `bench/run` builds everything and calls it.
//!
//! `showdown --smoke`   every server answers every case the same (seconds; CI)
//! `showdown [options]` the smoke check, then the measured run: each round
//!                      starts every server (cold start, idle RSS), then runs
//!                      each endpoint on every server in turn, one loaded at a
//!                      time (a warm-up, then a measured wrk run; peak RSS);
//!                      medians over rounds; writes showdown.{md,json,svg}.
//!
//! `showdown --hybrid` the hybrid row: pure FastAPI vs FastAPI → ferroapi over
//!                      REST vs over gRPC (examples/hybrid); writes hybrid.{md,json}.
//!
//! `showdown --pinned` the same with the server on core 0 (one worker) and wrk on
//!                      core 1; writes showdown-pinned.{md,json,svg}.
//!
//! Every run also reads the server's CPU time from `/proc` (its whole process
//! group, before and after), reported as CPU µs per request.
//!
//! `showdown --head-to-head` ferroapi against each peer (`--only axum,actix`,
//!                      the default) with both servers on core 0 at once, a
//!                      wrk each on core 1: the ratio of their requests is the
//!                      inverse ratio of their CPU per request, the host's
//!                      noise cancelled; writes showdown-head-to-head.{md,json}.
//!
//! `showdown --script ROW` prints the path of the measured row named ROW
//!                      (`"body invalid"`) and writes the wrk Lua script that
//!                      sends it to `target/showdown/case.lua` (bench/callgrind
//!                      replays rows this way).
//!
//! Options: `--only a,b` (servers; FastAPI is always started for the check),
//! `--duration S` (5), `--warmup S` (2), `--rounds N` (3), `--connections N` (64),
//! `--threads N` (2), `--out DIR` (bench/results).
#![forbid(unsafe_code)]

mod chart;
mod client;
mod headtohead;
mod hybrid;
mod load;
mod report;
mod servers;
mod smoke;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use load::Settings;
use report::{EndpointFigures, Report, ServerFigures};

/// One server's measurements across rounds.
struct Tally {
    starts: Vec<Duration>,
    idle: Vec<u64>,
    peak: u64,
    runs: Vec<Vec<load::Run>>,
}

impl Tally {
    fn new(cases: usize) -> Self {
        Self {
            starts: Vec::new(),
            idle: Vec::new(),
            peak: 0,
            runs: vec![Vec::new(); cases],
        }
    }
}

struct Options {
    /// `--script ROW`: only write that row's wrk script.
    script: Option<String>,
    smoke: bool,
    hybrid: bool,
    head_to_head: bool,
    only: Option<Vec<String>>,
    settings: Settings,
    out: PathBuf,
}

fn parse(root: &Path) -> Result<Options, String> {
    let mut o = Options {
        script: None,
        smoke: false,
        hybrid: false,
        head_to_head: false,
        only: None,
        settings: Settings {
            threads: 2,
            connections: 64,
            warmup_s: 2,
            duration_s: 5,
            rounds: 3,
            pinned: false,
        },
        out: root.join("bench/results"),
    };
    let mut args = std::env::args().skip(1);
    let mut threads_given = false;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        let number = |v: String| v.parse::<u32>().map_err(|e| format!("{v}: {e}"));
        match arg.as_str() {
            "--script" => o.script = Some(value("--script")?),
            "--smoke" => o.smoke = true,
            "--hybrid" => o.hybrid = true,
            "--pinned" => o.settings.pinned = true,
            "--head-to-head" => {
                o.head_to_head = true;
                o.settings.pinned = true;
            }
            "--only" => o.only = Some(value("--only")?.split(',').map(String::from).collect()),
            "--duration" => o.settings.duration_s = number(value("--duration")?)?,
            "--warmup" => o.settings.warmup_s = number(value("--warmup")?)?,
            "--rounds" => o.settings.rounds = number(value("--rounds")?)?.max(1),
            "--connections" => o.settings.connections = number(value("--connections")?)?,
            "--threads" => {
                o.settings.threads = number(value("--threads")?)?;
                threads_given = true;
            }
            "--out" => o.out = PathBuf::from(value("--out")?),
            other => return Err(format!("unknown argument {other} (see bench/README.md)")),
        }
    }
    if o.settings.pinned && !threads_given {
        // wrk has one core: one thread.
        o.settings.threads = 1;
    }
    Ok(o)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    match run().await {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("showdown: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<usize, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no workspace root")?
        .to_path_buf();
    let options = parse(&root)?;
    let bins = std::env::current_exe()
        .map_err(|e| e.to_string())?
        .parent()
        .ok_or("no binary directory")?
        .to_path_buf();
    let work = root.join("target/showdown");
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    if let Some(row) = &options.script {
        let cases = ferroapi_bench::cases::measured();
        let case = cases
            .iter()
            .find(|c| c.name == row.as_str())
            .ok_or_else(|| format!("no measured row named {row:?}"))?;
        load::write_script(&work, case, &ferroapi_bench::issue_token("alice"))?;
        println!("{}", case.path);
        return Ok(0);
    }
    let db = work.join("showdown.db");
    ferroapi_bench::db::seed(&db.to_string_lossy())
        .await
        .map_err(|e| format!("seeding {}: {e}", db.display()))?;

    // Pinned, every server has one core: one worker (the Rust servers read
    // their core count from the affinity taskset gives them).
    let workers = if options.settings.pinned {
        1
    } else {
        std::thread::available_parallelism().map_or(2, |n| n.get())
    };
    let all = servers::all(&root, &bins, workers);
    let client = client::Client::new();
    if options.hybrid {
        return hybrid::run(
            &root,
            &bins,
            &client,
            &options.settings,
            &options.out,
            &work,
        )
        .await;
    }

    println!("== smoke: every server, every case");
    let failed = smoke::check(&all, &db, &client).await?;
    if failed > 0 || options.smoke {
        return Ok(failed);
    }
    if options.head_to_head {
        let peers = options
            .only
            .clone()
            .unwrap_or_else(|| vec!["axum".to_owned(), "actix".to_owned()]);
        return headtohead::run(
            all,
            &peers,
            &db,
            &client,
            &options.settings,
            &work,
            &options.out,
        )
        .await;
    }

    let chosen: Vec<_> = all
        .into_iter()
        .filter(|s| {
            options
                .only
                .as_ref()
                .is_none_or(|o| o.iter().any(|n| n == s.name))
        })
        .collect();
    let cases = ferroapi_bench::cases::measured();
    let settings = &options.settings;
    // Rounds outside, then rows, then servers: each round starts every server
    // (one at a time, so each cold start is timed alone), then runs each row
    // on every server in turn, one loaded at a time while the others idle.
    // The same row on two servers is seconds apart, not minutes, so a slow
    // spell of this shared machine hits them alike.
    let mut tallies: Vec<Tally> = chosen.iter().map(|_| Tally::new(cases.len())).collect();
    for round in 1..=settings.rounds {
        let mut running = Vec::with_capacity(chosen.len());
        for (server, tally) in chosen.iter().zip(&mut tallies) {
            let started = server.start(&db, &client, settings.pinned).await?;
            tally.starts.push(started.cold_start);
            running.push(started);
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
        for (started, tally) in running.iter().zip(&mut tallies) {
            tally.idle.push(servers::group_rss_kib(started.pid()));
        }
        for (index, case) in cases.iter().enumerate() {
            println!("== round {round}/{}: {}", settings.rounds, case.name);
            for ((server, started), tally) in chosen.iter().zip(&running).zip(&mut tallies) {
                let sampler = load::Sampler::start(started.pid());
                let run = measure(started, case, &client, settings, &work)?;
                tally.peak = tally.peak.max(sampler.peak_kib());
                drop(sampler);
                println!(
                    "   {:<9} {:>9} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  cpu {:>7.1} µs/req  errors {}",
                    server.name,
                    report::thousands(run.rps),
                    run.p50_ms,
                    run.p99_ms,
                    run.cpu_us_per_req,
                    run.errors
                );
                tally.runs[index].push(run);
            }
        }
    }
    let figures = chosen
        .iter()
        .zip(tallies)
        .map(|(server, mut tally)| {
            tally.starts.sort();
            tally.idle.sort_unstable();
            ServerFigures {
                name: server.name.to_owned(),
                label: server.label.clone(),
                cold_start_ms: tally.starts[tally.starts.len() / 2].as_secs_f64() * 1000.0,
                idle_rss_mib: tally.idle[tally.idle.len() / 2] as f64 / 1024.0,
                peak_rss_mib: tally.peak as f64 / 1024.0,
                endpoints: cases
                    .iter()
                    .zip(tally.runs)
                    .map(|(case, runs)| {
                        let (rounds, median) = report::median(runs);
                        EndpointFigures {
                            endpoint: case.name.to_owned(),
                            request: format!("{} {}", case.method, case.path),
                            rounds,
                            median,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    let report = Report {
        machine: machine(),
        versions: versions(&root),
        settings: options.settings.clone(),
        servers: figures,
    };
    let stem = if options.settings.pinned {
        "showdown-pinned"
    } else {
        "showdown"
    };
    report.write(&options.out, stem, &chart::svg(&report))?;
    println!("\n{}", report.markdown());
    println!("written: {}/{stem}.{{md,json,svg}}", options.out.display());
    Ok(0)
}

/// One row on one running server: a warm-up, then the measured wrk run with
/// the server's CPU time read before and after.
fn measure(
    running: &servers::Running,
    case: &ferroapi_bench::cases::Case,
    client: &client::Client,
    settings: &Settings,
    work: &Path,
) -> Result<load::Run, String> {
    load::wrk(
        work,
        running.port,
        case,
        client.token(),
        settings,
        settings.warmup_s,
    )?;
    let cpu_before = load::group_cpu_s(running.pid());
    let mut run = load::wrk(
        work,
        running.port,
        case,
        client.token(),
        settings,
        settings.duration_s,
    )?;
    let cpu = load::group_cpu_s(running.pid()) - cpu_before;
    if run.requests > 0 {
        run.cpu_us_per_req = cpu * 1e6 / run.requests as f64;
    }
    Ok(run)
}

fn command_line(program: &str, args: &[&str]) -> String {
    std::process::Command::new(program)
        .args(args)
        .output()
        .ok()
        .map(|o| {
            let text = if o.stdout.is_empty() {
                o.stderr
            } else {
                o.stdout
            };
            String::from_utf8_lossy(&text)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_owned()
        })
        .unwrap_or_default()
}

fn machine() -> Vec<(String, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_default();
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.split_whitespace().next()?.parse::<f64>().ok())
        .map(|kib| format!("{:.0} GiB", kib / 1024.0 / 1024.0))
        .unwrap_or_default();
    vec![
        ("cpu".into(), cpu),
        ("cores".into(), format!("{cores} cores")),
        ("memory".into(), mem),
        ("kernel".into(), command_line("uname", &["-sr"])),
        ("rustc".into(), command_line("rustc", &["--version"])),
        ("python".into(), command_line("python3", &["--version"])),
        ("wrk".into(), command_line("wrk", &["--version"])),
    ]
}

/// The framework versions actually built (Cargo.lock) and installed (requirements pins).
fn versions(root: &Path) -> Vec<(String, String)> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
    let mut out = Vec::new();
    for krate in [
        "axum",
        "hyper",
        "tokio",
        "actix-web",
        "poem-openapi",
        "serde_json",
        "sqlx",
    ] {
        let needle = format!("name = \"{krate}\"\nversion = \"");
        if let Some(at) = lock.find(&needle) {
            let rest = &lock[at + needle.len()..];
            out.push((
                krate.to_owned(),
                rest[..rest.find('"').unwrap_or(0)].to_owned(),
            ));
        }
    }
    let reqs =
        std::fs::read_to_string(root.join("bench/fastapi/requirements.txt")).unwrap_or_default();
    for line in reqs.lines().filter(|l| !l.starts_with('#')) {
        if let Some((name, version)) = line.split_once("==") {
            if ["fastapi", "uvicorn", "pydantic", "uvloop"].contains(&name) {
                out.push((name.to_owned(), version.to_owned()));
            }
        }
    }
    out
}
