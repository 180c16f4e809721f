//! The implementations and how to start, probe and stop one.

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::client::Client;

/// One implementation of the endpoints.
#[derive(Debug, Clone)]
pub struct Server {
    /// Short name (table column).
    pub name: &'static str,
    /// What it is, for the report.
    pub label: String,
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(&'static str, String)>,
}

/// Every implementation: FastAPI first (the baseline), raw axum (the floor), then the others.
pub fn all(root: &Path, bins: &Path, workers: usize) -> Vec<Server> {
    let rust = |name: &'static str, bin: &str, label: &str| Server {
        name,
        label: label.to_owned(),
        program: bins.join(bin),
        args: Vec::new(),
        env: Vec::new(),
    };
    vec![
        Server {
            name: "fastapi",
            label: format!(
                "FastAPI on uvicorn ({workers} workers, uvloop + httptools), bench/fastapi/app.py"
            ),
            program: root.join("bench/.venv/bin/uvicorn"),
            args: uvicorn_args(&root.join("bench/fastapi"), workers),
            env: Vec::new(),
        },
        rust("axum", "showdown-axum", "hand-written axum + serde + garde"),
        rust("ferroapi", "showdown-ferroapi", "ferroapi (this project)"),
        rust(
            "ferroapi-shipped",
            "showdown-ferroapi-shipped",
            "ferroapi as shipped: the same app on jemalloc, the flagship's allocator",
        ),
        rust("actix", "showdown-actix", "actix-web 4 + serde + garde"),
        rust("poem", "showdown-poem", "poem-openapi 5"),
    ]
}

/// uvicorn serving `app:app` from `app_dir` as the showdown runs FastAPI: one
/// worker per core, uvloop + httptools, no access log (the port is added by the caller).
pub fn uvicorn_args(app_dir: &Path, workers: usize) -> Vec<String> {
    [
        "app:app",
        "--app-dir",
        &app_dir.to_string_lossy(),
        "--host",
        "127.0.0.1",
        "--workers",
        &workers.to_string(),
        "--loop",
        "uvloop",
        "--http",
        "httptools",
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    .map(String::from)
    .to_vec()
}

/// Stops a process started as its own group leader, and its children
/// (uvicorn's workers): TERM, up to 5 s, then KILL; reaps the leader.
pub fn stop_group(child: &mut Child) {
    let group = format!("-{}", child.id());
    let _ = Command::new("kill")
        .args(["-TERM", "--", &group])
        .stderr(Stdio::null())
        .status();
    for _ in 0..100 {
        if let Ok(Some(_)) = child.try_wait() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = Command::new("kill")
        .args(["-KILL", "--", &group])
        .stderr(Stdio::null())
        .status();
    let _ = child.wait();
}

/// A started server: its process group and where it listens.
#[derive(Debug)]
pub struct Running {
    child: Child,
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// From spawn to the first 200 of `GET /plaintext`.
    pub cold_start: Duration,
}

impl Server {
    /// The same server started with `key=value` in its environment.
    pub fn with_env(&self, key: &'static str, value: String) -> Server {
        let mut s = self.clone();
        s.env.push((key, value));
        s
    }

    /// Starts it on a free port and waits for its first 200.
    /// `pinned`: on core 0 only (`taskset -c 0`).
    pub async fn start(&self, db: &Path, client: &Client, pinned: bool) -> Result<Running, String> {
        let port = free_port()?;
        let mut cmd = if pinned {
            let mut c = Command::new("taskset");
            c.args(["-c", "0"]).arg(&self.program);
            c
        } else {
            Command::new(&self.program)
        };
        cmd.args(&self.args)
            .env("PORT", port.to_string())
            .env("SHOWDOWN_DB", db)
            .env("RUST_LOG", "warn")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            // Its own process group: uvicorn's workers are stopped with it.
            .process_group(0);
        if self.name == "fastapi" {
            cmd.arg("--port").arg(port.to_string());
        }
        let started = Instant::now();
        let child = cmd.spawn().map_err(|e| {
            format!(
                "{}: cannot start {}: {e}",
                self.name,
                self.program.display()
            )
        })?;
        let mut running = Running {
            child,
            port,
            cold_start: Duration::ZERO,
        };
        loop {
            if let Ok(res) = client.get(port, "/plaintext").await {
                if res.status == 200 {
                    running.cold_start = started.elapsed();
                    return Ok(running);
                }
            }
            if let Ok(Some(status)) = running.child.try_wait() {
                return Err(format!("{} exited before answering: {status}", self.name));
            }
            if started.elapsed() > Duration::from_secs(30) {
                running.stop();
                return Err(format!("{} did not answer within 30 s", self.name));
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
}

impl Running {
    /// The leader's pid (the process group).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the whole process group and reaps the leader.
    pub fn stop(&mut self) {
        stop_group(&mut self.child);
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            self.stop();
        }
    }
}

fn free_port() -> Result<u16, String> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

/// Resident memory of a process group, in KiB: the sum of `VmRSS` of its members.
pub fn group_rss_kib(pgid: u32) -> u64 {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return 0;
    };
    dir.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| process_group(*pid) == Some(pgid))
        .filter_map(rss_kib)
        .sum()
}

fn process_group(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
    let rest = &stat[stat.rfind(')')? + 2..];
    rest.split_whitespace().nth(2)?.parse().ok()
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
