//! WebSockets, FastAPI's `@app.websocket`: `#[websocket("/ws/{room}")]` on an
//! async fn taking a [`WebSocket`] and any other parameters (path, query,
//! headers, cookies, dependencies) — extracted and validated as a route's,
//! before the connection is accepted.
//!
//! - Invalid parameters: the connection is accepted and closed at once with
//!   1008 (policy violation) and the error list as JSON in the close reason
//!   (cut to the 123 bytes a close frame can carry). A dependency that raises
//!   [`WebSocketException`] closes with its code and reason; any other error
//!   it raises closes with 1008.
//! - The handshake completes when the handler first receives or sends, or
//!   calls [`WebSocket::accept`]. Before that, [`WebSocket::close`] /
//!   [`WebSocket::deny`], or returning `Err(WebSocketException)`, refuses
//!   the connection with HTTP 403: uvicorn's answer to a close before accept.
//! - A plain HTTP request to a websocket path gets FastAPI's 404.
//! - The handler returns `()` or `Result<(), E>` with `E` a
//!   [`WebSocketException`] (close with its code) or a [`WebSocketError`]
//!   (a disconnect ends quietly; anything else closes with 1011, or 1003 /
//!   1007 for an unexpected or invalid message). When the handler returns
//!   without closing, the connection is closed with 1000, as Starlette does.
//! - The route is left out of the OpenAPI document, as in FastAPI.
//!
//! Dependency teardowns and background tasks run once the connection ends.
//!
//! Every connection is bounded ([`WebSocketConfig`], set for the app with
//! `App::websocket_config` and for one route with
//! `#[websocket("/path", config = CONFIG)]`): uvicorn's defaults, 16 MiB
//! messages and a ping every 20 s answered within 20 s; a peer that does not
//! read what it is sent, that leaves a message unfinished, or that stops
//! answering pings is closed instead of costing memory or a task forever.

pub(crate) mod config;
pub use config::WebSocketConfig;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{self, CloseFrame, Message};
use axum::extract::FromRequestParts;
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::oneshot;
use tokio::time::Instant;

use crate::after::{After, Exit};
use crate::extract::{Extract, Finish, Outcome, ParamSpec, RequestCtx, RequestData};

/// Close codes (RFC 6455 §7.4.1), named as Starlette's `status.WS_*`.
pub mod close_code {
    /// 1000: normal closure.
    pub const NORMAL_CLOSURE: u16 = 1000;
    /// 1001: going away.
    pub const GOING_AWAY: u16 = 1001;
    /// 1003: unsupported data.
    pub const UNSUPPORTED_DATA: u16 = 1003;
    /// 1007: invalid frame payload data.
    pub const INVALID_FRAME_PAYLOAD_DATA: u16 = 1007;
    /// 1008: policy violation.
    pub const POLICY_VIOLATION: u16 = 1008;
    /// 1009: message too big.
    pub const MESSAGE_TOO_BIG: u16 = 1009;
    /// 1011: internal error.
    pub const INTERNAL_ERROR: u16 = 1011;
}

/// The bytes received on an upgraded connection, counted by the server's
/// reader (`App::serve`): how the receive loop tells a message that is
/// arriving (or left unfinished) from a quiet peer.
#[derive(Debug, Clone, Default)]
pub(crate) struct Inbound(pub(crate) Arc<AtomicU64>);

impl Inbound {
    pub(crate) fn add(&self, n: usize) {
        self.0.fetch_add(n as u64, Ordering::Relaxed);
    }

    fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// The keep-alive and timing state of one connection's receive loop; kept
/// in the [`WebSocket`], so that a receive dropped by a `select!` loses
/// nothing.
#[derive(Debug)]
struct Keeper {
    config: WebSocketConfig,
    inbound: Option<Inbound>,
    /// Bytes received when the last whole frame was handed over.
    seen: u64,
    /// When bytes of a frame not yet whole were first noticed.
    partial_since: Option<Instant>,
    /// When the next ping is due.
    next_ping: Option<Instant>,
    /// When the ping in flight was sent.
    ping_sent: Option<Instant>,
}

impl Keeper {
    fn new(config: WebSocketConfig, inbound: Option<Inbound>) -> Self {
        Keeper {
            config,
            inbound,
            seen: 0,
            partial_since: None,
            next_ping: None,
            ping_sent: None,
        }
    }

    /// The loop starts (once, at the first receive after the handshake).
    fn start(&mut self, now: Instant) {
        if self.next_ping.is_none() {
            self.next_ping = self.config.ping_interval.map(|i| now + i);
        }
    }

    /// A whole frame (message, ping, pong, close) arrived.
    fn frame(&mut self, pong: bool) {
        if let Some(i) = &self.inbound {
            self.seen = i.get();
        }
        self.partial_since = None;
        if pong {
            self.ping_sent = None;
        }
    }

    /// The next moment something must be checked.
    fn deadline(&self) -> Option<Instant> {
        let pong = self
            .ping_sent
            .zip(self.config.ping_timeout)
            .map(|(s, t)| s + t);
        let partial = self.partial_since.map(|s| s + self.config.message_timeout);
        // While bytes may be arriving unseen, look again every second.
        let watch = self
            .inbound
            .as_ref()
            .filter(|_| self.partial_since.is_none())
            .map(|_| Instant::now() + Duration::from_secs(1));
        [
            self.next_ping.filter(|_| self.ping_sent.is_none()),
            pong,
            partial,
            watch,
        ]
        .into_iter()
        .flatten()
        .min()
    }
}

/// What the receive loop found when its timer fired.
enum Tick {
    Nothing,
    Ping,
    /// Close with this code and reason.
    Close(u16, &'static str),
}

impl Keeper {
    fn tick(&mut self, now: Instant) -> Tick {
        if let Some(i) = &self.inbound {
            if i.get() > self.seen {
                let since = *self.partial_since.get_or_insert(now);
                if now >= since + self.config.message_timeout {
                    return Tick::Close(close_code::POLICY_VIOLATION, "message timeout");
                }
            }
        }
        if let (Some(sent), Some(timeout)) = (self.ping_sent, self.config.ping_timeout) {
            if now >= sent + timeout {
                return Tick::Close(close_code::INTERNAL_ERROR, "keepalive ping timeout");
            }
            return Tick::Nothing;
        }
        match (self.next_ping, self.config.ping_interval) {
            (Some(due), Some(interval)) if now >= due => {
                self.next_ping = Some(now + interval);
                self.ping_sent = Some(now);
                Tick::Ping
            }
            _ => Tick::Nothing,
        }
    }
}

/// Why a receive or send failed.
#[derive(Debug, thiserror::Error)]
pub enum WebSocketError {
    /// The client closed the connection (FastAPI's `WebSocketDisconnect`);
    /// code 1005 when it gave none, 1006 when the connection just dropped.
    #[error("websocket disconnected with code {code}")]
    Disconnect {
        /// The close code.
        code: u16,
        /// The close reason.
        reason: String,
    },
    /// A message of the other kind arrived (binary for text, or the reverse).
    #[error("expected a {expected} message")]
    UnexpectedMessage {
        /// `"text"` or `"binary"`.
        expected: &'static str,
    },
    /// A text message was not the JSON expected.
    #[error("invalid JSON message: {0}")]
    Json(#[from] serde_json::Error),
    /// The connection failed.
    #[error("websocket transport error: {0}")]
    Transport(#[from] axum::Error),
    /// The peer broke a bound of the connection's [`WebSocketConfig`] (an
    /// unanswered ping, a message left unfinished or too large, a message it
    /// would not take): the connection was closed with `code`.
    #[error("websocket closed with code {code}: {reason}")]
    Closed {
        /// The close code sent.
        code: u16,
        /// The close reason sent.
        reason: &'static str,
    },
}

impl WebSocketError {
    fn close_code(&self) -> Option<u16> {
        match self {
            WebSocketError::Disconnect { .. }
            | WebSocketError::Transport(_)
            | WebSocketError::Closed { .. } => None,
            WebSocketError::UnexpectedMessage { .. } => Some(close_code::UNSUPPORTED_DATA),
            WebSocketError::Json(_) => Some(close_code::INVALID_FRAME_PAYLOAD_DATA),
        }
    }
}

/// Closes the connection with a code and reason (FastAPI's
/// `WebSocketException`): raised by a dependency before the connection is
/// accepted, or returned by the handler.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("websocket closed with code {code}: {reason}")]
pub struct WebSocketException {
    /// The close code.
    pub code: u16,
    /// The close reason.
    pub reason: String,
}

impl WebSocketException {
    /// A close with `code` and `reason`.
    pub fn new(code: u16, reason: impl Into<String>) -> Self {
        WebSocketException {
            code,
            reason: reason.into(),
        }
    }
}

/// Raised in an HTTP route it is a 403; in a websocket route the close frame
/// it carries is what the client gets.
impl IntoResponse for WebSocketException {
    fn into_response(self) -> Response {
        let mut res = http::StatusCode::FORBIDDEN.into_response();
        res.extensions_mut()
            .insert(CloseWith(self.code, self.reason));
        res
    }
}

#[derive(Debug, Clone)]
struct CloseWith(u16, String);

/// Where the accepted socket goes once the handshake is done, where it
/// comes back when the handler has finished with it, and where the handler's
/// decision to accept or refuse arrives.
type Channels = (
    (
        oneshot::Sender<ws::WebSocket>,
        oneshot::Receiver<ws::WebSocket>,
    ),
    oneshot::Receiver<Decision>,
);

#[derive(Clone)]
struct Pending(Arc<Mutex<Option<Channels>>>, WebSocketConfig);

/// What the handler decided before the handshake completed.
#[derive(Debug)]
enum Decision {
    /// Complete the handshake (`101`).
    Accept,
    /// Refuse it: HTTP 403, as uvicorn answers a close before accept.
    Refuse,
}

/// The connection, as the route function sees it (FastAPI's `WebSocket`).
///
/// The handshake completes when the handler first receives or sends (or
/// calls [`accept`](WebSocket::accept), FastAPI's `await websocket.accept()`).
/// Before that, [`close`](WebSocket::close) or returning
/// `Err(WebSocketException)` refuses the connection with HTTP 403, as
/// uvicorn answers a close before accept.
#[derive(Debug)]
pub struct WebSocket {
    socket: Option<ws::WebSocket>,
    incoming: Option<oneshot::Receiver<ws::WebSocket>>,
    /// Hands the socket back when the handler is done with it, so the
    /// connection can be closed properly.
    back: Option<oneshot::Sender<ws::WebSocket>>,
    /// Tells the server to accept or refuse the handshake (once).
    decide: Option<oneshot::Sender<Decision>>,
    keeper: Keeper,
}

impl WebSocket {
    /// Completes the handshake (FastAPI's `await websocket.accept()`);
    /// receiving or sending does it too.
    pub async fn accept(&mut self) -> Result<(), WebSocketError> {
        self.socket().await.map(|_| ())
    }

    /// Refuses the connection before the handshake (uvicorn's answer to a
    /// close before accept: HTTP 403). After the handshake, closes with
    /// 1008 (policy violation).
    pub async fn deny(mut self) -> Result<(), WebSocketError> {
        if self.refuse() {
            return Ok(());
        }
        self.close(close_code::POLICY_VIOLATION, "").await
    }

    /// Refuses the handshake if it is still undecided.
    fn refuse(&mut self) -> bool {
        match self.decide.take() {
            Some(d) => {
                let _ = d.send(Decision::Refuse);
                self.incoming = None;
                true
            }
            None => false,
        }
    }

    async fn socket(&mut self) -> Result<&mut ws::WebSocket, WebSocketError> {
        if let Some(d) = self.decide.take() {
            let _ = d.send(Decision::Accept);
        }
        // Cancel-safe (a `select!` may drop this future): the channel is
        // only let go of once the socket is out of it.
        if self.socket.is_none() {
            if let Some(rx) = self.incoming.as_mut() {
                self.socket = rx.await.ok();
                self.incoming = None;
            }
        }
        self.socket.as_mut().ok_or(WebSocketError::Disconnect {
            code: 1006,
            reason: String::new(),
        })
    }

    /// The next message (pings are answered for you and skipped). While it
    /// waits, the peer is pinged and the connection's bounds are kept (see
    /// [`WebSocketConfig`]); a peer that breaks one is closed and this
    /// returns [`WebSocketError::Closed`].
    pub async fn receive(&mut self) -> Result<Message, WebSocketError> {
        self.socket().await?;
        self.keeper.start(Instant::now());
        loop {
            let deadline = self.keeper.deadline();
            let Some(socket) = self.socket.as_mut() else {
                return Err(WebSocketError::Disconnect {
                    code: 1006,
                    reason: String::new(),
                });
            };
            let got = match deadline {
                None => Some(socket.recv().await),
                Some(at) => tokio::select! {
                    biased;
                    m = socket.recv() => Some(m),
                    () = tokio::time::sleep_until(at) => None,
                },
            };
            let Some(got) = got else {
                self.tick().await?;
                continue;
            };
            match got {
                None => {
                    return Err(WebSocketError::Disconnect {
                        code: 1006,
                        reason: String::new(),
                    })
                }
                Some(Err(e)) => {
                    // Too large: close as `websockets` does, with 1009.
                    let too_big = std::error::Error::source(&e)
                        .and_then(|s| s.downcast_ref::<tungstenite::Error>())
                        .is_some_and(|t| matches!(t, tungstenite::Error::Capacity(_)));
                    if too_big {
                        return Err(self
                            .close_for(close_code::MESSAGE_TOO_BIG, "message too big")
                            .await);
                    }
                    return Err(WebSocketError::Transport(e));
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame
                        .map(|f| (f.code, f.reason.as_str().to_string()))
                        .unwrap_or((1005, String::new()));
                    return Err(WebSocketError::Disconnect { code, reason });
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => {
                    let pong = matches!(got, Some(Ok(Message::Pong(_))));
                    self.keeper.frame(pong);
                    // A peer that sends nothing but control frames still
                    // gets its pings, and is still timed: a flood of pings
                    // must not keep the timer from firing.
                    if deadline.is_some_and(|at| Instant::now() >= at) {
                        self.tick().await?;
                    }
                }
                Some(Ok(m)) => {
                    self.keeper.frame(false);
                    return Ok(m);
                }
            }
        }
    }

    /// What the timer found: a ping to send, a bound broken (the
    /// connection closed), or nothing yet.
    async fn tick(&mut self) -> Result<(), WebSocketError> {
        match self.keeper.tick(Instant::now()) {
            Tick::Nothing => Ok(()),
            Tick::Ping => {
                let timeout = self.keeper.config.ping_timeout;
                self.send_within(Message::Ping(bytes::Bytes::new()), timeout)
                    .await
            }
            Tick::Close(code, reason) => Err(self.close_for(code, reason).await),
        }
    }

    /// Closes the connection for a broken bound: the close frame is sent
    /// within the close timeout, and the socket let go either way.
    async fn close_for(&mut self, code: u16, reason: &'static str) -> WebSocketError {
        if let Some(mut socket) = self.socket.take() {
            let frame = Message::Close(Some(close_frame(code, reason)));
            let _ =
                tokio::time::timeout(self.keeper.config.close_timeout, socket.send(frame)).await;
        }
        WebSocketError::Closed { code, reason }
    }

    /// Sends within `timeout`: a peer that does not take it in time is
    /// closed (1011).
    async fn send_within(
        &mut self,
        message: Message,
        timeout: Option<Duration>,
    ) -> Result<(), WebSocketError> {
        let socket = self.socket().await?;
        let sent = match timeout {
            None => socket.send(message).await,
            Some(t) => match tokio::time::timeout(t, socket.send(message)).await {
                Ok(r) => r,
                Err(_) => {
                    // The close frame could not go either: drop the socket.
                    self.socket = None;
                    return Err(WebSocketError::Closed {
                        code: close_code::INTERNAL_ERROR,
                        reason: "send timeout",
                    });
                }
            },
        };
        Ok(sent?)
    }

    /// The next text message.
    pub async fn receive_text(&mut self) -> Result<String, WebSocketError> {
        match self.receive().await? {
            Message::Text(t) => Ok(t.as_str().to_string()),
            _ => Err(WebSocketError::UnexpectedMessage { expected: "text" }),
        }
    }

    /// The next binary message.
    pub async fn receive_bytes(&mut self) -> Result<bytes::Bytes, WebSocketError> {
        match self.receive().await? {
            Message::Binary(b) => Ok(b),
            _ => Err(WebSocketError::UnexpectedMessage { expected: "binary" }),
        }
    }

    /// The next text message, parsed as JSON.
    pub async fn receive_json<T: DeserializeOwned>(&mut self) -> Result<T, WebSocketError> {
        let text = self.receive_text().await?;
        Ok(serde_json::from_str(&text)?)
    }

    /// Sends a message. A peer that does not take it within the ping
    /// timeout is closed, and this returns [`WebSocketError::Closed`].
    pub async fn send(&mut self, message: Message) -> Result<(), WebSocketError> {
        let timeout = self.keeper.config.ping_timeout;
        self.send_within(message, timeout).await
    }

    /// Sends a text message.
    pub async fn send_text(&mut self, text: impl Into<String>) -> Result<(), WebSocketError> {
        self.send(Message::text(text.into())).await
    }

    /// Sends a binary message.
    pub async fn send_bytes(
        &mut self,
        data: impl Into<bytes::Bytes>,
    ) -> Result<(), WebSocketError> {
        self.send(Message::Binary(data.into())).await
    }

    /// Sends `value` as a JSON text message.
    pub async fn send_json<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), WebSocketError> {
        self.send_text(serde_json::to_string(value)?).await
    }

    /// Closes the connection with `code` and `reason` (the reason cut to the
    /// 123 bytes a close frame carries, at a character boundary). Before the
    /// handshake: refuses it with HTTP 403, as uvicorn does.
    pub async fn close(mut self, code: u16, reason: &str) -> Result<(), WebSocketError> {
        if self.socket.is_none() && self.refuse() {
            return Ok(());
        }
        let timeout = self.keeper.config.close_timeout;
        let socket = self.socket().await?;
        let frame = close_frame(code, reason);
        let sent = tokio::time::timeout(timeout, socket.send(Message::Close(Some(frame)))).await;
        // Closed by the handler: nothing to hand back.
        self.socket = None;
        match sent {
            Ok(sent) => Ok(sent?),
            Err(_) => Ok(()),
        }
    }

    /// The underlying axum socket, for splitting into sender and receiver
    /// halves; the handler then closes it itself. Its size limits stay; the
    /// pings and timeouts of [`receive`](WebSocket::receive) and
    /// [`send`](WebSocket::send) are then the handler's to keep.
    pub async fn into_inner(mut self) -> Result<ws::WebSocket, WebSocketError> {
        self.socket().await?;
        self.socket.take().ok_or(WebSocketError::Disconnect {
            code: 1006,
            reason: String::new(),
        })
    }
}

impl Drop for WebSocket {
    fn drop(&mut self) {
        // Never used: the socket may still wait in its channel.
        if self.socket.is_none() {
            if let Some(mut rx) = self.incoming.take() {
                self.socket = rx.try_recv().ok();
            }
        }
        if let (Some(socket), Some(back)) = (self.socket.take(), self.back.take()) {
            let _ = back.send(socket);
        }
    }
}

/// A close frame, the reason cut to the 123 bytes it can carry (at a
/// character boundary).
fn close_frame(code: u16, reason: &str) -> CloseFrame {
    let mut end = reason.len().min(123);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    CloseFrame {
        code,
        reason: reason[..end].into(),
    }
}

/// A websocket handshake (HTTP/1.1 upgrade, or HTTP/2's extended CONNECT):
/// what an ASGI server hands the app as a `websocket` scope.
pub(crate) fn is_handshake(parts: &Parts) -> bool {
    (parts.method == http::Method::CONNECT
        && parts
            .extensions
            .get::<hyper::ext::Protocol>()
            .is_some_and(|p| p.as_str().eq_ignore_ascii_case("websocket")))
        || parts
            .headers
            .get(http::header::UPGRADE)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"))
}

impl<S: Sync> Extract<S> for WebSocket {
    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        if !is_handshake(cx.parts()) {
            // Starlette has no HTTP route here.
            cx.raise(crate::HTTPException::not_found());
            return Outcome::Invalid;
        }
        let (tx, rx) = oneshot::channel();
        let (back_tx, back_rx) = oneshot::channel();
        let (decide_tx, decide_rx) = oneshot::channel();
        let config = *cx.route().websocket;
        let inbound = cx.parts().extensions.get::<Inbound>().cloned();
        cx.parts_mut().extensions.insert(Pending(
            Arc::new(Mutex::new(Some(((tx, back_rx), decide_rx)))),
            config,
        ));
        Outcome::Value(WebSocket {
            socket: None,
            incoming: Some(rx),
            back: Some(back_tx),
            decide: Some(decide_tx),
            keeper: Keeper::new(config, inbound),
        })
    }
}

/// What a websocket handler returns.
pub trait WebSocketOutcome: Send + 'static {
    /// The close frame to send, if the connection is still open; and whether
    /// the handler failed.
    fn close(self) -> (Option<(u16, String)>, bool);
}

impl WebSocketOutcome for () {
    fn close(self) -> (Option<(u16, String)>, bool) {
        (Some((close_code::NORMAL_CLOSURE, String::new())), false)
    }
}

impl WebSocketOutcome for Result<(), WebSocketException> {
    fn close(self) -> (Option<(u16, String)>, bool) {
        match self {
            Ok(()) => ().close(),
            Err(e) => (Some((e.code, e.reason)), true),
        }
    }
}

impl WebSocketOutcome for Result<(), WebSocketError> {
    fn close(self) -> (Option<(u16, String)>, bool) {
        match self {
            Ok(()) => ().close(),
            Err(WebSocketError::Disconnect { .. }) => (None, false),
            Err(e) => {
                let code = e.close_code().unwrap_or(close_code::INTERNAL_ERROR);
                (Some((code, String::new())), true)
            }
        }
    }
}

async fn upgrade_parts(
    parts: &mut Parts,
    config: &WebSocketConfig,
) -> Result<ws::WebSocketUpgrade, Response> {
    let upgrade = ws::WebSocketUpgrade::from_request_parts(parts, &())
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(upgrade
        .read_buffer_size(config.read_buffer_size)
        .write_buffer_size(config.write_buffer_size)
        .max_write_buffer_size(config.max_write_buffer_size)
        .max_message_size(config.max_message_size)
        .max_frame_size(config.max_frame_size))
}

/// Ends extraction for a websocket route: invalid parameters (or a raising
/// dependency) accept the connection and close it with 1008 and the reason;
/// a plain HTTP request gets its response (404).
pub async fn finish_websocket(mut data: RequestData) -> Result<(Parts, After), Response> {
    let fail = data.end_extraction();
    let (mut parts, after) = data.into_head();
    let (code, reason) = match fail {
        None => return Ok((parts, after)),
        Some(Finish::Response(res)) if !is_handshake(&parts) => return Err(after.attach(res)),
        Some(Finish::Response(res)) => match res.extensions().get::<CloseWith>() {
            Some(CloseWith(code, reason)) => (*code, reason.clone()),
            None => (close_code::POLICY_VIOLATION, String::new()),
        },
        Some(Finish::Invalid(errors)) => {
            // FastAPI's reason is the error list.
            let mut text = String::from("[");
            for (i, e) in errors.iter().enumerate() {
                if i > 0 {
                    text.push(',');
                }
                e.write_json(&mut text);
            }
            text.push(']');
            (close_code::POLICY_VIOLATION, text)
        }
    };
    let config = parts
        .extensions
        .get::<Pending>()
        .map(|p| p.1)
        .unwrap_or_default();
    let upgrade = match upgrade_parts(&mut parts, &config).await {
        Ok(u) => u,
        Err(res) => return Err(after.attach(res)),
    };
    Err(upgrade.on_upgrade(move |mut socket| async move {
        let frame = Message::Close(Some(close_frame(code, &reason)));
        let _ = tokio::time::timeout(config.close_timeout, socket.send(frame)).await;
        drop(socket);
        after.run(Exit::ended(true)).await;
    }))
}

/// Runs the handler (its future, built with the extracted [`WebSocket`])
/// and completes the handshake when it first uses the socket; a handler that
/// closes before that, or fails without using it, refuses with HTTP 403.
pub async fn upgrade<O, F>(mut parts: Parts, after: After, handler: F) -> Response
where
    F: std::future::Future<Output = O> + Send + 'static,
    O: WebSocketOutcome,
{
    let pending = parts.extensions.remove::<Pending>();
    let config = pending.as_ref().map(|p| p.1).unwrap_or_default();
    let pending = pending.and_then(|p| p.0.lock().ok().and_then(|mut t| t.take()));
    let upgrade = match upgrade_parts(&mut parts, &config).await {
        Ok(u) => u,
        Err(res) => return after.attach(res),
    };
    let Some(((tx, back), decide)) = pending else {
        return after.attach(crate::error::internal_server_error());
    };
    let mut task = tokio::spawn(handler);
    // The handler runs until it decides; its result, if it ends first.
    // Biased: a handler that refused and then returned is a refusal.
    let early = tokio::select! {
        biased;
        d = decide => match d {
            Ok(Decision::Accept) => None,
            Ok(Decision::Refuse) => {
                tokio::spawn(async move {
                    let failed = task.await.map(|o| o.close().1).unwrap_or(true);
                    after.run(Exit::ended(failed)).await;
                });
                return refused();
            }
            // Dropped undecided: wait for the handler's verdict.
            Err(_) => Some((&mut task).await),
        },
        out = &mut task => Some(out),
    };
    let outcome = match early {
        None => None,
        Some(Ok(out)) => {
            let (close, failed) = out.close();
            if failed {
                // FastAPI raising before accept: uvicorn refuses with 403.
                tokio::spawn(after.run(Exit::ended(true)));
                return refused();
            }
            Some(close)
        }
        Some(Err(_)) => {
            tokio::spawn(after.run(Exit::ended(true)));
            return crate::error::internal_server_error();
        }
    };
    upgrade.on_upgrade(move |socket| async move {
        // A handler that already ended never takes it: it stays here.
        let orphan = tx.send(socket).err();
        let (close, failed) = match outcome {
            // Returned without touching the socket: accepted, then closed.
            Some(close) => (close, false),
            None => match task.await {
                Ok(out) => out.close(),
                Err(_) => (Some((close_code::INTERNAL_ERROR, String::new())), true),
            },
        };
        // The socket comes back when the handler's `WebSocket` is dropped
        // (unless it closed it or took it whole).
        if let Some((code, reason)) = close {
            let socket = match orphan {
                Some(s) => Some(s),
                None => back.await.ok(),
            };
            if let Some(mut socket) = socket {
                let frame = Message::Close(Some(close_frame(code, &reason)));
                let _ = tokio::time::timeout(config.close_timeout, socket.send(frame)).await;
            }
        }
        after.run(Exit::ended(failed)).await;
    })
}

/// uvicorn's answer to a close before accept.
pub(crate) fn refused() -> Response {
    http::StatusCode::FORBIDDEN.into_response()
}
