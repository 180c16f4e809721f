//! Serving an app on a socket the way a production server must: bounded time
//! for a client to send its headers, to stay idle between requests and to send
//! its body; a bounded number of open connections (never an accept loop
//! spinning on `EMFILE`); and a graceful stop on SIGTERM or SIGINT that answers
//! everything in flight, lets the background tasks and `yield` teardowns it
//! started finish, and only then runs the shut-down hooks.
//!
//! The defaults are those of a production proxy (nginx, uvicorn) and are set
//! with [`ServerConfig`]'s fields through `App::server_config`.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::response::Response;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::{Instant, Sleep};

/// How the server treats connections. Every field has a production default.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Time for a client to send a request's headers, counted from the first
    /// wait for them (default 30 s; nginx's `client_header_timeout` is 60 s).
    pub header_timeout: Duration,
    /// Time an HTTP/1 connection may stay idle with no request in progress
    /// before it is closed: before its first request and between keep-alive
    /// requests (default 5 s, uvicorn's `--timeout-keep-alive`).
    pub keep_alive_timeout: Duration,
    /// Time an HTTP/2 connection may stay open with no stream in progress
    /// before it is sent GOAWAY and closed (default 60 s; nginx's
    /// `keepalive_timeout`, which governs HTTP/2 connections, is 75 s). A
    /// gRPC channel with a call or stream open is never idle; an idle one
    /// reconnects on its next call. Its pings (every 20 s, answered within
    /// 20 s) find dead peers sooner.
    pub http2_idle_timeout: Duration,
    /// Streams one HTTP/2 connection may have open at once (default 128,
    /// nginx's `http2_max_concurrent_streams`); past it the client waits.
    pub http2_max_concurrent_streams: u32,
    /// The largest HTTP/2 header list a client may send, in bytes as HPACK
    /// counts them (default 32 KiB: nginx's 4 × 8 KiB header buffers); a
    /// larger one is refused (431).
    pub http2_max_header_list_size: u32,
    /// Longest wait for the next piece of a request body; a client that sends
    /// nothing for this long gets a 408 (default 30 s; nginx's
    /// `client_body_timeout` is 60 s between two reads).
    pub body_timeout: Duration,
    /// Longest a write to the client may wait on a client that does not
    /// read (a large answer, an event stream, a websocket, HTTP/2 frames)
    /// before the connection is closed (default 60 s, nginx's
    /// `send_timeout`).
    pub send_timeout: Duration,
    /// Open connections at most, websockets included; past it, new
    /// connections wait in the listen backlog until one closes, and idle
    /// connections (HTTP/1 keep-alive, HTTP/2 with no stream, a connection
    /// that has sent nothing yet) are closed to make room, as nginx reuses
    /// its keep-alive connections (default 10,000, and never more than the
    /// open-files limit allows, which is raised to its hard maximum at start
    /// as Go and nginx do).
    pub max_connections: usize,
    /// After SIGTERM/SIGINT, how long requests in flight may take to finish
    /// before the server stops anyway (default 25 s, inside Kubernetes's
    /// 30 s grace period).
    pub shutdown_timeout: Duration,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            header_timeout: Duration::from_secs(30),
            keep_alive_timeout: Duration::from_secs(5),
            http2_idle_timeout: Duration::from_secs(60),
            http2_max_concurrent_streams: 128,
            http2_max_header_list_size: 32 * 1024,
            body_timeout: Duration::from_secs(30),
            send_timeout: Duration::from_secs(60),
            max_connections: 10_000,
            shutdown_timeout: Duration::from_secs(25),
        }
    }
}

/// How often an HTTP/2 connection is pinged, and how long its answer may take
/// before the connection is closed as dead.
const HTTP2_PING_INTERVAL: Duration = Duration::from_secs(20);
const HTTP2_PING_TIMEOUT: Duration = Duration::from_secs(20);
/// What one HTTP/2 stream may have queued for a client that does not read
/// (hyper's default is 400 KiB): with the stream limit, a bound per
/// connection.
const HTTP2_MAX_SEND_BUF: usize = 64 * 1024;

/// File descriptors kept free of connections (listener, logs, database pool,
/// spooled uploads).
const RESERVED_FDS: u64 = 64;

/// The connection limit in force: the configured one, within the open-files
/// limit (raised to its hard maximum first).
fn effective_max_connections(configured: usize) -> usize {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(soft) => {
            let room = soft.saturating_sub(RESERVED_FDS).max(1);
            configured.min(usize::try_from(room).unwrap_or(usize::MAX))
        }
        Err(_) => configured,
    }
}

/// Completes on SIGTERM or SIGINT (Ctrl-C).
pub async fn termination() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = tokio::signal::ctrl_c() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// Serves `app` (the app's dispatcher or router; always ready) on `listener`
/// until `shutdown` completes, then drains.
/// While alive, a server serves (see `ferroapi::logs`).
#[cfg(feature = "logging")]
struct ServingLogs;

#[cfg(feature = "logging")]
impl ServingLogs {
    fn start() -> Self {
        crate::logs::serving(true);
        ServingLogs
    }
}

#[cfg(feature = "logging")]
impl Drop for ServingLogs {
    fn drop(&mut self) {
        crate::logs::serving(false);
    }
}

pub(crate) async fn run<T>(
    listener: tokio::net::TcpListener,
    app: T,
    config: &ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()>
where
    T: tower::Service<
            axum::extract::Request,
            Response = Response,
            Error = std::convert::Infallible,
        > + Clone
        + Send
        + Sync
        + 'static,
    T::Future: Send + 'static,
{
    // Lines are batched while this serves, and all written when it stops.
    #[cfg(feature = "logging")]
    let _logs = ServingLogs::start();
    let limit = effective_max_connections(config.max_connections);
    let permits = Arc::new(tokio::sync::Semaphore::new(limit));
    // Every connection task holds a receiver; `true` asks it to finish its
    // request in flight and close. The sender's `closed()` is the drain.
    let (drain, _) = tokio::sync::watch::channel(false);
    // Sent when every slot is taken: idle connections close to make room.
    let (shed, _) = tokio::sync::watch::channel(0u64);
    let builders = Arc::new(Builders::new(config));
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    if !is_connection_error(&e) {
                        // Out of file descriptors or memory: wait a little for
                        // connections to close instead of spinning.
                        tracing::warn!("accept error: {e}");
                        tokio::select! {
                            () = tokio::time::sleep(Duration::from_millis(50)) => {}
                            () = &mut shutdown => break,
                        }
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // A slot for the connection just accepted. When every slot is
        // taken, idle connections are asked to make room: asked only now
        // that a connection is waiting (asking ahead of the next accept
        // would close the last one accepted while its first request is
        // still on the way).
        let permit = match permits.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                shed.send_modify(|n| *n += 1);
                tokio::select! {
                    p = permits.clone().acquire_owned() => match p {
                        Ok(p) => p,
                        Err(_) => break,
                    },
                    () = &mut shutdown => break,
                }
            }
        };
        let _ = stream.set_nodelay(true);
        let conn_state = Arc::new(ConnState::default());
        let io_state = conn_state.clone();
        let app = app.clone();
        let body_timeout = config.body_timeout;
        let peer = crate::extract::client_wanted().then(|| {
            let local = stream.local_addr().ok().map(crate::extract::Server::Addr);
            crate::extract::Peer(peer, local)
        });
        let service =
            hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                let guard = RequestGuard::start(conn_state.clone());
                // A websocket's receive loop watches the bytes arriving.
                if req.headers().contains_key(http::header::UPGRADE) {
                    req.extensions_mut().insert(conn_state.inbound.clone());
                }
                if let Some(peer) = peer {
                    req.extensions_mut().insert(peer);
                }
                // A request without a body (most GETs) needs no body timeout,
                // nor a boxed body.
                let req = req.map(|b| {
                    if http_body::Body::is_end_stream(&b) {
                        axum::body::Body::empty()
                    } else {
                        axum::body::Body::new(crate::request_body::StallTimeout::new(
                            b,
                            body_timeout,
                        ))
                    }
                });
                // Both services are always ready: no `poll_ready` first.
                let call = app.clone().call(req);
                async move {
                    let response: Response = match call.await {
                        Ok(r) => r,
                        Err(never) => match never {},
                    };
                    if response.status() == http::StatusCode::SWITCHING_PROTOCOLS {
                        guard.state.upgraded.store(true, Ordering::Relaxed);
                    }
                    // Served as it is: hyper takes any body type, no box needed.
                    Ok::<_, std::convert::Infallible>(response.map(|b| GuardedBody {
                        inner: b,
                        _guard: guard,
                    }))
                }
            });
        let builders = builders.clone();
        let config = config.clone();
        let drained = drain.subscribe();
        let mut shed = shed.subscribe();
        shed.mark_unchanged();
        tokio::spawn(async move {
            let protocol = tokio::select! {
                p = sniff(&stream, config.keep_alive_timeout) => p,
                // Nothing sent yet: the first to make room.
                _ = shed.changed() => None,
            };
            let Some(protocol) = protocol else {
                return;
            };
            // The slot is held as long as the socket: an upgraded connection
            // (a websocket) keeps it after hyper lets go.
            let mut io = IdleIo::new(stream, &config, io_state.clone(), permit);
            let idle = Idle {
                state: io_state,
                shed,
                http2_timeout: config.http2_idle_timeout,
            };
            match protocol {
                Protocol::Http1 => {
                    io.http2 = Some(false);
                    let conn = builders
                        .http1
                        .serve_connection(TokioIo::new(io), service)
                        .with_upgrades();
                    let served = serve_connection(conn, drained, idle, false);
                    crate::served::unread_while_handled(served).await;
                }
                Protocol::Http2 => {
                    io.http2 = Some(true);
                    let conn = builders.http2.serve_connection(TokioIo::new(io), service);
                    serve_connection(conn, drained, idle, true).await;
                }
                Protocol::Unknown => {
                    let conn = builders
                        .auto
                        .serve_connection_with_upgrades(TokioIo::new(io), service)
                        .into_owned();
                    let served = serve_connection(conn, drained, idle, true);
                    crate::served::unread_while_handled(served).await;
                }
            }
        });
    }
    drop(listener);
    let open = drain.receiver_count();
    if open > 0 {
        tracing::info!("shutting down: waiting for {open} connection(s)");
    }
    // Requests first, then the background tasks and teardowns they started.
    let finish = async {
        let _ = drain.send(true);
        drain.closed().await;
        let after = crate::after::pending();
        after.close();
        after.wait().await;
        after.reopen();
    };
    if tokio::time::timeout(config.shutdown_timeout, finish)
        .await
        .is_err()
    {
        tracing::warn!(
            "shutdown deadline ({:?}) passed with requests still in flight",
            config.shutdown_timeout
        );
    }
    Ok(())
}

/// The connection builders, configured once.
struct Builders {
    http1: hyper::server::conn::http1::Builder,
    http2: hyper::server::conn::http2::Builder<TokioExecutor>,
    /// For a connection whose first bytes did not yet tell (a trickled
    /// `P...`): hyper-util's, which reads on until they do.
    auto: auto::Builder<TokioExecutor>,
}

impl Builders {
    fn new(config: &ServerConfig) -> Self {
        let mut http1 = hyper::server::conn::http1::Builder::new();
        // The header timeout is kept by `IdleIo` (one timer per connection,
        // re-armed lazily) rather than by hyper (a timer armed, polled and
        // dropped per request).
        // One buffer, one `write` per response instead of a `writev` of the
        // head and the body.
        //
        // A connection is not read while its request is being handled
        // (`half_close`): a handler runs to its end when its client goes
        // away, as under uvicorn, and its answer is written or fails. hyper
        // would otherwise read ahead to catch that end and drop the handler
        // at its next await; the read ahead also made every request allocate
        // a new 8 KiB read buffer (the request's head still holds the old
        // one) and promote it to a shared one (callgrind, plaintext: 10,327
        // -> 9,838 instructions a request, 4 -> 2 allocations).
        http1
            .header_read_timeout(None)
            .writev(false)
            .half_close(true);
        // HTTP/2 connections are not cut when idle (see `IdleIo`): pings find
        // the dead ones.
        let mut http2 = hyper::server::conn::http2::Builder::new(TokioExecutor::new());
        http2
            .timer(TokioTimer::new())
            .keep_alive_interval(Some(HTTP2_PING_INTERVAL))
            .keep_alive_timeout(HTTP2_PING_TIMEOUT)
            .max_concurrent_streams(config.http2_max_concurrent_streams)
            .max_header_list_size(config.http2_max_header_list_size)
            .max_send_buf_size(HTTP2_MAX_SEND_BUF);
        // The same settings again: hyper-util's builder wraps its own.
        let mut auto = auto::Builder::new(TokioExecutor::new());
        auto.http1()
            .header_read_timeout(None)
            .writev(false)
            .half_close(true);
        auto.http2()
            .timer(TokioTimer::new())
            .keep_alive_interval(Some(HTTP2_PING_INTERVAL))
            .keep_alive_timeout(HTTP2_PING_TIMEOUT)
            .max_concurrent_streams(config.http2_max_concurrent_streams)
            .max_header_list_size(config.http2_max_header_list_size)
            .max_send_buf_size(HTTP2_MAX_SEND_BUF);
        Builders { http1, http2, auto }
    }
}

/// What a connection's first bytes say it speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Protocol {
    Http1,
    /// HTTP/2 with prior knowledge (h2c, gRPC clients).
    Http2,
    /// The bytes so far begin HTTP/2's preface but do not complete it.
    Unknown,
}

/// Which protocol a connection speaks, from the bytes already received
/// (peeked, not consumed), so that HTTP/1 connections are served by hyper's
/// HTTP/1 connection directly, without a layer that tells versions apart on
/// every read. `None`: the client sent nothing within the keep-alive timeout,
/// or closed.
async fn sniff(stream: &TcpStream, wait: Duration) -> Option<Protocol> {
    let mut first = [0u8; H2_PREFACE.len()];
    let n = match tokio::time::timeout(wait, stream.peek(&mut first)).await {
        Ok(Ok(n)) if n > 0 => n,
        _ => return None,
    };
    Some(protocol_of(&first[..n]))
}

/// The protocol the first `n` bytes of a connection tell.
fn protocol_of(first: &[u8]) -> Protocol {
    let n = first.len().min(H2_PREFACE.len());
    if first[..n] != H2_PREFACE[..n] {
        Protocol::Http1
    } else if n == H2_PREFACE.len() {
        Protocol::Http2
    } else {
        Protocol::Unknown
    }
}

/// A connection that can be asked to finish its requests in flight and close.
trait Drainable: Future {
    fn drain(self: Pin<&mut Self>);
}

impl<I, S, B> Drainable for hyper::server::conn::http1::UpgradeableConnection<I, S>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    S: hyper::service::HttpService<hyper::body::Incoming, ResBody = B>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    B: http_body::Body + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    fn drain(self: Pin<&mut Self>) {
        self.graceful_shutdown();
    }
}

impl<I, S, B> Drainable for hyper::server::conn::http2::Connection<I, S, TokioExecutor>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    S: hyper::service::HttpService<hyper::body::Incoming, ResBody = B>,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    TokioExecutor: hyper::rt::bounds::Http2ServerConnExec<S::Future, B>,
{
    fn drain(self: Pin<&mut Self>) {
        self.graceful_shutdown();
    }
}

impl<I, S, B> Drainable for auto::UpgradeableConnection<'static, I, S, TokioExecutor>
where
    I: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
    S: hyper::service::Service<http::Request<hyper::body::Incoming>, Response = http::Response<B>>,
    S::Future: 'static,
    S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
    TokioExecutor: hyper::rt::bounds::Http2ServerConnExec<S::Future, B>,
{
    fn drain(self: Pin<&mut Self>) {
        self.graceful_shutdown();
    }
}

/// When a connection counts as idle, and who asks idle ones to go.
struct Idle {
    state: Arc<ConnState>,
    /// Changes when every connection slot is taken.
    shed: tokio::sync::watch::Receiver<u64>,
    http2_timeout: Duration,
}

impl Idle {
    fn idle(&self) -> bool {
        self.state.in_flight.load(Ordering::Acquire) == 0
            && !self.state.upgraded.load(Ordering::Relaxed)
    }

    /// Completes when the connection should close because it is idle: an
    /// HTTP/2 connection with no stream for its idle timeout, or any idle
    /// connection while the slots are all taken. (HTTP/1's idle timeout is
    /// kept by `IdleIo`.)
    async fn expired(&mut self, http2: bool) {
        let mut next = tokio::time::Instant::now() + self.http2_timeout;
        loop {
            let timer = async {
                if http2 {
                    tokio::time::sleep_until(next).await;
                } else {
                    std::future::pending::<()>().await;
                }
            };
            tokio::select! {
                () = timer => {
                    // Idle: due when the timeout has run since the last
                    // stream ended; busy: look again a timeout from now.
                    next = if self.idle() {
                        self.state.idle_since() + self.http2_timeout
                    } else {
                        Instant::now() + self.http2_timeout
                    };
                    if next <= Instant::now() {
                        return;
                    }
                }
                changed = self.shed.changed() => {
                    if changed.is_err() {
                        std::future::pending::<()>().await;
                    }
                    if self.idle() {
                        return;
                    }
                }
            }
        }
    }
}

/// A future polled only when its own waker fired (and the first time).
/// A connection's task is woken for every request it reads and answers;
/// the watches of the server's stop and of the idle timeout beside it need a
/// look only when one of them moved (polled on every wake they cost about
/// 380 instructions a request).
struct OnWake<F> {
    fut: Pin<Box<F>>,
    flag: Arc<WakeFlag>,
    waker: std::task::Waker,
}

/// Set by the inner future's waker; the task to wake with it.
struct WakeFlag {
    woken: AtomicBool,
    task: futures_util::task::AtomicWaker,
}

impl std::task::Wake for WakeFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.task.wake();
    }
}

impl<F: Future> OnWake<F> {
    fn new(fut: F) -> Self {
        let flag = Arc::new(WakeFlag {
            woken: AtomicBool::new(true),
            task: futures_util::task::AtomicWaker::new(),
        });
        OnWake {
            fut: Box::pin(fut),
            waker: std::task::Waker::from(flag.clone()),
            flag,
        }
    }
}

impl<F: Future> Future for OnWake<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        // Registered before the flag is read: a wake in between is not lost.
        this.flag.task.register(cx.waker());
        if !this.flag.woken.swap(false, Ordering::AcqRel) {
            return Poll::Pending;
        }
        let mut inner = Context::from_waker(&this.waker);
        this.fut.as_mut().poll(&mut inner)
    }
}

/// Serves one connection to its end; once the server stops, or the
/// connection has been idle too long (or is idle while every slot is taken),
/// lets it finish what is in flight and close.
async fn serve_connection<C: Drainable>(
    conn: C,
    mut stop: tokio::sync::watch::Receiver<bool>,
    mut idle: Idle,
    http2: bool,
) {
    tokio::pin!(conn);
    {
        // Looked at only when they move, not on every wake of the connection.
        let watches = OnWake::new(async {
            tokio::select! {
                // The sender never goes before the connections it waits for.
                _ = stop.wait_for(|stopping| *stopping) => {}
                () = idle.expired(http2) => {}
            }
        });
        tokio::select! {
            biased;
            _ = conn.as_mut() => return,
            () = watches => {}
        }
    }
    conn.as_mut().drain();
    // A client that never reads its GOAWAY or its last answer is not waited
    // for past the drain's own deadline (the server's stop), nor forever.
    let _ = tokio::time::timeout(idle.http2_timeout.max(Duration::from_secs(5)), conn).await;
}

/// Errors of one connection that the listener survives untouched.
fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// What a connection's requests tell its reader.
#[derive(Debug)]
struct ConnState {
    /// Requests whose response body is not yet fully sent.
    in_flight: AtomicUsize,
    /// A protocol upgrade (websocket) took the connection: no idle timeout.
    upgraded: AtomicBool,
    /// When the connection opened.
    opened: Instant,
    /// When the last request finished, in microseconds after `opened` (an
    /// atomic: no lock per request).
    idle_since: AtomicU64,
    /// Bytes received after an upgrade (what a websocket's receive loop
    /// watches).
    inbound: crate::websocket::Inbound,
}

impl Default for ConnState {
    fn default() -> Self {
        ConnState {
            in_flight: AtomicUsize::new(0),
            upgraded: AtomicBool::new(false),
            opened: Instant::now(),
            idle_since: AtomicU64::new(0),
            inbound: crate::websocket::Inbound::default(),
        }
    }
}

impl ConnState {
    fn idle_since(&self) -> Instant {
        self.opened + Duration::from_micros(self.idle_since.load(Ordering::Acquire))
    }
}

/// Counts a request as in flight until its response body is dropped.
#[derive(Debug)]
struct RequestGuard {
    state: Arc<ConnState>,
}

impl RequestGuard {
    fn start(state: Arc<ConnState>) -> Self {
        state.in_flight.fetch_add(1, Ordering::AcqRel);
        RequestGuard { state }
    }
}

impl Drop for RequestGuard {
    fn drop(&mut self) {
        if self.state.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            let micros = self.state.opened.elapsed().as_micros();
            self.state
                .idle_since
                .store(u64::try_from(micros).unwrap_or(u64::MAX), Ordering::Release);
        }
    }
}

/// A response body that keeps its request counted until it is dropped.
struct GuardedBody {
    inner: axum::body::Body,
    _guard: RequestGuard,
}

impl http_body::Body for GuardedBody {
    type Data = bytes::Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        Pin::new(&mut self.inner).poll_frame(cx)
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
    }
}

/// A TCP stream whose reads fail with `TimedOut` when no request is in
/// flight and either the connection has been idle (nothing received) for the
/// keep-alive timeout, or a request's head has been arriving for longer than
/// the header timeout, however steady the trickle. HTTP/2 connections (gRPC
/// channels) are left to HTTP/2's own keep-alive pings: a client keeps such a
/// channel open between calls, and closing it under the client would race its
/// next call.
struct IdleIo {
    inner: TcpStream,
    keep_alive: Duration,
    header_timeout: Duration,
    state: Arc<ConnState>,
    last_read: Instant,
    /// When the first bytes of the request head now arriving came (stale once
    /// a request has finished after it: see `head_deadline`).
    head_started: Option<Instant>,
    sleep: Pin<Box<Sleep>>,
    /// `None` until the first bytes tell HTTP/1 from HTTP/2.
    http2: Option<bool>,
    /// The connection's slot, given back when the socket closes.
    _permit: tokio::sync::OwnedSemaphorePermit,
    /// The HTTP/1 head now arriving is being checked for bare line feeds:
    /// the last three bytes seen of it (to find a CR before an LF, and the
    /// blank line that ends the head, across reads).
    head_tail: Option<[u8; 3]>,
    /// The last write did not take everything it was given: hyper still has
    /// an answer to send.
    write_blocked: bool,
    send_timeout: Duration,
    /// Armed while a write waits on the client (allocated only then).
    write_stall: Option<Pin<Box<Sleep>>>,
}

/// Checks the bytes just read of an HTTP/1 request head for a line feed
/// not preceded by a carriage return (a bare LF: hyper's parser accepts
/// it, uvicorn's refuses it, and proxies read it differently, a
/// smuggling risk). Only the head is looked at: scanning stops at the
/// blank line that ends it, so a body is never read. True when one is
/// found. `head_tail` holds the last three bytes of the head so far
/// (`None`: no head being checked).
fn bare_lf_in_head(head_tail: &mut Option<[u8; 3]>, got: &[u8]) -> bool {
    let Some(mut tail) = *head_tail else {
        return false;
    };
    let mut from = 0;
    while let Some(at) = memchr::memchr(b'\n', &got[from..]).map(|i| from + i) {
        let before = |back: usize| {
            if at >= back {
                got[at - back]
            } else {
                tail[3 + at - back]
            }
        };
        if before(1) != b'\r' {
            *head_tail = None;
            return true;
        }
        // CR LF CR LF: the head is over; the rest is a body.
        if before(2) == b'\n' && before(3) == b'\r' {
            *head_tail = None;
            return false;
        }
        from = at + 1;
    }
    // Keep the last three bytes for the next read.
    let n = got.len();
    for b in &got[n.saturating_sub(3)..] {
        tail.rotate_left(1);
        tail[2] = *b;
    }
    *head_tail = Some(tail);
    false
}

/// uvicorn's answer to a request it cannot parse.
const BARE_LF_ANSWER: &[u8] =
    b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\n\
content-length: 30\r\nconnection: close\r\n\r\nInvalid HTTP request received.";

/// How an HTTP/2 connection (prior knowledge, as h2c and gRPC clients
/// speak) opens.
const H2_PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

impl IdleIo {
    fn new(
        inner: TcpStream,
        config: &ServerConfig,
        state: Arc<ConnState>,
        permit: tokio::sync::OwnedSemaphorePermit,
    ) -> Self {
        let now = Instant::now();
        IdleIo {
            inner,
            keep_alive: config.keep_alive_timeout,
            header_timeout: config.header_timeout,
            state,
            last_read: now,
            head_started: None,
            sleep: Box::pin(tokio::time::sleep_until(
                now + config.keep_alive_timeout.min(config.header_timeout),
            )),
            http2: None,
            _permit: permit,
            head_tail: None,
            write_blocked: false,
            send_timeout: config.send_timeout,
            write_stall: None,
        }
    }

    /// The header deadline of the head now arriving, if one is: its first
    /// bytes came after the last request finished.
    fn head_deadline(&self, idle_since: Instant) -> Option<Instant> {
        self.head_started
            .filter(|started| *started >= idle_since)
            .map(|started| started + self.header_timeout)
    }

    /// Bytes arrived: a head starts when none is arriving and no request is
    /// in flight (bytes read during a request are the next one's, pipelined:
    /// their head is timed from the next read).
    fn received(&mut self, now: Instant) {
        self.last_read = now;
        if self.state.in_flight.load(Ordering::Acquire) == 0
            && self.head_deadline(self.state.idle_since()).is_none()
        {
            self.head_started = Some(now);
            // The timer may only fire early: bring it forward when the header
            // timeout is the shorter (never, with the defaults).
            let deadline = now + self.header_timeout;
            if deadline < self.sleep.deadline() {
                self.sleep.as_mut().reset(deadline);
            }
        }
    }
}

impl AsyncRead for IdleIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                let got = &buf.filled()[before..];
                if !got.is_empty() {
                    let upgraded = this.state.upgraded.load(Ordering::Relaxed);
                    if upgraded {
                        this.state.inbound.add(got.len());
                    }
                    if this.http2.is_none() {
                        let n = got.len().min(H2_PREFACE.len());
                        this.http2 = Some(got[..n] == H2_PREFACE[..n]);
                    }
                    // A head starts when bytes come with no request in
                    // flight (hyper reads a head whole before it calls the
                    // service).
                    if this.http2 == Some(false)
                        && !upgraded
                        && this.head_tail.is_none()
                        && this.state.in_flight.load(Ordering::Acquire) == 0
                    {
                        this.head_tail = Some([0; 3]);
                    }
                    if this.head_tail.is_some() && bare_lf_in_head(&mut this.head_tail, got) {
                        // uvicorn's answer, written here (hyper would
                        // take the head); unless an answer of hyper's is
                        // still being written, then only the close.
                        if !this.write_blocked {
                            let _ = this.inner.try_write(BARE_LF_ANSWER);
                        }
                        return Poll::Ready(Err(io::Error::new(
                            io::ErrorKind::InvalidData,
                            "a bare LF in a request head",
                        )));
                    }
                    this.received(Instant::now());
                }
                Poll::Ready(r)
            }
            Poll::Pending => {
                if this.state.upgraded.load(Ordering::Relaxed) || this.http2 == Some(true) {
                    return Poll::Pending;
                }
                // The timer is armed at a deadline that can only be early
                // (activity only moves the true one later): when it fires, the
                // true deadline is computed and the timer re-armed if it is not
                // yet reached. One timer reset per timeout period, not one per
                // request.
                loop {
                    match this.sleep.as_mut().poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        // A request in flight is not idle; the timer stays
                        // armed so that the reader is polled again once it is.
                        Poll::Ready(()) if this.state.in_flight.load(Ordering::Acquire) > 0 => {
                            let next = Instant::now() + this.keep_alive.min(this.header_timeout);
                            this.sleep.as_mut().reset(next);
                        }
                        Poll::Ready(()) => {
                            let idle_since = this.state.idle_since();
                            let idle = this.last_read.max(idle_since) + this.keep_alive;
                            let deadline = match this.head_deadline(idle_since) {
                                Some(head) => idle.min(head),
                                None => idle,
                            };
                            if Instant::now() >= deadline {
                                return Poll::Ready(Err(io::Error::new(
                                    io::ErrorKind::TimedOut,
                                    "connection idle, or a request head slow, past its timeout",
                                )));
                            }
                            this.sleep.as_mut().reset(deadline);
                        }
                    }
                }
            }
        }
    }
}

impl IdleIo {
    /// Notes how a write of `len` bytes went; a write that waits on the
    /// client is given `send_timeout`, then fails.
    fn stall(
        &mut self,
        cx: &mut Context<'_>,
        r: Poll<io::Result<usize>>,
        len: usize,
    ) -> Poll<io::Result<usize>> {
        self.write_blocked = !matches!(r, Poll::Ready(Ok(n)) if n == len);
        if r.is_ready() {
            self.write_stall = None;
            return r;
        }
        let timeout = self.send_timeout;
        let timer = self
            .write_stall
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client read nothing for the send timeout",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for IdleIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.stall(cx, r, buf.len())
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let total: usize = bufs.iter().map(|b| b.len()).sum();
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.stall(cx, r, total)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the scan must find, read whole: an LF without a CR before it,
    /// before the blank line that ends the head.
    fn bare_lf_whole(bytes: &[u8]) -> bool {
        let end = bytes
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .map_or(bytes.len(), |i| i + 4);
        (0..end).any(|i| bytes[i] == b'\n' && (i == 0 || bytes[i - 1] != b'\r'))
    }

    proptest! {
        /// However a head is cut into reads, the scan finds what a scan of
        /// the whole finds, never looks past the head, and never panics.
        #[test]
        fn a_head_cut_anywhere_is_judged_as_a_whole(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'a'), Just(b':')], 0..64),
            cuts in proptest::collection::vec(0usize..64, 0..8),
        ) {
            let mut cuts: Vec<usize> = cuts.into_iter().filter(|c| *c < bytes.len()).collect();
            cuts.sort_unstable();
            cuts.dedup();
            let mut tail = Some([0u8; 3]);
            let mut found = false;
            let mut from = 0;
            for at in cuts.into_iter().chain([bytes.len()]) {
                if tail.is_some() && bare_lf_in_head(&mut tail, &bytes[from..at]) {
                    found = true;
                    break;
                }
                from = at;
            }
            prop_assert_eq!(found, bare_lf_whole(&bytes));
        }
    }

    #[test]
    fn first_bytes_tell_the_protocol() {
        assert_eq!(protocol_of(b"GET / HTTP/1.1\r\n"), Protocol::Http1);
        // Methods that begin as the preface does part at the second byte.
        for method in ["POST", "PUT", "PATCH"] {
            assert_eq!(protocol_of(method.as_bytes()), Protocol::Http1, "{method}");
        }
        assert_eq!(protocol_of(b"P"), Protocol::Unknown);
        assert_eq!(protocol_of(b"PRI * HTTP/2.0\r\n"), Protocol::Unknown);
        assert_eq!(protocol_of(H2_PREFACE), Protocol::Http2);
        let mut more = H2_PREFACE.to_vec();
        more.extend_from_slice(b"\x00\x00\x12\x04");
        assert_eq!(protocol_of(&more), Protocol::Http2);
    }
}
