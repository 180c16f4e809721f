//! The generic attacks against every program the project serves (the items
//! and chat examples, the flagship), each a release binary under
//! `--release` (as CI runs them): deep nesting, a big refused body, an idle
//! half request, a bare LF, declared lengths never sent, a crowd of idle
//! connections beside an honest client. Then what only one of them has:
//! the chat's websocket and its rooms, the flagship's login throttle and its
//! password recovery against a mail server that never answers.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;

/// What the generic attacks need to know of an app.
struct Shape {
    name: &'static str,
    /// A route that reads a JSON body, and the header lines it needs.
    json_post: &'static str,
    headers: &'static str,
    /// A cheap GET that answers 200.
    honest: &'static str,
}

fn vm_kib(t: &Target) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{}/status", t.pid())).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmSize:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

fn generic(t: &mut Target, app: &Shape) {
    let name = app.name;
    let (status, _) = t.request("GET", app.honest, b"");
    assert_eq!(status, 200, "{name}: honest request");
    // Deep nesting: a 4xx at once, and the server lives.
    let started = Instant::now();
    let deep = "[".repeat(1_000_000);
    let (status, _) = t.request_with("POST", app.json_post, app.headers, deep.as_bytes());
    assert!(
        (400..500).contains(&status),
        "{name}: deep nesting {status}"
    );
    assert!(started.elapsed() < Duration::from_secs(5), "{name}");
    assert!(t.alive(), "{name} died on deep nesting");
    // A big refused body costs memory in proportion.
    let (peak_before, _) = t.memory_kib();
    let mut big = String::with_capacity(15_000_002);
    big.push('[');
    for i in 0..7_500_000 {
        big.push_str(if i == 0 { "0" } else { ",0" });
    }
    big.push(']');
    let (status, _) = t.request_with("POST", app.json_post, app.headers, big.as_bytes());
    let (peak_after, _) = t.memory_kib();
    let grew = peak_after.saturating_sub(peak_before) / 1024;
    println!("{name}: 15 MB refused body: {status}, peak RSS +{grew} MiB");
    assert!((400..500).contains(&status), "{name}: big body {status}");
    assert!(grew <= 64, "{name}: peak RSS grew {grew} MiB");
    // A bare LF: uvicorn's 400.
    let mut s = t.connect();
    s.write_all(format!("GET {} HTTP/1.1\nhost: t\n\n", app.honest).as_bytes())
        .unwrap();
    assert_eq!(read_response(&mut s).0, 400, "{name}: bare LF");
    // Declared lengths never sent reserve nothing up front.
    let before = vm_kib(t);
    let mut held = Vec::new();
    for _ in 0..50 {
        let mut s = t.connect();
        let head = format!(
            "POST {} HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\n{}content-length: 15000000\r\n\r\n[0,",
            app.json_post, app.headers
        );
        s.write_all(head.as_bytes()).unwrap();
        held.push(s);
    }
    std::thread::sleep(Duration::from_millis(200));
    for s in &mut held {
        let _ = s.write_all(b"0,");
    }
    std::thread::sleep(Duration::from_millis(300));
    let grew = vm_kib(t).saturating_sub(before) / 1024;
    println!("{name}: 50 bodies declared at 15 MB, never sent: virtual memory +{grew} MiB");
    assert!(grew < 200, "{name}: virtual memory grew {grew} MiB");
    drop(held);
    // A crowd of idle connections and half requests beside an honest client.
    let mut idle: Vec<TcpStream> = (0..200).map(|_| t.connect()).collect();
    for s in idle.iter_mut().take(100) {
        let _ = s.write_all(b"GET /sl");
    }
    let started = Instant::now();
    let (status, _) = t.request("GET", app.honest, b"");
    assert_eq!(status, 200, "{name}");
    assert!(started.elapsed() < Duration::from_secs(2), "{name}");
    // The half request is cut at the keep-alive timeout (5 s).
    let took = closed_within(&mut idle[0], Duration::from_secs(10));
    println!("{name}: a half request line closed after {took:?}");
    assert!(took.is_some_and(|d| d < Duration::from_secs(8)), "{name}");
    assert!(t.alive(), "{name}");
}

#[test]
#[ignore = "release binaries: scripts/test runs `cargo test --release -p ferroapi-hostile --test every_app -- --ignored`"]
fn the_items_example_holds() {
    let mut t = Target::app("example-items", &[]);
    generic(
        &mut t,
        &Shape {
            name: "example-items",
            json_post: "/items/",
            headers: "",
            honest: "/items/",
        },
    );
}

/// Requests on one keep-alive connection: each answer read by its length.
fn keep_alive_get(s: &mut TcpStream, path: &str) -> u16 {
    s.write_all(format!("GET {path} HTTP/1.1\r\nhost: t\r\n\r\n").as_bytes())
        .unwrap();
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        s.read_exact(&mut b).unwrap();
        head.push(b[0]);
    }
    let text = String::from_utf8_lossy(&head).to_ascii_lowercase();
    let len: usize = text
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).unwrap();
    text.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
#[ignore = "release binaries: scripts/test runs `cargo test --release -p ferroapi-hostile --test every_app -- --ignored`"]
fn the_chat_example_holds_and_reading_creates_nothing() {
    let mut t = Target::app("example-chat", &[]);
    generic(
        &mut t,
        &Shape {
            name: "example-chat",
            json_post: "/rooms/a/messages",
            headers: "authorization: Bearer ann:read,write\r\n",
            honest: "/docs",
        },
    );
    // 20,000 reads of rooms that do not exist: no state (before: +521 MiB
    // for 100,000, for good).
    let mut s = t.connect();
    let mut check = |n: usize, from: usize| {
        for i in from..from + n {
            assert_eq!(keep_alive_get(&mut s, &format!("/rooms/r{i}/online")), 200);
        }
    };
    check(2_000, 0);
    let (_, before) = t.memory_kib();
    check(20_000, 2_000);
    let (_, after) = t.memory_kib();
    let grew = after.saturating_sub(before) / 1024;
    println!("example-chat: 20,000 unauthenticated reads of unknown rooms: RSS +{grew} MiB");
    assert!(grew <= 8, "RSS grew {grew} MiB");
    // A websocket that floods pings and never reads: bounded, and the
    // server answers others meanwhile.
    let mut ws = ws_open(&t, "/rooms/a/ws?token=ann:read,write");
    let (peak_before, _) = t.memory_kib();
    let ping = ws_frame(true, 9, &[b'p'; 125]).repeat(64);
    ws.set_write_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(4) {
        if ws.write_all(&ping).is_err() {
            break;
        }
    }
    let (status, _) = t.request("GET", "/docs", b"");
    assert_eq!(status, 200);
    let (peak_after, _) = t.memory_kib();
    let grew = peak_after.saturating_sub(peak_before) / 1024;
    println!("example-chat: websocket ping flood for 4 s: peak RSS +{grew} MiB");
    assert!(grew <= 64, "peak RSS grew {grew} MiB");
}

fn flagship_env(db: &std::path::Path, extra: &[(&'static str, String)]) -> Vec<(String, String)> {
    let mut env = vec![
        ("FASTAPI_ENV".into(), "development".into()),
        ("PROJECT_NAME".into(), "hostile".into()),
        ("SECRET_KEY".into(), "hostile-secret-key".into()),
        ("FIRST_SUPERUSER".into(), "admin@example.com".into()),
        ("FIRST_SUPERUSER_PASSWORD".into(), "admin-password-1".into()),
        ("DATABASE_URL".into(), format!("sqlite://{}", db.display())),
        ("LOGIN_MAX_FAILURES".into(), "5".into()),
    ];
    env.extend(extra.iter().map(|(k, v)| (k.to_string(), v.clone())));
    env
}

fn login(t: &Target, user: &str, password: &str) -> (u16, Vec<u8>, String) {
    let mut s = t.connect();
    let body = format!("username={user}&password={password}");
    s.write_all(
        format!(
            "POST /api/v1/login/access-token HTTP/1.1\r\nhost: t\r\n\
             content-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\
             connection: close\r\n\r\n{body}",
            body.len()
        )
        .as_bytes(),
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let head = String::from_utf8_lossy(&raw).to_ascii_lowercase();
    let retry = head
        .lines()
        .find_map(|l| l.strip_prefix("retry-after:"))
        .map(|v| v.trim().to_string())
        .unwrap_or_default();
    let (status, body) = parse_response(&raw);
    (status, body, retry)
}

#[test]
#[ignore = "release binaries: scripts/test runs `cargo test --release -p ferroapi-hostile --test every_app -- --ignored`"]
fn the_flagship_holds_throttles_guessing_and_recovers_in_constant_time() {
    // A mail server that accepts connections and never says a word.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let smtp_port = silent.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in silent.incoming().map_while(Result::ok) {
            held.push(s);
        }
    });
    let dir = std::env::temp_dir().join(format!("hostile-flagship-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let env = flagship_env(
        &dir.join("fullstack.db"),
        &[
            ("SMTP_HOST", "127.0.0.1".into()),
            ("SMTP_PORT", smtp_port.to_string()),
            ("SMTP_TLS", "false".into()),
            ("EMAILS_FROM_EMAIL", "info@example.com".into()),
        ],
    );
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let mut t = Target::app("fullstack", &env);
    generic(
        &mut t,
        &Shape {
            name: "fullstack",
            json_post: "/api/v1/users/signup",
            headers: "",
            honest: "/api/v1/utils/health-check/",
        },
    );
    // A reset link works once, and ends the sessions opened before it.
    let (status, body, _) = login(&t, "admin@example.com", "admin-password-1");
    assert_eq!(status, 200);
    let token = String::from_utf8_lossy(&body)
        .split('"')
        .nth(3)
        .expect("an access token")
        .to_string();
    let bearer = format!("authorization: Bearer {token}\r\n");
    let (status, html) = t.request_with(
        "POST",
        "/api/v1/password-recovery-html-content/admin@example.com",
        &bearer,
        b"",
    );
    assert_eq!(status, 200);
    let html = String::from_utf8_lossy(&html).to_string();
    let reset_token = html
        .split("reset-password?token=")
        .nth(1)
        .and_then(|rest| rest.split(['"', '<', '&']).next())
        .expect("a reset link")
        .to_string();
    std::thread::sleep(Duration::from_millis(1100));
    let reset = |password: &str| {
        let body = format!("{{\"token\":\"{reset_token}\",\"new_password\":\"{password}\"}}");
        t.request("POST", "/api/v1/reset-password/", body.as_bytes())
            .0
    };
    assert_eq!(reset("admin-password-2"), 200);
    assert_eq!(reset("admin-password-3"), 400, "a reset token used twice");
    let (status, _) = t.request_with("POST", "/api/v1/login/test-token", &bearer, b"");
    assert_eq!(status, 403, "a session from before the reset");
    let (status, _, _) = login(&t, "admin@example.com", "admin-password-2");
    assert_eq!(status, 200);
    // Guessing: five failures, then 429 with Retry-After, even for the
    // right password; no hash is spent on it.
    for _ in 0..5 {
        let (status, _, _) = login(&t, "admin@example.com", "guess");
        assert_eq!(status, 400);
    }
    let started = Instant::now();
    let (status, body, retry) = login(&t, "admin@example.com", "admin-password-2");
    println!(
        "fullstack: 6th login after 5 failures: {status} in {:?}, retry-after {retry}",
        started.elapsed()
    );
    assert_eq!(status, 429, "{}", String::from_utf8_lossy(&body));
    assert!(retry.parse::<u32>().is_ok_and(|s| (1..=900).contains(&s)));
    // Recovery against the silent mail server: registered or not, the
    // answer comes at once (before: the registered email waited on SMTP).
    let recover = |email: &str| {
        let started = Instant::now();
        let (status, _) = t.request("POST", &format!("/api/v1/password-recovery/{email}"), b"");
        assert_eq!(status, 200);
        started.elapsed()
    };
    let mut known = Vec::new();
    let mut unknown = Vec::new();
    for _ in 0..20 {
        known.push(recover("admin@example.com"));
        unknown.push(recover("nobody@example.com"));
    }
    known.sort();
    unknown.sort();
    let (k, u) = (known[10], unknown[10]);
    println!(
        "fullstack: recovery with a silent mail server, median: registered {k:?}, unknown {u:?}"
    );
    assert!(k < Duration::from_millis(200), "{k:?}");
    assert!(u < Duration::from_millis(200), "{u:?}");
    drop(t);
    let _ = std::fs::remove_dir_all(&dir);
}
