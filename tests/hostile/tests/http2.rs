//! HTTP/2 (h2c, as gRPC clients speak it) against `hostile-target` with a
//! real HTTP/2 client: the limits the server promises in its SETTINGS hold,
//! a header list past them is refused, and a stream in progress is never
//! idle however short the idle timeout.

mod common;

use std::time::{Duration, Instant};

use common::Target;

type Client = h2::client::SendRequest<bytes::Bytes>;

/// Connects with prior knowledge; the connection is driven by a task.
async fn connect(t: &Target) -> (Client, tokio::task::JoinHandle<()>, usize) {
    let tcp = tokio::net::TcpStream::connect(t.addr).await.unwrap();
    let (client, mut conn) = h2::client::handshake(tcp).await.unwrap();
    // The server's SETTINGS arrive with its first frames: drive the
    // connection through one request before reading them.
    let client = tokio::select! {
        c = client.clone().ready() => c.unwrap(),
        r = &mut conn => panic!("connection ended: {r:?}"),
    };
    let mut probe = client.clone();
    let (res, _) = probe.send_request(get("/slow?ms=1"), true).unwrap();
    tokio::select! {
        r = res => assert_eq!(r.unwrap().status(), 200),
        r = &mut conn => panic!("connection ended: {r:?}"),
    }
    let streams = conn.max_concurrent_send_streams();
    let task = tokio::spawn(async move {
        let _ = conn.await;
    });
    (client, task, streams)
}

fn get(path: &str) -> http::Request<()> {
    http::Request::builder()
        .uri(format!("http://t{path}"))
        .body(())
        .unwrap()
}

#[tokio::test]
async fn the_promised_limits_hold() {
    let t = Target::start(&[]);
    let (mut client, _task, streams) = connect(&t).await;
    println!("h2c: the server allows {streams} concurrent streams");
    assert_eq!(streams, 128);
    // A header list past 32 KiB is refused (431, or the stream reset).
    let mut big = get("/slow?ms=1");
    big.headers_mut()
        .insert("x-big", "a".repeat(40 * 1024).parse().unwrap());
    let refused = match client.send_request(big, true) {
        Err(_) => true,
        Ok((res, _)) => match tokio::time::timeout(Duration::from_secs(5), res).await {
            Ok(Ok(r)) => r.status() == 431,
            Ok(Err(_)) => true,
            Err(_) => panic!("no answer to a 40 KiB header list"),
        },
    };
    assert!(refused, "a 40 KiB header list was served");
    // Within it, served.
    let mut ok = get("/slow?ms=1");
    ok.headers_mut()
        .insert("x-fine", "a".repeat(8 * 1024).parse().unwrap());
    client = client.ready().await.unwrap();
    let (res, _) = client.send_request(ok, true).unwrap();
    assert_eq!(res.await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_stream_in_progress_is_not_idle() {
    let t = Target::start(&[("HOSTILE_H2_IDLE_MS", "500")]);
    let (client, _task, _) = connect(&t).await;
    // A call four times the idle timeout long (a gRPC stream, say) is
    // answered; the connection is not idle while it runs.
    let started = Instant::now();
    let mut client = client.ready().await.unwrap();
    let (res, _) = client.send_request(get("/slow?ms=2000"), true).unwrap();
    let res = tokio::time::timeout(Duration::from_secs(10), res)
        .await
        .expect("an answer")
        .expect("not cut");
    assert_eq!(res.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(2000));
    // Idle afterwards: sent GOAWAY within about the idle timeout.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let after = client.ready().await;
    assert!(
        after.is_err()
            || after
                .unwrap()
                .send_request(get("/slow?ms=1"), true)
                .is_err(),
        "the idle connection still takes new streams"
    );
}
