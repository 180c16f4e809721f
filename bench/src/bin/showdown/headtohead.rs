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
use crate::servers::Server;

/// One row against one peer: ferroapi's requests over the peer's, per round.
#[derive(Debug, Serialize)]
struct Row {
    endpoint: String,
    peer: String,
    ratios: Vec<f64>,
    median: f64,
    min: f64,
    max: f64,
    errors: u64,
}

/// Runs every measured row of ferroapi against each of `peers`; writes
/// `showdown-head-to-head.{md,json}` under `out`.
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
    let ours = find("ferroapi")?;
    let cases = ferroapi_bench::cases::measured();
    let mut rows = Vec::new();
    for peer_name in peers {
        let peer = find(peer_name)?;
        let mut ratios: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
        let mut errors = vec![0u64; cases.len()];
        for round in 1..=settings.rounds {
            println!(
                "== head to head, round {round}/{}: ferroapi and {peer_name} on core 0",
                settings.rounds
            );
            let a = ours.start(db, client, true).await?;
            let b = peer.start(db, client, true).await?;
            tokio::time::sleep(Duration::from_secs(1)).await;
            for (i, case) in cases.iter().enumerate() {
                both(
                    work,
                    (a.port, b.port),
                    case,
                    client.token(),
                    settings,
                    settings.warmup_s,
                )?;
                let (x, y) = both(
                    work,
                    (a.port, b.port),
                    case,
                    client.token(),
                    settings,
                    settings.duration_s,
                )?;
                let ratio = x.requests as f64 / (y.requests.max(1)) as f64;
                println!(
                    "   {:<16} ferroapi {:>9} req/s  {peer_name} {:>9} req/s  ratio {ratio:.3}",
                    case.name,
                    thousands(x.rps),
                    thousands(y.rps),
                );
                ratios[i].push(ratio);
                errors[i] += x.errors + y.errors;
            }
            drop(a);
            drop(b);
        }
        for ((case, mut r), errors) in cases.iter().zip(ratios).zip(errors) {
            r.sort_by(f64::total_cmp);
            rows.push(Row {
                endpoint: case.name.to_owned(),
                peer: peer_name.clone(),
                median: r[r.len() / 2],
                min: r[0],
                max: r[r.len() - 1],
                ratios: r,
                errors,
            });
        }
    }
    let md = markdown(&rows, peers, &cases, settings);
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

fn markdown(rows: &[Row], peers: &[String], cases: &[Case], settings: &Settings) -> String {
    let mut md = format!(
        "ferroapi's requests over each peer's, both servers on core 0 at once (`taskset -c 0`, one \
         worker each) and a wrk -t1 -c{} for each on core 1: the kernel splits core 0 between the two \
         busy servers, so a ratio above 1 means ferroapi costs less CPU per request. Median of {} \
         rounds of {} s after {} s of warm-up, with the spread (min–max); each round starts both \
         servers afresh. Production profile (fat LTO) for every server. The kernel shares a core \
         between threads, not processes: a row where a server works on more threads than its \
         runtime's (cpu ~1ms: ferroapi runs a plain `fn` route on its blocking pool; sqlite: one \
         thread per pool connection) is not split evenly; read those rows in the pinned \
         table.\n\n| endpoint |",
        settings.connections, settings.rounds, settings.duration_s, settings.warmup_s
    );
    for p in peers {
        md += &format!(" ÷ {p} |");
    }
    md += "\n|---|";
    for _ in peers {
        md += "---:|";
    }
    md += "\n";
    for case in cases {
        md += &format!("| {} |", case.name);
        for p in peers {
            match rows
                .iter()
                .find(|r| r.endpoint == case.name && &r.peer == p)
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
