//! `showdown --head-to-head`: ferroapi and one peer at a time, both servers
//! on core 0 at once, a wrk for each on core 1. The kernel shares core 0
//! between the two busy servers fairly, so the ratio of their request counts
//! in the same seconds is the inverse ratio of their CPU cost per request,
//! whatever else the host does meanwhile: a slow spell slows both alike.
//! Sequential runs on this shared machine swing by ±20 % from one run to the
//! next; a server against itself this way stays within ±3 %.

use std::path::Path;
use std::time::Duration;

use ferroapi_bench::cases::Case;
use serde::Serialize;

use crate::client::Client;
use crate::load::{self, Settings};
use crate::report::thousands;
use crate::servers::{Running, Server};

/// One row against one peer: ferroapi's requests over the peer's, per round.
#[derive(Debug, Serialize)]
struct Row {
    endpoint: String,
    /// `ferroapi` (the system allocator, as every peer) or `ferroapi-shipped`.
    ours: String,
    peer: String,
    ratios: Vec<f64>,
    median: f64,
    min: f64,
    max: f64,
    errors: u64,
}

/// ferroapi's two builds, and how the table names them.
const OURS: [(&str, &str); 2] = [
    ("ferroapi", "allocator-neutral"),
    ("ferroapi-shipped", "as shipped"),
];

/// The extra row: the 422 again, the peer's answer padded to the length of
/// ferroapi's (FastAPI's) error list.
const PADDED: &str = "body invalid, answers of equal length";

/// Runs every measured row of ferroapi (both builds, see [`OURS`]) against
/// each of `peers`, and the 422 once more with the peer's answer as long as
/// ours; writes `showdown-head-to-head.{md,json}` under `out`.
pub async fn run(
    all: Vec<Server>,
    peers: &[String],
    db: &Path,
    client: &Client,
    settings: &Settings,
    work: &Path,
    out: &Path,
) -> Result<usize, String> {
    let find = |name: &str| {
        all.iter()
            .find(|s| s.name == name)
            .ok_or_else(|| format!("no server named {name}"))
    };
    let cases = ferroapi_bench::cases::measured();
    let invalid = cases
        .iter()
        .find(|c| c.status == 422)
        .ok_or("no 422 row")?
        .clone();
    let mut rows = Vec::new();
    for peer_name in peers {
        let peer = find(peer_name)?;
        for (our_name, _) in OURS {
            let ours = find(our_name)?;
            // One more column for the padded 422.
            let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); cases.len() + 1];
            let mut errors = vec![0u64; cases.len() + 1];
            for round in 1..=settings.rounds {
                println!(
                    "== head to head, round {round}/{}: {our_name} and {peer_name} on core 0",
                    settings.rounds
                );
                let a = ours.start(db, client, true).await?;
                let b = peer.start(db, client, true).await?;
                tokio::time::sleep(Duration::from_secs(1)).await;
                for (i, case) in cases.iter().enumerate() {
                    let (ratio, errs) = measure(work, (&a, &b), case, client, settings)?;
                    println!("   {:<16} ratio {ratio:.3}", case.name);
                    ratios[i].push(ratio);
                    errors[i] += errs;
                }
                // The 422 once more, the peer restarted with its answer
                // padded to the length of ours.
                let ours_len = client.case(a.port, &invalid).await?.body.len();
                let theirs_len = client.case(b.port, &invalid).await?.body.len();
                drop(b);
                // `,"pad":""` is 9 bytes.
                let pad = ours_len.saturating_sub(theirs_len + 9);
                let padded = peer.with_env(ferroapi_bench::PAD_422_ENV, pad.to_string());
                let b = padded.start(db, client, true).await?;
                let got = client.case(b.port, &invalid).await?.body.len();
                println!(
                    "   ({peer_name}'s 422: {theirs_len} bytes, padded {got}; ours {ours_len})"
                );
                tokio::time::sleep(Duration::from_secs(1)).await;
                let (ratio, errs) = measure(work, (&a, &b), &invalid, client, settings)?;
                println!("   {PADDED:<16} ratio {ratio:.3}");
                ratios[cases.len()].push(ratio);
                errors[cases.len()] += errs;
                drop(a);
                drop(b);
            }
            let names = cases.iter().map(|c| c.name).chain([PADDED]);
            for ((name, mut r), errors) in names.zip(ratios).zip(errors) {
                r.sort_by(f64::total_cmp);
                rows.push(Row {
                    endpoint: name.to_owned(),
                    ours: our_name.to_owned(),
                    peer: peer_name.clone(),
                    median: r[r.len() / 2],
                    min: r[0],
                    max: r[r.len() - 1],
                    ratios: r,
                    errors,
                });
            }
        }
    }
    let names: Vec<&str> = cases.iter().map(|c| c.name).chain([PADDED]).collect();
    let md = markdown(&rows, peers, &names, settings);
    std::fs::create_dir_all(out).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&serde_json::json!({
        "settings": settings,
        "rows": rows,
    }))
    .map_err(|e| e.to_string())?;
    std::fs::write(out.join("showdown-head-to-head.json"), json).map_err(|e| e.to_string())?;
    std::fs::write(out.join("showdown-head-to-head.md"), &md).map_err(|e| e.to_string())?;
    println!("\n{md}");
    println!(
        "written: {}/showdown-head-to-head.{{md,json}}",
        out.display()
    );
    Ok(rows.iter().filter(|r| r.errors > 0).count())
}

/// One case on both servers at once: a warm-up, then the measured run; the
/// ratio of their request counts and the errors of both.
fn measure(
    work: &Path,
    (a, b): (&Running, &Running),
    case: &Case,
    client: &Client,
    settings: &Settings,
) -> Result<(f64, u64), String> {
    let ports = (a.port, b.port);
    both(
        work,
        ports,
        case,
        client.token(),
        settings,
        settings.warmup_s,
    )?;
    let (x, y) = both(
        work,
        ports,
        case,
        client.token(),
        settings,
        settings.duration_s,
    )?;
    println!(
        "   {:<16} ours {:>9} req/s  peer {:>9} req/s",
        case.name,
        thousands(x.rps),
        thousands(y.rps),
    );
    let ratio = x.requests as f64 / (y.requests.max(1)) as f64;
    Ok((ratio, x.errors + y.errors))
}

/// The same case against both ports at once, a wrk each.
fn both(
    work: &Path,
    ports: (u16, u16),
    case: &Case,
    token: &str,
    settings: &Settings,
    seconds: u32,
) -> Result<(load::Run, load::Run), String> {
    let (dir_a, dir_b) = (work.join("h2h-a"), work.join("h2h-b"));
    for d in [&dir_a, &dir_b] {
        std::fs::create_dir_all(d).map_err(|e| e.to_string())?;
    }
    std::thread::scope(|s| {
        let a = s.spawn(|| load::wrk(&dir_a, ports.0, case, token, settings, seconds));
        let b = load::wrk(&dir_b, ports.1, case, token, settings, seconds);
        let a = a.join().map_err(|_| "wrk thread panicked".to_owned())?;
        Ok((a?, b?))
    })
}

fn markdown(rows: &[Row], peers: &[String], names: &[&str], settings: &Settings) -> String {
    let mut md = format!(
        "ferroapi's requests over each peer's, both servers on core 0 at once (`taskset -c 0`, one \
         worker each) and a wrk -t1 -c{} for each on core 1: the kernel splits core 0 between the two \
         busy servers, so a ratio above 1 means ferroapi costs less CPU per request. Median of {} \
         rounds of {} s after {} s of warm-up, with the spread (min–max); each round starts both \
         servers afresh. Production profile (fat LTO) for every server. Two builds of ferroapi: \
         *allocator-neutral* (the system allocator, as every peer) and *as shipped* (jemalloc, the \
         allocator the flagship declares). The last row measures the 422 again with the peer's \
         answer padded to the length of ferroapi's (FastAPI's full error list against the peer's one \
         string): what is left is the cost of finding the errors, not of sending more bytes. The \
         kernel shares a core between threads, not processes: a row where a server works on more \
         threads than its runtime's (cpu ~1ms: ferroapi runs a plain `fn` route on its blocking \
         pool; sqlite: one thread per pool connection) is not split evenly; read those rows in the \
         pinned table.\n\n| endpoint |",
        settings.connections, settings.rounds, settings.duration_s, settings.warmup_s
    );
    let columns: Vec<(&String, &str, &str)> = peers
        .iter()
        .flat_map(|p| OURS.iter().map(move |(ours, label)| (p, *ours, *label)))
        .collect();
    for (p, _, label) in &columns {
        md += &format!(" ÷ {p}, {label} |");
    }
    md += "\n|---|";
    for _ in &columns {
        md += "---:|";
    }
    md += "\n";
    for name in names {
        md += &format!("| {name} |");
        for (p, ours, _) in &columns {
            match rows
                .iter()
                .find(|r| r.endpoint == *name && &r.peer == *p && r.ours == *ours)
            {
                Some(r) => {
                    let mark = if r.median >= 1.0 { "**" } else { "" };
                    md += &format!(
                        " {mark}{:.2}{mark} <br>{:.2}–{:.2}{} |",
                        r.median,
                        r.min,
                        r.max,
                        if r.errors > 0 { " (errors)" } else { "" }
                    );
                }
                None => md += " – |",
            }
        }
        md += "\n";
    }
    md
}
