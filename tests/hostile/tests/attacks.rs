//! Every attack of the hostile list, replayed over a real socket against the
//! `hostile-target` binary (a ferroapi app served by `App::serve`'s loop), each
//! bounded in time: deep nesting, big refused bodies (peak RSS checked), slow
//! and idle clients, a connection flood past the open-files limit, SIGTERM
//! with requests in flight, and `Expect: 100-continue` over the size limit.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;

#[test]
fn deep_nesting_answers_400_fast_and_the_server_lives() {
    let mut t = Target::start(&[]);
    for (what, body) in [
        ("10,000 [", "[".repeat(10_000)),
        ("1,000,000 [", "[".repeat(1_000_000)),
        ("{\"a\": x 10,000", "{\"a\":".repeat(10_000)),
        (
            "964 closed lists",
            format!("{}{}", "[".repeat(964), "]".repeat(964)),
        ),
    ] {
        let started = Instant::now();
        let (status, body) = t.request("POST", "/items", body.as_bytes());
        let took = started.elapsed();
        assert_eq!(status, 400, "{what}");
        assert_eq!(
            json(&body),
            serde_json::json!({"detail": "There was an error parsing the body"}),
            "{what}"
        );
        assert!(took < Duration::from_secs(5), "{what} took {took:?}");
        assert!(t.alive(), "the server died on {what}");
    }
    // Just under the limit, the value is read and reported as FastAPI does.
    let ok = format!("{}{}", "[".repeat(963), "]".repeat(963));
    let (status, body) = t.request("POST", "/items", ok.as_bytes());
    assert_eq!(status, 422);
    // (Deeper than serde_json reads: compare the text.)
    let text = String::from_utf8_lossy(&body);
    assert!(
        text.starts_with(r#"{"detail":[{"type":"model_attributes_type","loc":["body"],"#),
        "{text}"
    );
    assert!(
        text.ends_with(&format!("\"input\":{ok}}}]}}")),
        "the input is echoed whole"
    );
    // An untyped part nested 900 deep is accepted (Python's decoder takes it;
    // serde's own limit of 128 is not the contract).
    let any = format!("{{\"payload\":{}{}}}", "[".repeat(900), "]".repeat(900));
    let (status, body) = t.request("POST", "/any", any.as_bytes());
    assert_eq!(
        (status, json(&body)),
        (200, serde_json::json!({"kind": "array"}))
    );
    // A recursive model: pydantic stops at 255 nested models with
    // `recursion_depth_exceeded` on the deepest one; the walker does the same.
    let tree = |n: usize, leaf: &str| {
        format!(
            "{}{leaf}{}",
            "{\"value\":1,\"children\":[".repeat(n),
            "]}".repeat(n)
        )
    };
    let (status, body) = t.request("POST", "/tree", tree(300, "{\"value\":2}").as_bytes());
    assert_eq!(status, 422, "{}", String::from_utf8_lossy(&body));
    let detail = json(&body)["detail"].clone();
    assert_eq!(detail.as_array().map(Vec::len), Some(1));
    assert_eq!(detail[0]["type"], "recursion_depth_exceeded");
    assert_eq!(detail[0]["loc"].as_array().unwrap().len(), 1 + 2 * 254);
    // Within it: a bad leaf is found where it is, a good tree is taken.
    let (status, body) = t.request("POST", "/tree", tree(200, "{\"value\":\"x\"}").as_bytes());
    assert_eq!(status, 422);
    let item = &json(&body)["detail"][0];
    assert_eq!(item["type"], "int_parsing");
    assert_eq!(item["loc"].as_array().unwrap().len(), 1 + 2 * 200 + 1);
    let (status, body) = t.request("POST", "/tree", tree(253, "{\"value\":2}").as_bytes());
    assert_eq!(
        (status, json(&body)),
        (200, serde_json::json!({"depth": 254}))
    );
    assert!(t.alive());
}

#[test]
fn a_big_refused_body_costs_memory_in_proportion() {
    let t = Target::start(&[]);
    // Warm up allocator arenas and the route.
    let _ = t.request("POST", "/items", b"[1]");
    let (peak_before, _) = t.memory_kib();
    let mut body = String::with_capacity(15_000_002);
    body.push('[');
    for i in 0..7_500_000 {
        if i > 0 {
            body.push(',');
        }
        body.push('0');
    }
    body.push(']');
    let mb = body.len() as f64 / 1e6;
    let started = Instant::now();
    let (status, out) = t.request("POST", "/items", body.as_bytes());
    let took = started.elapsed();
    let (peak_after, _) = t.memory_kib();
    let growth_mb = (peak_after.saturating_sub(peak_before)) as f64 / 1024.0;
    println!("refused {mb:.1} MB body: {status} in {took:?}, peak RSS +{growth_mb:.1} MiB");
    assert_eq!(status, 422);
    let v = json(&out);
    // FastAPI's item, the input echoed whole (it is the contract).
    assert_eq!(v["detail"][0]["type"], "model_attributes_type");
    assert_eq!(
        v["detail"][0]["input"].as_array().map(Vec::len),
        Some(7_500_000)
    );
    assert!(
        growth_mb <= 4.0 * mb,
        "peak RSS grew {growth_mb:.1} MiB for {mb:.1} MB"
    );
    // A long list inside a valid object: its length rule still holds past
    // the decoder's budget of values.
    let mut tags = String::from("{\"name\":\"x\",\"price\":1,\"tags\":[");
    for i in 0..200_000 {
        if i > 0 {
            tags.push(',');
        }
        tags.push_str("\"a\"");
    }
    tags.push_str("]}");
    let (status, out) = t.request("POST", "/items", tags.as_bytes());
    assert_eq!(status, 422);
    let item = &json(&out)["detail"][0];
    assert_eq!(item["type"], "too_long");
    assert_eq!(item["ctx"]["actual_length"], 200_000);
}

#[test]
fn slow_and_idle_clients_are_cut_off() {
    let t = Target::start(&[
        ("HOSTILE_HEADER_MS", "1500"),
        ("HOSTILE_KEEPALIVE_MS", "700"),
        ("HOSTILE_BODY_MS", "1000"),
    ]);
    // Half a request line, then nothing: closed at the keep-alive timeout.
    let mut s = t.connect();
    s.write_all(b"GET /sl").unwrap();
    let took = closed_within(&mut s, Duration::from_secs(10)).expect("half a line is cut off");
    assert!(took < Duration::from_secs(3), "{took:?}");
    // Headers one byte at a time, each within the idle timeout: cut off by
    // the header timeout (1.5 s) however steady the trickle.
    let mut s = t.connect();
    let started = Instant::now();
    let head = b"GET /slow?ms=1 HTTP/1.1\r\nhost: t\r\nx-pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let cut = trickle(
        &mut s,
        head,
        Duration::from_millis(100),
        Duration::from_secs(6),
    );
    let closed = cut || closed_within(&mut s, Duration::from_secs(5)).is_some();
    assert!(closed, "a trickle of headers was never cut off");
    assert!(started.elapsed() < Duration::from_secs(6));
    // An idle keep-alive connection is closed after its timeout.
    let mut s = t.connect();
    s.write_all(b"GET /slow?ms=1 HTTP/1.1\r\nhost: t\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 512];
    let n = s.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    let took = closed_within(&mut s, Duration::from_secs(10)).expect("idle keep-alive closed");
    assert!(took < Duration::from_secs(3), "{took:?}");
    // A body that stops mid-way: 408, and the connection closes.
    let mut s = t.connect();
    s.write_all(
        b"POST /items HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"name\":",
    )
    .unwrap();
    let started = Instant::now();
    let (status, body) = read_response(&mut s);
    assert_eq!(status, 408, "{}", String::from_utf8_lossy(&body));
    assert_eq!(
        json(&body),
        serde_json::json!({"detail": "Request Timeout"})
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    // A long request is not an idle connection: it is answered.
    let (status, body) = t.request("GET", "/slow?ms=2500", b"");
    assert_eq!((status, json(&body)), (200, serde_json::json!("done")));
}

#[test]
fn a_header_timeout_shorter_than_keep_alive_times_heads_not_idle_connections() {
    let t = Target::start(&[
        ("HOSTILE_HEADER_MS", "600"),
        ("HOSTILE_KEEPALIVE_MS", "5000"),
    ]);
    // A head trickled within the idle timeout is cut at the header timeout.
    let mut s = t.connect();
    let started = Instant::now();
    let head = b"GET /slow?ms=1 HTTP/1.1\r\nhost: t\r\nx-pad: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
    let cut = trickle(
        &mut s,
        head,
        Duration::from_millis(50),
        Duration::from_secs(4),
    );
    assert!(cut || closed_within(&mut s, Duration::from_secs(3)).is_some());
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // A connection idle between two requests is timed by the keep-alive
    // timeout, not by the header timeout of the head it last received.
    let mut s = t.connect();
    for _ in 0..2 {
        s.write_all(b"GET /slow?ms=1 HTTP/1.1\r\nhost: t\r\n\r\n")
            .unwrap();
        let mut buf = [0u8; 512];
        let n = s.read(&mut buf).unwrap();
        assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
        std::thread::sleep(Duration::from_millis(1500));
    }
}

#[test]
fn an_idle_http2_connection_is_kept_for_its_pings() {
    let t = Target::start(&[("HOSTILE_KEEPALIVE_MS", "500")]);
    let mut s = t.connect();
    // The HTTP/2 preface and an empty SETTINGS frame, as a gRPC channel opens.
    s.write_all(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        .unwrap();
    // Four times the HTTP/1 keep-alive timeout later it is still open.
    assert_eq!(closed_within(&mut s, Duration::from_secs(2)), None);
}

#[test]
fn a_connection_flood_past_the_open_files_limit_does_not_stop_accepting() {
    // 256 descriptors; 400 idle connections; connections past the limit wait
    // in the backlog instead of failing `accept` in a loop.
    let t = Target::start_with(&[("HOSTILE_KEEPALIVE_MS", "2000")], Some(256));
    let mut idle = Vec::new();
    for _ in 0..400 {
        match TcpStream::connect(t.addr) {
            Ok(s) => idle.push(s),
            Err(_) => break,
        }
    }
    assert!(idle.len() >= 300, "only {} connections opened", idle.len());
    // A real client gets its answer once the idle ones time out (2 s).
    let started = Instant::now();
    let (status, _) = t.request("GET", "/slow?ms=1", b"");
    assert_eq!(status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
    drop(idle);
    let (status, _) = t.request("GET", "/slow?ms=1", b"");
    assert_eq!(status, 200);
}

#[test]
fn sigterm_drains_requests_in_flight_then_runs_the_hooks() {
    let mut t = Target::start(&[("HOSTILE_DRAIN_MS", "10000")]);
    let addr = t.addr;
    let clients: Vec<_> = (0..20)
        .map(|_| {
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(addr).unwrap();
                s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                s.write_all(b"GET /slow?ms=1500 HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n")
                    .unwrap();
                read_response(&mut s)
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    t.signal(15);
    // New connections are refused once the listener is closed.
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        TcpStream::connect(addr).is_err(),
        "still accepting after SIGTERM"
    );
    let answered = clients
        .into_iter()
        .map(|c| c.join().unwrap())
        .filter(|(status, body)| *status == 200 && json(body) == serde_json::json!("done"))
        .count();
    assert_eq!(answered, 20);
    let mut rest = Vec::new();
    while let Ok(line) = t.lines.recv_timeout(Duration::from_secs(10)) {
        rest.push(line);
    }
    assert_eq!(rest, ["shutdown hook ran", "exited cleanly"]);
    let status = t.child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn sigterm_lets_background_tasks_finish_before_the_hooks() {
    let mut t = Target::start(&[("HOSTILE_DRAIN_MS", "10000")]);
    let (status, _) = t.request("POST", "/later?ms=1000", b"");
    assert_eq!(status, 200);
    t.signal(15);
    let mut rest = Vec::new();
    while let Ok(line) = t.lines.recv_timeout(Duration::from_secs(10)) {
        rest.push(line);
    }
    assert_eq!(
        rest,
        [
            "background task done",
            "shutdown hook ran",
            "exited cleanly"
        ]
    );
    assert!(t.child.wait().unwrap().success());
}

#[test]
fn sigterm_stops_at_the_drain_deadline() {
    let mut t = Target::start(&[("HOSTILE_DRAIN_MS", "500")]);
    let mut s = t.connect();
    s.write_all(b"GET /slow?ms=30000 HTTP/1.1\r\nhost: t\r\n\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    t.signal(2);
    let status = t.child.wait().unwrap();
    assert!(status.success());
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn expect_continue_over_the_limit_gets_413_without_an_invitation() {
    let t = Target::start(&[]);
    let mut s = t.connect();
    s.write_all(
        b"POST /items HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\n\
          content-length: 999999999\r\nexpect: 100-continue\r\n\r\n",
    )
    .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = s.read(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf[..n]);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(!text.contains("100 Continue"), "{text}");
    assert!(
        text.ends_with("{\"detail\":\"Content Too Large\"}") || text.contains("Content Too Large")
    );
    // Within the limit, the client is invited and answered.
    let mut s = t.connect();
    s.write_all(
        b"POST /items HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\n\
          content-length: 26\r\nexpect: 100-continue\r\nconnection: close\r\n\r\n",
    )
    .unwrap();
    let n = s.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 100"));
    s.write_all(b"{\"name\":\"x\",\"price\":1.5}  ").unwrap();
    let (status, body) = read_response(&mut s);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
}

#[test]
fn a_websocket_ping_flood_that_never_reads_is_closed_at_a_bounded_buffer() {
    // Pinged every second: the ping cannot go out to a peer that does not
    // read, and the peer is closed a ping timeout later.
    let t = Target::start(&[
        ("HOSTILE_WS_PING_MS", "1000"),
        ("HOSTILE_WS_PING_TIMEOUT_MS", "1000"),
    ]);
    let mut s = ws_open(&t, "/ws");
    let (peak_before, _) = t.memory_kib();
    // Pings as fast as the socket takes them for up to 10 s; never a read.
    let ping = ws_frame(true, 9, &[b'p'; 125]).repeat(64);
    s.set_write_timeout(Some(Duration::from_secs(2))).unwrap();
    let started = Instant::now();
    let mut cut = false;
    while started.elapsed() < Duration::from_secs(10) {
        if s.write_all(&ping).is_err() {
            cut = true;
            break;
        }
    }
    let took = started.elapsed();
    let (peak_after, _) = t.memory_kib();
    let growth = peak_after.saturating_sub(peak_before) / 1024;
    println!("ping flood: cut after {took:?}, peak RSS +{growth} MiB");
    assert!(
        cut,
        "a client that floods pings and never reads was kept 10 s"
    );
    assert!(growth <= 64, "peak RSS grew {growth} MiB");
    let (status, _) = t.request("GET", "/slow?ms=1", b"");
    assert_eq!(status, 200);
}

#[test]
fn an_unfinished_websocket_message_is_closed_by_its_timeout() {
    let t = Target::start(&[("HOSTILE_WS_MESSAGE_MS", "1500")]);
    let mut s = ws_open(&t, "/ws");
    // A whole message is echoed.
    s.write_all(&ws_frame(true, 1, b"hi")).unwrap();
    let mut echo = [0u8; 4];
    s.read_exact(&mut echo).unwrap();
    assert_eq!(&echo, b"\x81\x02hi");
    // A text frame without FIN, then a trickle of continuations, never the end.
    s.write_all(&ws_frame(false, 1, &[b'a'; 100_000])).unwrap();
    let started = Instant::now();
    let writer = {
        let mut s = s.try_clone().unwrap();
        std::thread::spawn(move || {
            for _ in 0..40 {
                if s.write_all(&ws_frame(false, 0, b"more")).is_err() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(200));
            }
        })
    };
    let code = ws_until_close(&mut s, Duration::from_secs(8), true);
    let took = started.elapsed();
    println!("unfinished message: closed with {code:?} after {took:?}");
    assert_eq!(code, Some(1008));
    assert!(took < Duration::from_secs(4), "{took:?}");
    writer.join().unwrap();
}

#[test]
fn a_websocket_message_past_16_mib_is_closed_with_1009() {
    let t = Target::start(&[]);
    let mut s = ws_open(&t, "/ws");
    let (peak_before, _) = t.memory_kib();
    let piece = vec![b'x'; 1 << 20];
    let mut sent = 0;
    for i in 0..20 {
        let opcode = if i == 0 { 2 } else { 0 };
        if s.write_all(&ws_frame(false, opcode, &piece)).is_err() {
            break;
        }
        sent += 1;
    }
    let code = ws_until_close(&mut s, Duration::from_secs(10), true);
    let (peak_after, _) = t.memory_kib();
    let growth = peak_after.saturating_sub(peak_before) / 1024;
    println!("oversized message: {sent} MiB sent, closed with {code:?}, peak RSS +{growth} MiB");
    assert_eq!(code, Some(1009));
    assert!(growth <= 64, "peak RSS grew {growth} MiB");
}

#[test]
fn a_silent_websocket_peer_is_closed_after_its_ping_timeout() {
    let t = Target::start(&[
        ("HOSTILE_WS_PING_MS", "500"),
        ("HOSTILE_WS_PING_TIMEOUT_MS", "500"),
    ]);
    // One that answers pings stays.
    let mut s = ws_open(&t, "/ws");
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let answering = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        ws_until_close(&mut s, Duration::from_secs(2), true)
    }));
    assert!(answering.is_err(), "a peer answering pings was closed");
    // One that never answers is closed with 1011 within interval + timeout.
    let mut s = ws_open(&t, "/ws");
    let started = Instant::now();
    let code = ws_until_close(&mut s, Duration::from_secs(5), false);
    let took = started.elapsed();
    println!("silent peer: closed with {code:?} after {took:?}");
    assert_eq!(code, Some(1011));
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[test]
fn an_idle_websocket_costs_little_memory() {
    let t = Target::start(&[]);
    // Warm up: one connection, then measure 300 more.
    let first = ws_open(&t, "/ws");
    std::thread::sleep(Duration::from_millis(200));
    let (_, before) = t.memory_kib();
    let sockets: Vec<_> = (0..300).map(|_| ws_open(&t, "/ws")).collect();
    std::thread::sleep(Duration::from_millis(500));
    let (_, after) = t.memory_kib();
    let each = after.saturating_sub(before) as f64 / 300.0;
    println!("idle websocket: {each:.1} KiB of RSS each");
    assert!(each <= 40.0, "{each:.1} KiB each");
    drop((first, sockets));
}

#[test]
fn an_idle_http2_connection_is_sent_goaway_at_its_idle_timeout() {
    let t = Target::start(&[("HOSTILE_H2_IDLE_MS", "1000")]);
    let mut s = h2_open(t.addr);
    // Within its idle timeout it is open...
    assert_eq!(closed_within(&mut s, Duration::from_millis(600)), None);
    // ...and sent GOAWAY soon after; a client that does not answer the
    // GOAWAY's ping is let go 5 s later at most.
    let took = closed_within(&mut s, Duration::from_secs(10)).expect("idle h2 closed");
    assert!(took < Duration::from_secs(7), "{took:?}");
}

#[test]
fn idle_connections_of_any_protocol_never_hold_the_connection_limit() {
    let t = Target::start(&[("HOSTILE_MAX_CONNECTIONS", "50")]);
    // Every slot taken by idle connections: HTTP/2 with no stream, HTTP/1
    // with nothing sent, HTTP/1 kept alive after an answer.
    let mut idle: Vec<TcpStream> = (0..30).map(|_| h2_open(t.addr)).collect();
    idle.extend((0..20).map(|_| TcpStream::connect(t.addr).unwrap()));
    for _ in 0..10 {
        let mut s = t.connect();
        s.write_all(b"GET /slow?ms=1 HTTP/1.1\r\nhost: t\r\n\r\n")
            .unwrap();
        let mut buf = [0u8; 256];
        let _ = s.read(&mut buf).unwrap();
        idle.push(s);
    }
    std::thread::sleep(Duration::from_millis(300));
    // A real client is answered at once, not after the idle timeouts.
    let started = Instant::now();
    let (status, _) = t.request("GET", "/slow?ms=1", b"");
    let took = started.elapsed();
    println!("honest client past 60 idle connections on 50 slots: {took:?}");
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(2), "{took:?}");
}

#[test]
fn a_head_with_bare_line_feeds_is_refused_and_bodies_are_untouched() {
    let t = Target::start(&[]);
    for head in [
        "GET /slow?ms=1 HTTP/1.1\nhost: t\n\n",
        "GET /slow?ms=1 HTTP/1.1\r\nhost: t\nx-a: b\r\n\r\n",
        "GET /slow?ms=1 HTTP/1.1\r\nhost: t\r\n\n",
    ] {
        let mut s = t.connect();
        s.write_all(head.as_bytes()).unwrap();
        let (status, body) = read_response(&mut s);
        assert_eq!(status, 400, "{head:?}");
        assert_eq!(body, b"Invalid HTTP request received.", "uvicorn's answer");
    }
    // Split over reads, one byte at a time: still found.
    let mut s = t.connect();
    for b in b"GET /slow?ms=1 HTTP/1.1\r\nhost: t\n\r\n" {
        // The server answers and closes at the bare LF.
        if s.write_all(&[*b]).is_err() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let (status, _) = read_response(&mut s);
    assert_eq!(status, 400);
    // Line feeds in a body (here inside JSON whitespace) are the body's.
    let body = b"{\n\"name\":\"x\",\n\"price\":1\n}";
    let (status, out) = t.request("POST", "/items", body);
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&out));
    // And keep-alive requests after one with a body are checked too.
    let mut s = t.connect();
    let req = format!(
        "POST /items HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{}",
        body.len(),
        String::from_utf8_lossy(body)
    );
    s.write_all(req.as_bytes()).unwrap();
    let mut buf = [0u8; 512];
    let n = s.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 200"));
    s.write_all(b"GET /slow?ms=1 HTTP/1.1\nhost: t\nconnection: close\n\n")
        .unwrap();
    let (status, _) = read_response(&mut s);
    assert_eq!(status, 400);
}

#[test]
fn a_declared_length_never_sent_reserves_little() {
    let t = Target::start(&[("HOSTILE_BODY_MS", "3000")]);
    let _ = t.request("POST", "/items", b"[1]");
    let vm = || {
        let status = std::fs::read_to_string(format!("/proc/{}/status", t.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmSize:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap()
    };
    let before = vm();
    // 100 bodies declared at 15 MB, each sent two small pieces, then nothing.
    let mut held = Vec::new();
    for _ in 0..100 {
        let mut s = t.connect();
        s.write_all(
            b"POST /items HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: 15000000\r\n\r\n[0,",
        )
        .unwrap();
        held.push(s);
    }
    std::thread::sleep(Duration::from_millis(300));
    for s in &mut held {
        s.write_all(b"0,").unwrap();
    }
    std::thread::sleep(Duration::from_millis(500));
    let grew = vm().saturating_sub(before) / 1024;
    println!("100 bodies declared at 15 MB and never sent: virtual memory +{grew} MiB");
    assert!(grew < 200, "virtual memory grew {grew} MiB");
}

#[test]
fn a_parameter_model_is_linear_in_the_pairs() {
    let t = Target::start(&[]);
    let query = |n: usize| {
        (0..n)
            .map(|i| format!("k{i}=v"))
            .collect::<Vec<_>>()
            .join("&")
    };
    // Warm up, then time 500 and 5,000 pairs (the URI limit allows ~9,000).
    let _ = t.request("GET", &format!("/filter?{}", query(10)), b"");
    let time = |n: usize| {
        let q = query(n);
        let started = Instant::now();
        for _ in 0..5 {
            let (status, _) = t.request("GET", &format!("/filter?{q}"), b"");
            assert_eq!(status, 200);
        }
        started.elapsed()
    };
    let small = time(500);
    let large = time(5_000);
    let ratio = large.as_secs_f64() / small.as_secs_f64();
    println!("parameter model: 500 pairs {small:?}, 5,000 pairs {large:?} (x{ratio:.1} for x10)");
    // Linear: about 10; quadratic would be about 100.
    assert!(ratio < 40.0, "x{ratio:.1}");
}

#[test]
fn a_client_that_never_reads_its_answer_is_closed_at_the_send_timeout() {
    let t = Target::start(&[("HOSTILE_SEND_MS", "1000")]);
    let mut s = t.connect();
    // A 32 MiB answer; the client reads nothing of it.
    s.write_all(b"GET /big?kb=32768 HTTP/1.1\r\nhost: t\r\n\r\n")
        .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    // Once the socket buffers are full the write waits; one second later the
    // server lets go. Reading now finds the end of the stream well before
    // 32 MiB.
    std::thread::sleep(Duration::from_millis(2500));
    let started = Instant::now();
    let mut total = 0usize;
    let mut buf = vec![0u8; 1 << 16];
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => total += n,
        }
    }
    println!(
        "never-reading client: closed, {} KiB had been sent of 32 MiB",
        total / 1024
    );
    assert!(total < 32 << 20, "the whole answer was kept for the client");
    assert!(started.elapsed() < Duration::from_secs(5));
    let (status, _) = t.request("GET", "/slow?ms=1", b"");
    assert_eq!(status, 200);
}
