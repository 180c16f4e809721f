//! The results: a markdown table, the raw figures as JSON, and an SVG chart.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::load::{Run, Settings};

/// Everything one full run measured.
#[derive(Debug, Serialize)]
pub struct Report {
    pub machine: Vec<(String, String)>,
    pub versions: Vec<(String, String)>,
    pub settings: Settings,
    pub servers: Vec<ServerFigures>,
}

/// One implementation's figures.
#[derive(Debug, Serialize)]
pub struct ServerFigures {
    pub name: String,
    pub label: String,
    pub cold_start_ms: f64,
    pub idle_rss_mib: f64,
    pub peak_rss_mib: f64,
    pub endpoints: Vec<EndpointFigures>,
}

/// One endpoint on one implementation: every round, and the median round.
#[derive(Debug, Serialize)]
pub struct EndpointFigures {
    pub endpoint: String,
    pub request: String,
    pub rounds: Vec<Run>,
    pub median: Run,
}

/// The lowest and highest requests/s over the rounds.
pub fn spread(rounds: &[Run]) -> (f64, f64) {
    rounds.iter().fold((f64::INFINITY, 0.0_f64), |(lo, hi), r| {
        (lo.min(r.rps), hi.max(r.rps))
    })
}

/// The round with the median requests/s.
pub fn median(rounds: Vec<Run>) -> (Vec<Run>, Run) {
    let mut sorted = rounds.clone();
    sorted.sort_by(|a, b| a.rps.total_cmp(&b.rps));
    let mid = sorted[sorted.len() / 2].clone();
    (rounds, mid)
}

impl Report {
    fn server(&self, name: &str) -> Option<&ServerFigures> {
        self.servers.iter().find(|s| s.name == name)
    }

    fn rps(&self, server: &str, endpoint: &str) -> Option<f64> {
        self.server(server)?
            .endpoints
            .iter()
            .find(|e| e.endpoint == endpoint)
            .map(|e| e.median.rps)
    }

    fn endpoints(&self) -> Vec<(String, String)> {
        self.servers
            .first()
            .map(|s| {
                s.endpoints
                    .iter()
                    .map(|e| (e.endpoint.clone(), e.request.clone()))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The markdown report.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        let names: Vec<&str> = self.servers.iter().map(|s| s.name.as_str()).collect();
        let s = &self.settings;
        let placement = if s.pinned {
            "the server alone on core 0 with one worker (`taskset -c 0`), wrk on core 1 (`taskset -c 1`): a \
             server's requests/s is its single-core throughput"
        } else {
            "load generator and server share the machine's cores"
        };
        let _ = writeln!(
            md,
            "Requests/s, median of {} rounds (each round starts every server, then runs each endpoint on every server in turn, one loaded at a time) of {} s after {} s of \
             warm-up, with the spread (min–max over the rounds); p50 / p99 latency in ms of the median round. wrk \
             -t{} -c{} on loopback; {placement}. Every Rust server is built with the workspace's `production` \
             profile (fat LTO, one codegen unit).\n",
            s.rounds, s.duration_s, s.warmup_s, s.threads, s.connections
        );
        let _ = writeln!(md, "| endpoint | {} |", names.join(" | "));
        let _ = writeln!(md, "|---|{}", "---:|".repeat(names.len()));
        for (endpoint, request) in self.endpoints() {
            let _ = write!(md, "| {endpoint} <br>`{request}` |");
            for server in &self.servers {
                match server.endpoints.iter().find(|e| e.endpoint == endpoint) {
                    Some(e) => {
                        let m = &e.median;
                        let errors = if m.errors > 0 {
                            format!(" <br>**{} errors**", m.errors)
                        } else {
                            String::new()
                        };
                        let (lo, hi) = spread(&e.rounds);
                        let _ = write!(
                            md,
                            " **{}** <br>{}–{} <br>{:.2} / {:.2}{errors} |",
                            thousands(m.rps),
                            thousands(lo),
                            thousands(hi),
                            m.p50_ms,
                            m.p99_ms
                        );
                    }
                    None => md.push_str(" – |"),
                }
            }
            md.push('\n');
        }

        let _ = writeln!(
            md,
            "\nRatios of requests/s: to FastAPI (× FastAPI), to hand-written axum (× axum) and to actix-web \
             (× actix).\n"
        );
        let _ = writeln!(md, "| endpoint | {} |", names.join(" | "));
        let _ = writeln!(md, "|---|{}", "---:|".repeat(names.len()));
        for (endpoint, _) in self.endpoints() {
            let _ = write!(md, "| {endpoint} |");
            let fastapi = self.rps("fastapi", &endpoint);
            let axum = self.rps("axum", &endpoint);
            let actix = self.rps("actix", &endpoint);
            for server in &names {
                let rps = self.rps(server, &endpoint);
                let ratio = |base: Option<f64>| match (rps, base) {
                    (Some(r), Some(b)) if b > 0.0 => format!("{:.2}", r / b),
                    _ => "–".to_owned(),
                };
                let bold = if server.starts_with("ferroapi") {
                    "**"
                } else {
                    ""
                };
                let _ = write!(
                    md,
                    " {bold}{}× FastAPI{bold} <br>{bold}{}× axum{bold} <br>{bold}{}× actix{bold} |",
                    ratio(fastapi),
                    ratio(axum),
                    ratio(actix)
                );
            }
            md.push('\n');
        }

        let _ = writeln!(
            md,
            "\nCPU time per request, µs (user + system of the server's whole process group, read from `/proc` \
             before and after the median round, divided by its requests; lower is better), and its ratio to \
             ferroapi's.\n"
        );
        let _ = writeln!(md, "| endpoint | {} |", names.join(" | "));
        let _ = writeln!(md, "|---|{}", "---:|".repeat(names.len()));
        for (endpoint, _) in self.endpoints() {
            let _ = write!(md, "| {endpoint} |");
            let cpu = |server: &str| {
                self.server(server)?
                    .endpoints
                    .iter()
                    .find(|e| e.endpoint == endpoint)
                    .map(|e| e.median.cpu_us_per_req)
            };
            let ours = cpu("ferroapi");
            for server in &names {
                match (cpu(server).filter(|c| *c > 0.0), ours) {
                    (Some(c), Some(f)) if f > 0.0 => {
                        let _ = write!(md, " {c:.1} <br>{:.2}× |", c / f);
                    }
                    (Some(c), _) => {
                        let _ = write!(md, " {c:.1} |");
                    }
                    _ => md.push_str(" – |"),
                }
            }
            md.push('\n');
        }

        let _ = writeln!(md, "\n| server | what | cold start to first 200 | RSS idle | RSS peak under load | errors |");
        let _ = writeln!(md, "|---|---|---:|---:|---:|---:|");
        for server in &self.servers {
            let errors: u64 = server.endpoints.iter().map(|e| e.median.errors).sum();
            let _ = writeln!(
                md,
                "| {} | {} | {:.0} ms | {:.1} MiB | {:.1} MiB | {} |",
                server.name,
                server.label,
                server.cold_start_ms,
                server.idle_rss_mib,
                server.peak_rss_mib,
                errors
            );
        }
        let _ = writeln!(md, "\nMachine: {}.", pairs(&self.machine));
        let _ = writeln!(md, "\nVersions: {}.", pairs(&self.versions));
        md
    }

    /// Writes `{stem}.md`, `{stem}.json` and `{stem}.svg` (the chart drawn
    /// from this report, `chart::svg`) into `dir`.
    pub fn write(&self, dir: &Path, stem: &str, svg: &str) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let json = serde_json::to_string_pretty(self).map_err(|e| e.to_string())?;
        let file = |ext: &str| dir.join(format!("{stem}.{ext}"));
        std::fs::write(file("json"), json + "\n").map_err(|e| e.to_string())?;
        std::fs::write(file("md"), self.markdown()).map_err(|e| e.to_string())?;
        std::fs::write(file("svg"), svg).map_err(|e| e.to_string())?;
        Ok(())
    }

    /// (endpoint, [(server, rps)]) for the chart.
    pub fn series(&self) -> Vec<(String, Vec<(String, f64)>)> {
        self.endpoints()
            .into_iter()
            .map(|(endpoint, _)| {
                let bars = self
                    .servers
                    .iter()
                    .filter_map(|s| Some((s.name.clone(), self.rps(&s.name, &endpoint)?)))
                    .collect();
                (endpoint, bars)
            })
            .collect()
    }

    /// One line on the machine and settings, for the chart.
    pub fn caption(&self) -> String {
        let s = &self.settings;
        format!(
            "{}; wrk -t{} -c{}, median of {} × {} s; loopback, one server at a time{}",
            self.machine
                .iter()
                .filter(|(k, _)| k == "cpu" || k == "cores")
                .map(|(_, v)| v.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            s.threads,
            s.connections,
            s.rounds,
            s.duration_s,
            if s.pinned {
                "; server pinned to one core, wrk to the other"
            } else {
                ""
            }
        )
    }
}

fn pairs(list: &[(String, String)]) -> String {
    list.iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `12345.6` → `12,346`.
pub fn thousands(v: f64) -> String {
    let digits = format!("{:.0}", v);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}
