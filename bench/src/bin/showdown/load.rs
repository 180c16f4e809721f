//! One measured run of wrk against one endpoint, and the RSS sampler beside it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ferroapi_bench::cases::{Auth, Case};
use serde::{Deserialize, Serialize};

/// How wrk is run.
#[derive(Debug, Clone, Serialize)]
pub struct Settings {
    pub threads: u32,
    pub connections: u32,
    pub warmup_s: u32,
    pub duration_s: u32,
    pub rounds: u32,
    /// The server on core 0 (one worker), wrk on core 1: each server's
    /// requests/s is its single-core throughput, not shared with wrk.
    pub pinned: bool,
}

/// The figures of one wrk run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Run {
    pub requests: u64,
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Socket errors and timeouts, plus answers with another status class than the case expects.
    pub errors: u64,
    /// CPU time the server's whole process group spent (user + system, from
    /// `/proc`), divided by the requests of the run, in microseconds.
    #[serde(default)]
    pub cpu_us_per_req: f64,
}

#[derive(Deserialize)]
struct WrkDone {
    requests: u64,
    duration_us: f64,
    connect: u64,
    read: u64,
    write: u64,
    timeout: u64,
    status: u64,
    p50_us: f64,
    p99_us: f64,
}

/// The Lua script that sets the case's request and prints wrk's summary as JSON.
fn script(case: &Case, token: &str) -> String {
    let mut lua = format!("wrk.method = \"{}\"\n", case.method);
    if let Some(body) = case.body {
        lua += &format!("wrk.body = [==[{body}]==]\n");
        lua += "wrk.headers[\"Content-Type\"] = \"application/json\"\n";
    }
    match case.auth {
        Auth::None => {}
        Auth::Valid => lua += &format!("wrk.headers[\"Authorization\"] = \"Bearer {token}\"\n"),
        Auth::Raw(raw) => lua += &format!("wrk.headers[\"Authorization\"] = [==[{raw}]==]\n"),
    }
    lua += r#"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\n@@{"requests":%d,"duration_us":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
"#;
    lua
}

/// Writes the case's wrk script to `dir/case.lua` and returns its path.
pub fn write_script(dir: &Path, case: &Case, token: &str) -> Result<PathBuf, String> {
    let file = dir.join("case.lua");
    std::fs::write(&file, script(case, token)).map_err(|e| e.to_string())?;
    Ok(file)
}

/// Runs wrk for `seconds` against the case on `port`.
pub fn wrk(
    dir: &Path,
    port: u16,
    case: &Case,
    token: &str,
    settings: &Settings,
    seconds: u32,
) -> Result<Run, String> {
    let file = write_script(dir, case, token)?;
    let mut cmd = if settings.pinned {
        let mut c = Command::new("taskset");
        c.args(["-c", "1", "wrk"]);
        c
    } else {
        Command::new("wrk")
    };
    let out = cmd
        .arg(format!("-t{}", settings.threads))
        .arg(format!("-c{}", settings.connections))
        .arg(format!("-d{seconds}s"))
        .arg("--timeout")
        .arg("10s")
        .arg("-s")
        .arg(&file)
        .arg(format!("http://127.0.0.1:{port}{}", case.path))
        .output()
        .map_err(|e| format!("cannot run wrk (bench/run installs it): {e}"))?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("@@"))
        .ok_or_else(|| {
            format!(
                "wrk printed no summary: {stdout}{}",
                String::from_utf8_lossy(&out.stderr)
            )
        })?;
    let done: WrkDone = serde_json::from_str(line).map_err(|e| format!("{e}: {line}"))?;
    let socket = done.connect + done.read + done.write + done.timeout;
    // wrk counts answers with a status of 400 or more as `status` errors.
    let wrong_class = if case.status >= 400 {
        done.requests.saturating_sub(done.status)
    } else {
        done.status
    };
    Ok(Run {
        requests: done.requests,
        rps: done.requests as f64 / (done.duration_us / 1e6),
        p50_ms: done.p50_us / 1000.0,
        p99_ms: done.p99_us / 1000.0,
        errors: socket + wrong_class,
        cpu_us_per_req: 0.0,
    })
}

/// CPU time (user + system) of every process in a process group, in
/// seconds: the `utime` and `stime` of `/proc/PID/stat` (all threads).
pub fn group_cpu_s(pgid: u32) -> f64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0.0;
    };
    let ticks: u64 = dir
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            // `pid (comm) state ppid pgrp session tty tpgid flags minflt
            // cminflt majflt cmajflt utime stime ...`; comm may hold spaces.
            let fields: Vec<&str> = stat[stat.rfind(')')? + 2..].split_whitespace().collect();
            (fields.get(2)?.parse::<u32>().ok()? == pgid)
                .then(|| {
                    Some(
                        fields.get(11)?.parse::<u64>().ok()?
                            + fields.get(12)?.parse::<u64>().ok()?,
                    )
                })
                .flatten()
        })
        .sum();
    ticks as f64 / clock_ticks()
}

/// The kernel's clock ticks per second (`getconf CLK_TCK`, read once).
fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// Samples a process group's RSS every 50 ms until dropped; keeps the peak.
#[derive(Debug)]
pub struct Sampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Sampler {
    pub fn start(pgid: u32) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let (s, p) = (stop.clone(), peak.clone());
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::Relaxed) {
                p.fetch_max(crate::servers::group_rss_kib(pgid), Ordering::Relaxed);
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        Self {
            stop,
            peak,
            thread: Some(thread),
        }
    }

    /// The peak so far, in KiB.
    pub fn peak_kib(&self) -> u64 {
        self.peak.load(Ordering::Relaxed)
    }
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
