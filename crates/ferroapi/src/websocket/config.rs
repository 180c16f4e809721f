//! A websocket connection's bounds: kept apart from the connection itself so
//! that the request context (`extract`) can carry them without importing
//! the websocket code that extracts from it.

use std::time::Duration;

/// What one websocket connection may cost, and how long its peer may keep
/// it waiting. The defaults are uvicorn's (its `websockets` implementation):
/// messages up to 16 MiB, a ping every 20 s that must be answered within
/// 20 s.
///
/// ```
/// use std::time::Duration;
/// use ferroapi::websocket::WebSocketConfig;
///
/// let config = WebSocketConfig {
///     max_message_size: 1024 * 1024,
///     ping_interval: Some(Duration::from_secs(30)),
///     ..WebSocketConfig::DEFAULT
/// };
/// # drop(config);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebSocketConfig {
    /// The largest message received, in bytes, whole or in fragments
    /// (default 16 MiB, uvicorn's `--ws-max-size`); a larger one closes the
    /// connection with 1009.
    pub max_message_size: usize,
    /// The largest single frame received (default 16 MiB).
    pub max_frame_size: usize,
    /// How much is read from the socket at once, and what an idle
    /// connection keeps allocated for it (default 4 KiB).
    pub read_buffer_size: usize,
    /// Bytes written to the socket per call (default 0: each message is
    /// written at once; nothing is held back between messages).
    pub write_buffer_size: usize,
    /// The most bytes queued for a peer that does not read them, pongs
    /// included (default 16 MiB + 64 KiB: one message of the largest size
    /// can be sent). A peer that lets more pile up is closed.
    pub max_write_buffer_size: usize,
    /// How often the server pings the peer while the handler waits for a
    /// message (default 20 s, uvicorn's `--ws-ping-interval`; `None`: never).
    pub ping_interval: Option<Duration>,
    /// How long the peer may take to answer a ping, and to take a message
    /// the handler sends, before the connection is closed with 1011 (default
    /// 20 s, uvicorn's `--ws-ping-timeout`; `None`: forever).
    pub ping_timeout: Option<Duration>,
    /// How long a message may take from its first byte to its last; a peer
    /// that leaves one unfinished is closed with 1008 (default 20 s).
    pub message_timeout: Duration,
    /// How long the closing handshake may take (sending the close frame to
    /// a peer that does not read) before the connection is dropped (default
    /// 10 s, `websockets`' `close_timeout`).
    pub close_timeout: Duration,
}

impl WebSocketConfig {
    /// uvicorn's defaults (see the fields).
    pub const DEFAULT: WebSocketConfig = WebSocketConfig {
        max_message_size: 16 * 1024 * 1024,
        max_frame_size: 16 * 1024 * 1024,
        read_buffer_size: 4 * 1024,
        write_buffer_size: 0,
        max_write_buffer_size: 16 * 1024 * 1024 + 64 * 1024,
        ping_interval: Some(Duration::from_secs(20)),
        ping_timeout: Some(Duration::from_secs(20)),
        message_timeout: Duration::from_secs(20),
        close_timeout: Duration::from_secs(10),
    };
}

impl WebSocketConfig {
    /// The config as the routes keep it, once, when the app is built: the
    /// default is a constant, any other is allocated for good (one per route
    /// that sets one, or per built app).
    pub(crate) fn fixed(config: WebSocketConfig) -> &'static WebSocketConfig {
        if config == WebSocketConfig::DEFAULT {
            &WebSocketConfig::DEFAULT
        } else {
            Box::leak(Box::new(config))
        }
    }
}

impl Default for WebSocketConfig {
    fn default() -> Self {
        WebSocketConfig::DEFAULT
    }
}
