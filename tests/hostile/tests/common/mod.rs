//! What every hostile test shares: a target process and its memory, raw
//! HTTP/1, websocket and HTTP/2 client pieces over a real socket.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// The child's standard output, line by line, read by a thread.
fn stdout_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().expect("stdout");
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    lines
}

/// A running target; killed when dropped.
pub struct Target {
    pub child: Child,
    pub addr: SocketAddr,
    pub lines: mpsc::Receiver<String>,
}

impl Target {
    pub fn start(env: &[(&str, &str)]) -> Target {
        Target::start_with(env, None)
    }

    /// Starts one of the project's served programs (`example-items`,
    /// `example-chat`, `fullstack`) on a free port, built first in the
    /// profile these tests were built in (release under `--release`). The
    /// port goes in `FERROAPI_ADDR` and in `HOST`/`PORT`; ready once it
    /// accepts.
    pub fn app(package: &str, env: &[(&str, &str)]) -> Target {
        let exe = std::env::current_exe().expect("the test's path");
        // target/<profile>/deps/attacks-... -> target/<profile>
        let dir = exe.parent().and_then(|d| d.parent()).expect("target dir");
        let release = dir.file_name().is_some_and(|n| n == "release");
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "-p", package]);
        if release {
            build.arg("--release");
        }
        let built = build.status().expect("cargo build");
        assert!(built.success(), "building {package} failed");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        let mut cmd = Command::new(dir.join(package));
        cmd.stdout(Stdio::piped())
            .stderr(Stdio::null())
            .env("FERROAPI_ADDR", addr.to_string())
            .env("HOST", "127.0.0.1")
            .env("PORT", port.to_string())
            .env("RUST_LOG", "warn");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start the app");
        let lines = stdout_lines(&mut child);
        let started = Instant::now();
        while TcpStream::connect(addr).is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{package} did not listen on {addr}"
            );
            assert!(
                matches!(child.try_wait(), Ok(None)),
                "{package} exited at start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Target { child, addr, lines }
    }

    /// Starts the target, under `ulimit -n nofile` when given.
    pub fn start_with(env: &[(&str, &str)], nofile: Option<u32>) -> Target {
        let bin = env!("CARGO_BIN_EXE_hostile-target");
        let mut cmd = match nofile {
            Some(n) => {
                let mut c = Command::new("sh");
                c.arg("-c")
                    .arg(format!("ulimit -n {n} && exec \"$0\""))
                    .arg(bin);
                c
            }
            None => Command::new(bin),
        };
        cmd.stdout(Stdio::piped()).stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start hostile-target");
        let lines = stdout_lines(&mut child);
        let first = lines
            .recv_timeout(Duration::from_secs(20))
            .expect("the target prints its address");
        let addr = first
            .strip_prefix("listening on ")
            .expect("listening line")
            .parse()
            .expect("an address");
        Target { child, addr, lines }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn alive(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// `VmHWM` (peak resident set) and `VmRSS` of the target, in KiB.
    pub fn memory_kib(&self) -> (u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("the target's /proc status");
        let field = |name: &str| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(name))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
                .unwrap_or(0)
        };
        (field("VmHWM:"), field("VmRSS:"))
    }

    pub fn connect(&self) -> TcpStream {
        let s = TcpStream::connect(self.addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        s
    }

    /// One request on a fresh connection; returns the status and the body.
    pub fn request(&self, method: &str, path: &str, body: &[u8]) -> (u16, Vec<u8>) {
        self.request_with(method, path, "", body)
    }

    /// [`request`](Target::request) with more header lines (each ending in
    /// CR LF).
    pub fn request_with(
        &self,
        method: &str,
        path: &str,
        headers: &str,
        body: &[u8],
    ) -> (u16, Vec<u8>) {
        let mut s = self.connect();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\n\
             content-length: {}\r\nconnection: close\r\n{headers}\r\n",
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        // The server may answer (413) before reading all of a large body.
        let _ = s.write_all(body);
        read_response(&mut s)
    }

    pub fn signal(&self, sig: i32) {
        let rc = Command::new("kill")
            .arg(format!("-{sig}"))
            .arg(self.pid().to_string())
            .status()
            .expect("kill");
        assert!(rc.success());
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads one whole response (to EOF: every request here closes).
pub fn read_response(s: &mut TcpStream) -> (u16, Vec<u8>) {
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    parse_response(&raw)
}

pub fn parse_response(raw: &[u8]) -> (u16, Vec<u8>) {
    let text_end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head in {:?}", String::from_utf8_lossy(raw)));
    let head = String::from_utf8_lossy(&raw[..text_end]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let mut body = raw[text_end + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    (status, body)
}

pub fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size =
            usize::from_str_radix(std::str::from_utf8(&b[..eol]).unwrap().trim(), 16).unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
}

pub fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body)
        .unwrap_or_else(|_| panic!("JSON body: {}", String::from_utf8_lossy(body)))
}

/// Waits until the peer closes `s`; returns how long that took (or `None`
/// if it stays open past `limit`).
/// Sends `bytes` one at a time, `every` apart, for at most `give_up`; true
/// when the server cut the connection (a write failed) before the end.
pub fn trickle(s: &mut TcpStream, bytes: &[u8], every: Duration, give_up: Duration) -> bool {
    let started = Instant::now();
    for b in bytes {
        if s.write_all(&[*b]).is_err() {
            return true;
        }
        std::thread::sleep(every);
        if started.elapsed() > give_up {
            break;
        }
    }
    false
}

pub fn closed_within(s: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    s.set_read_timeout(Some(limit)).unwrap();
    let mut buf = [0u8; 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => continue,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                return Some(started.elapsed())
            }
            Err(_) => return None,
        }
    }
}

/// Opens a websocket on `path` (the handshake read whole); the stream is
/// left with a short read timeout.
pub fn ws_open(t: &Target, path: &str) -> TcpStream {
    let mut s = t.connect();
    s.write_all(
        format!(
            "GET {path} HTTP/1.1\r\nhost: t\r\nupgrade: websocket\r\nconnection: Upgrade\r\n\
             sec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n"
        )
        .as_bytes(),
    )
    .unwrap();
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(s.read(&mut b).unwrap(), 1, "handshake cut short");
        head.push(b[0]);
    }
    let text = String::from_utf8_lossy(&head);
    assert!(text.starts_with("HTTP/1.1 101"), "{text}");
    s
}

/// A client frame (masked, as RFC 6455 requires of clients).
pub fn ws_frame(fin: bool, opcode: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![if fin { 0x80 } else { 0 } | opcode];
    let len = payload.len();
    if len < 126 {
        f.push(0x80 | len as u8);
    } else if len <= 0xffff {
        f.push(0x80 | 126);
        f.extend_from_slice(&(len as u16).to_be_bytes());
    } else {
        f.push(0x80 | 127);
        f.extend_from_slice(&(len as u64).to_be_bytes());
    }
    let mask = [0x12u8, 0x34, 0x56, 0x78];
    f.extend_from_slice(&mask);
    f.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    f
}

/// Reads server frames until a close frame (its code) or the end of the
/// stream (`None`), for at most `limit`; pings are answered when `pong`.
pub fn ws_until_close(s: &mut TcpStream, limit: Duration, pong: bool) -> Option<u16> {
    let started = Instant::now();
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    while started.elapsed() < limit {
        match s.read(&mut chunk) {
            Ok(0) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return None,
        }
        // Server frames are unmasked.
        while buf.len() >= 2 {
            let (opcode, short) = (buf[0] & 0x0f, (buf[1] & 0x7f) as usize);
            let (len, at) = match short {
                126 if buf.len() >= 4 => (u16::from_be_bytes([buf[2], buf[3]]) as usize, 4),
                127 if buf.len() >= 10 => (
                    u64::from_be_bytes(buf[2..10].try_into().unwrap()) as usize,
                    10,
                ),
                126 | 127 => break,
                n => (n, 2),
            };
            if buf.len() < at + len {
                break;
            }
            let payload = buf[at..at + len].to_vec();
            buf.drain(..at + len);
            match opcode {
                8 => return Some(u16::from_be_bytes([payload[0], payload[1]])),
                9 if pong => {
                    let _ = s.write_all(&ws_frame(true, 0xA, &payload));
                }
                _ => {}
            }
        }
    }
    panic!("the websocket stayed open for {limit:?}");
}

/// Opens an HTTP/2 connection with prior knowledge (preface and an empty
/// SETTINGS frame, as a gRPC channel opens).
pub fn h2_open(addr: SocketAddr) -> TcpStream {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .unwrap();
    s
}
