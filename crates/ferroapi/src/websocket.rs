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

use std::sync::{Arc, Mutex};

use axum::extract::ws::{self, CloseFrame, Message};
use axum::extract::FromRequestParts;
use axum::response::{IntoResponse, Response};
use http::request::Parts;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::oneshot;

use crate::after::{After, Exit};
use crate::extract::{Extract, Finish, Outcome, ParamSpec, RequestCtx};

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
    /// 1011: internal error.
    pub const INTERNAL_ERROR: u16 = 1011;
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
}

impl WebSocketError {
    fn close_code(&self) -> Option<u16> {
        match self {
            WebSocketError::Disconnect { .. } | WebSocketError::Transport(_) => None,
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
struct Pending(Arc<Mutex<Option<Channels>>>);

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

    /// The next message (pings are answered for you and skipped).
    pub async fn receive(&mut self) -> Result<Message, WebSocketError> {
        let socket = self.socket().await?;
        loop {
            match socket.recv().await {
                None => {
                    return Err(WebSocketError::Disconnect {
                        code: 1006,
                        reason: String::new(),
                    })
                }
                Some(Err(e)) => return Err(WebSocketError::Transport(e)),
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame
                        .map(|f| (f.code, f.reason.as_str().to_string()))
                        .unwrap_or((1005, String::new()));
                    return Err(WebSocketError::Disconnect { code, reason });
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                Some(Ok(m)) => return Ok(m),
            }
        }
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

    /// Sends a message.
    pub async fn send(&mut self, message: Message) -> Result<(), WebSocketError> {
        Ok(self.socket().await?.send(message).await?)
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
        let socket = self.socket().await?;
        let frame = close_frame(code, reason);
        let sent = socket.send(Message::Close(Some(frame))).await;
        // Closed by the handler: nothing to hand back.
        self.socket = None;
        Ok(sent?)
    }

    /// The underlying axum socket, for splitting into sender and receiver
    /// halves; the handler then closes it itself.
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

fn is_websocket_request(parts: &Parts) -> bool {
    parts.method == http::Method::CONNECT
        || parts
            .headers
            .get(http::header::UPGRADE)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"websocket"))
}

impl<S: Sync> Extract<S> for WebSocket {
    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        if !is_websocket_request(cx.parts()) {
            // Starlette has no HTTP route here.
            cx.raise(crate::HTTPException::not_found());
            return Outcome::Invalid;
        }
        let (tx, rx) = oneshot::channel();
        let (back_tx, back_rx) = oneshot::channel();
        let (decide_tx, decide_rx) = oneshot::channel();
        cx.parts_mut()
            .extensions
            .insert(Pending(Arc::new(Mutex::new(Some((
                (tx, back_rx),
                decide_rx,
            ))))));
        Outcome::Value(WebSocket {
            socket: None,
            incoming: Some(rx),
            back: Some(back_tx),
            decide: Some(decide_tx),
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

async fn upgrade_parts(parts: &mut Parts) -> Result<ws::WebSocketUpgrade, Response> {
    ws::WebSocketUpgrade::from_request_parts(parts, &())
        .await
        .map_err(IntoResponse::into_response)
}

/// Ends extraction for a websocket route: invalid parameters (or a raising
/// dependency) accept the connection and close it with 1008 and the reason;
/// a plain HTTP request gets its response (404).
pub async fn finish_websocket<S>(cx: RequestCtx<'_, S>) -> Result<(Parts, After), Response> {
    let (mut parts, after, fail) = cx.finish();
    let (code, reason) = match fail {
        None => return Ok((parts, after)),
        Some(Finish::Response(res)) if !is_websocket_request(&parts) => {
            return Err(after.attach(res))
        }
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
    let upgrade = match upgrade_parts(&mut parts).await {
        Ok(u) => u,
        Err(res) => return Err(after.attach(res)),
    };
    Err(upgrade.on_upgrade(move |mut socket| async move {
        let _ = socket
            .send(Message::Close(Some(close_frame(code, &reason))))
            .await;
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
    let pending = parts
        .extensions
        .remove::<Pending>()
        .and_then(|p| p.0.lock().ok().and_then(|mut t| t.take()));
    let upgrade = match upgrade_parts(&mut parts).await {
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
                let _ = socket
                    .send(Message::Close(Some(close_frame(code, &reason))))
                    .await;
            }
        }
        after.run(Exit::ended(failed)).await;
    })
}

/// uvicorn's answer to a close before accept.
fn refused() -> Response {
    http::StatusCode::FORBIDDEN.into_response()
}
