//! Fan-out across replicas: with `REDIS_URL` set, a room's messages live in
//! Redis and reach the clients of every replica through Redis pub/sub.
//!
//! - Posting runs one Lua script: it numbers the message (`INCR`), appends
//!   it to the room's history (`RPUSH`) and publishes it (`PUBLISH
//!   chat:room:NAME`). Redis runs scripts one at a time, so the order of
//!   publication is the order of the numbers, whichever replica posted.
//! - Each replica holds one subscription (`PSUBSCRIBE chat:room:*`) and hands
//!   each message to its own clients (websockets, server-sent events) through
//!   the room's local broadcast channel: one connection, so every replica
//!   sees the same order.
//! - The history (`GET /rooms/{room}/messages`) is read from Redis: every
//!   replica answers the same.
//!
//! When Redis goes away: a post answers 503 (the poster knows it was not
//! sent; nothing is dropped silently); the subscription is re-made, retrying
//! every 0.1 s to 2 s, and nothing crashes or closes the clients' streams.
//! The first command a replica sends after Redis is back finds its old
//! connection broken: it is sent once more on the new one.
//! What is lost: a message published after Redis is back but before a
//! replica has subscribed again does not reach that replica's clients
//! (pub/sub delivers at most once; they find it in the history); and without
//! Redis persistence (`appendonly`), a restart loses the history and the
//! numbering starts again at 1.

use std::time::Duration;

use ferroapi::HTTPException;
use futures_util::StreamExt;
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::Message;

/// The channel of a room's messages.
const CHANNEL_PREFIX: &str = "chat:room:";

/// Numbers, stores and publishes a message, atomically.
/// KEYS: the counter, the history, the channel. ARGV: author, text, the
/// messages kept (older ones are trimmed). Returns the message as stored
/// (JSON).
const POST: &str = r#"
local id = redis.call('INCR', KEYS[1])
local m = cjson.encode({id = id, author = ARGV[1], text = ARGV[2]})
redis.call('RPUSH', KEYS[2], m)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[3]), -1)
redis.call('PUBLISH', KEYS[3], m)
return m
"#;

/// A replica's connections to Redis.
#[derive(Clone)]
pub struct Redis {
    client: redis::Client,
    commands: ConnectionManager,
    post: std::sync::Arc<redis::Script>,
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redis").finish_non_exhaustive()
    }
}

fn unavailable(e: redis::RedisError) -> HTTPException {
    eprintln!("chat: redis: {e}");
    HTTPException::new(503, "The message broker is unavailable; try again")
}

fn keys(room: &str) -> (String, String, String) {
    (
        format!("chat:count:{room}"),
        format!("chat:history:{room}"),
        format!("{CHANNEL_PREFIX}{room}"),
    )
}

impl Redis {
    /// Connects lazily (a replica starts while Redis is down, and waits for it).
    pub fn new(url: &str) -> Result<Self, redis::RedisError> {
        let client = redis::Client::open(url)?;
        let config = ConnectionManagerConfig::new()
            .set_number_of_retries(1)
            .set_connection_timeout(Some(Duration::from_millis(500)))
            .set_response_timeout(Some(Duration::from_secs(1)));
        let commands = ConnectionManager::new_lazy_with_config(client.clone(), config)?;
        Ok(Redis {
            client,
            commands,
            post: std::sync::Arc::new(redis::Script::new(POST)),
        })
    }

    /// Posts a message: numbered, stored and published by Redis.
    pub async fn post(
        &self,
        room: &str,
        author: &str,
        text: &str,
        keep: usize,
    ) -> Result<Message, HTTPException> {
        let (count, history, channel) = keys(room);
        let mut script = self.post.key(count);
        script
            .key(history)
            .key(channel)
            .arg(author)
            .arg(text)
            .arg(keep);
        let json: String = self
            .again(|mut con| {
                let script = &script;
                async move { script.invoke_async(&mut con).await }
            })
            .await?;
        serde_json::from_str(&json).map_err(|_| HTTPException::new(500, "Bad message in Redis"))
    }

    /// A room's messages numbered after `after` (the list holds the last
    /// ones, oldest first: only those are read).
    pub async fn history(&self, room: &str, after: usize) -> Result<Vec<Message>, HTTPException> {
        let (_, history, _) = keys(room);
        let cmd = redis::cmd("LRANGE").arg(history).arg(0).arg(-1).to_owned();
        let items: Vec<String> = self
            .again(|mut con| {
                let cmd = &cmd;
                async move { cmd.query_async(&mut con).await }
            })
            .await?;
        Ok(items
            .iter()
            .filter_map(|m| serde_json::from_str::<Message>(m).ok())
            .filter(|m| m.id > after)
            .collect())
    }

    /// Sets `key` unless it is set: true when this call set it.
    pub async fn claim(&self, key: &str) -> Result<bool, HTTPException> {
        let cmd = redis::cmd("SET").arg(key).arg(1).arg("NX").to_owned();
        let set: Option<String> = self
            .again(|mut con| {
                let cmd = &cmd;
                async move { cmd.query_async(&mut con).await }
            })
            .await?;
        Ok(set.is_some())
    }

    /// Runs `f` on the shared connection; once more, a moment later, when the
    /// connection was found broken (Redis restarted since the last command;
    /// the manager reconnects). 503 when Redis is still away. A post cut off
    /// by Redis dying in the middle of it could run twice: a risk this
    /// example takes.
    async fn again<T, F, Fut>(&self, f: F) -> Result<T, HTTPException>
    where
        F: Fn(ConnectionManager) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        match f(self.commands.clone()).await {
            Err(e) if e.is_connection_dropped() || e.is_io_error() => {
                tokio::time::sleep(Duration::from_millis(100)).await;
                f(self.commands.clone()).await.map_err(unavailable)
            }
            other => other.map_err(unavailable),
        }
    }

    /// Relays every room's messages to `deliver(room, message)` for as long
    /// as the process runs, subscribing again whenever the connection ends.
    pub async fn relay(self, deliver: impl Fn(&str, Message) + Send + 'static) {
        let mut delay = Duration::from_millis(100);
        loop {
            match self.client.get_async_pubsub().await {
                Ok(mut pubsub) => match pubsub.psubscribe(format!("{CHANNEL_PREFIX}*")).await {
                    Ok(()) => {
                        eprintln!("chat: subscribed to the rooms' channels");
                        delay = Duration::from_millis(100);
                        let mut messages = pubsub.on_message();
                        while let Some(msg) = messages.next().await {
                            let room = msg.get_channel_name().strip_prefix(CHANNEL_PREFIX);
                            let m = serde_json::from_slice::<Message>(msg.get_payload_bytes());
                            if let (Some(room), Ok(m)) = (room, m) {
                                deliver(room, m);
                            }
                        }
                        eprintln!("chat: the subscription ended; subscribing again");
                    }
                    Err(e) => eprintln!("chat: redis: {e}"),
                },
                Err(e) => eprintln!("chat: redis: {e}"),
            }
            tokio::time::sleep(delay).await;
            delay = (delay * 2).min(Duration::from_secs(2));
        }
    }
}
