//! Chat rooms: the rest of FastAPI's surface in one small service.
//!
//! - OAuth2 password flow with scopes (`read`, `write`): `POST /token`, then
//!   routes that ask for `#[param(scopes = [...])]` on the user dependency,
//!   which checks them through `SecurityScopes`.
//! - `GET/POST /rooms/{room}/messages` (JSON), a background task per post.
//! - `GET /rooms/{room}/events`: new messages as server-sent events.
//! - `/rooms/{room}/ws`: a websocket (token in the query, validated before
//!   the connection is accepted) that relays messages both ways; while it is
//!   open the user is listed by `GET /rooms/{room}/online` — a `yield`
//!   dependency adds them and its teardown removes them.
//! - Lifespan (a welcome message at start-up), CORS, gzip, request ids.
//! - Several replicas: with `REDIS_URL` set, messages are numbered, kept and
//!   fanned out by Redis, so a client of any replica gets every room's
//!   messages, in the same order (see `broker`).
//!
//! Run: `cargo run -p example-chat` (127.0.0.1:8001, or `$FERROAPI_ADDR`;
//! `REDIS_URL=redis://127.0.0.1:6379` for a fleet). Users: any name, password
//! `secret`.
#![forbid(unsafe_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

use ferroapi::extract::Yield;
use ferroapi::middleware::Cors;
use ferroapi::response::KeepAlive;
use ferroapi::security::{
    OAuth2Config, OAuth2PasswordBearer, OAuth2PasswordRequestForm, SecurityScopes,
};
use ferroapi::websocket::WebSocketError;
use ferroapi::{
    dependency, get, post, websocket, App, BackgroundTasks, Depends, EventStream, Exit,
    HTTPException, Json, Path, Query, ServerSentEvent, State, WebSocket, WebSocketException,
};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

mod broker;

/// A message in a room.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Message {
    /// Its number in the room, from 1.
    pub id: usize,
    /// Who wrote it.
    pub author: String,
    /// What they wrote.
    pub text: String,
}

/// A message to post.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema, garde::Validate)]
pub struct NewMessage {
    /// 1 to 500 characters.
    #[garde(length(chars, min = 1, max = 500))]
    pub text: String,
}

#[derive(Debug)]
struct Room {
    /// The last messages (at most `Limits::history`), when there is no broker.
    history: std::collections::VecDeque<Message>,
    /// The number the next message gets.
    next_id: usize,
    feed: broadcast::Sender<Message>,
    online: BTreeSet<String>,
}

impl Default for Room {
    fn default() -> Self {
        Room {
            history: std::collections::VecDeque::new(),
            next_id: 1,
            feed: broadcast::channel(64).0,
            online: BTreeSet::new(),
        }
    }
}

impl Room {
    /// Nothing to keep: no history here, no subscriber, nobody online.
    fn is_empty(&self) -> bool {
        self.history.is_empty() && self.feed.receiver_count() == 0 && self.online.is_empty()
    }
}

/// What the chat keeps in memory, at most.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Rooms held at once (`CHAT_MAX_ROOMS`, default 1,000). Past it, a new
    /// room takes the place of an empty one, else of the room posted to
    /// longest ago that nobody follows; when every room is followed, 503.
    pub rooms: usize,
    /// Messages kept per room (`CHAT_MAX_HISTORY`, default 1,000); older
    /// ones are dropped (in Redis too: the list is trimmed).
    pub history: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            rooms: 1_000,
            history: 1_000,
        }
    }
}

impl Limits {
    /// From `CHAT_MAX_ROOMS` and `CHAT_MAX_HISTORY`, else the defaults.
    pub fn from_env() -> Self {
        let d = Limits::default();
        let read = |name: &str, default: usize| {
            std::env::var(name)
                .ok()
                .and_then(|v| v.parse().ok())
                .filter(|n: &usize| *n > 0)
                .unwrap_or(default)
        };
        Limits {
            rooms: read("CHAT_MAX_ROOMS", d.rooms),
            history: read("CHAT_MAX_HISTORY", d.history),
        }
    }
}

/// The app state: rooms by name (their history, when there is no broker,
/// and this replica's subscribers), the moderation log the background tasks
/// write, and the broker shared by the replicas, if any. Reading never
/// creates a room; rooms are bounded in number and history, and an empty
/// room is freed.
#[derive(Debug, Clone, Default)]
pub struct Chat {
    rooms: Arc<Mutex<BTreeMap<String, Room>>>,
    moderation: Arc<Mutex<Vec<String>>>,
    broker: Option<broker::Redis>,
    limits: Limits,
}

fn room_full() -> HTTPException {
    HTTPException::new(503, "Too many rooms are in use; try again later")
}

impl Chat {
    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Room>> {
        self.rooms.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Reads a room if it exists: a read never creates one.
    fn read_room<T>(&self, room: &str, f: impl FnOnce(&Room) -> T) -> Option<T> {
        self.lock().get(room).map(f)
    }

    /// Works on a room, creating it if there is room for one (see
    /// [`Limits::rooms`]).
    fn with_room<T>(&self, room: &str, f: impl FnOnce(&mut Room) -> T) -> Result<T, HTTPException> {
        let mut rooms = self.lock();
        if !rooms.contains_key(room) && rooms.len() >= self.limits.rooms {
            // Free the empty rooms; else the one posted to longest ago that
            // nobody follows (with a broker, its history stays in Redis).
            rooms.retain(|_, r| !r.is_empty());
            if rooms.len() >= self.limits.rooms {
                let victim = rooms
                    .iter()
                    .filter(|(_, r)| r.feed.receiver_count() == 0 && r.online.is_empty())
                    .min_by_key(|(_, r)| r.next_id)
                    .map(|(name, _)| name.clone());
                match victim {
                    Some(name) => {
                        rooms.remove(&name);
                    }
                    None => return Err(room_full()),
                }
            }
        }
        Ok(f(rooms.entry(room.to_string()).or_default()))
    }

    /// `name` is no longer online in `room`; the room is freed once nothing
    /// is left in it.
    fn leave(&self, room: &str, name: &str) {
        let mut rooms = self.lock();
        if let Some(r) = rooms.get_mut(room) {
            r.online.remove(name);
            if r.is_empty() {
                rooms.remove(room);
            }
        }
    }

    /// Posts a message. With a broker, Redis numbers, keeps and publishes
    /// it, and the relay brings it back to this replica's subscribers.
    async fn post(&self, room: &str, author: &str, text: String) -> Result<Message, HTTPException> {
        if let Some(b) = &self.broker {
            return b.post(room, author, &text, self.limits.history).await;
        }
        let keep = self.limits.history;
        self.with_room(room, |r| {
            let m = Message {
                id: r.next_id,
                author: author.to_string(),
                text,
            };
            r.next_id += 1;
            r.history.push_back(m.clone());
            while r.history.len() > keep {
                r.history.pop_front();
            }
            // No subscriber is not an error.
            let _ = r.feed.send(m.clone());
            m
        })
    }

    /// A room's messages numbered after `after`.
    async fn history(&self, room: &str, after: usize) -> Result<Vec<Message>, HTTPException> {
        if let Some(b) = &self.broker {
            return b.history(room, after).await;
        }
        Ok(self
            .read_room(room, |r| {
                r.history.iter().filter(|m| m.id > after).cloned().collect()
            })
            .unwrap_or_default())
    }

    /// Hands a message the broker relayed to this replica's subscribers (a
    /// room nobody here follows is not created for it).
    fn deliver(&self, room: &str, m: Message) {
        self.read_room(room, |r| {
            let _ = r.feed.send(m);
        });
    }
}

/// The OAuth2 password flow, with two scopes.
#[derive(Debug)]
pub struct Login;

impl OAuth2Config for Login {
    const TOKEN_URL: &'static str = "token";
    const SCOPES: &'static [(&'static str, &'static str)] =
        &[("read", "Read rooms"), ("write", "Post messages")];
}

/// A token for `username` (password `secret`) with the scopes asked for.
#[post("/token")]
async fn login(form: OAuth2PasswordRequestForm) -> Result<Json<serde_json::Value>, HTTPException> {
    if form.password != "secret" || form.username.is_empty() || form.username.contains(':') {
        return Err(HTTPException::new(400, "Incorrect username or password"));
    }
    let token = format!("{}:{}", form.username, form.scopes.join(","));
    Ok(Json(
        serde_json::json!({"access_token": token, "token_type": "bearer"}),
    ))
}

/// Who a token belongs to, if it grants `required` (`user:scope,scope`).
fn check(token: &str, required: &SecurityScopes) -> Result<String, HTTPException> {
    let (user, granted) = token
        .split_once(':')
        .filter(|(u, _)| !u.is_empty())
        .ok_or_else(|| {
            HTTPException::new(401, "Could not validate credentials")
                .header("www-authenticate", "Bearer")
        })?;
    let granted: Vec<&str> = granted.split(',').collect();
    if required
        .scopes
        .iter()
        .all(|s| granted.contains(&s.as_str()))
    {
        Ok(user.to_string())
    } else {
        Err(HTTPException::new(401, "Not enough permissions").header(
            "www-authenticate",
            format!("Bearer scope=\"{}\"", required.scope_str()),
        ))
    }
}

/// The user behind the bearer token, if it has the scopes the route asks for.
#[dependency]
async fn current_user(
    scopes: SecurityScopes,
    token: OAuth2PasswordBearer<Login>,
) -> Result<String, HTTPException> {
    check(token.token(), &scopes)
}

/// A room's messages, oldest first.
#[get("/rooms/{room}/messages", tags = ["rooms"])]
async fn read_messages(
    State(chat): State<Chat>,
    room: Path<String>,
    #[param(scopes = ["read"])] Depends(_user): Depends<current_user>,
    #[param(default = 0, ge = 0)] after: Query<usize>,
) -> Result<Json<Vec<Message>>, HTTPException> {
    Ok(Json(chat.history(&room.0, after.0).await?))
}

/// Posts a message; a background task logs it for moderation once the
/// answer is sent.
#[post("/rooms/{room}/messages", tags = ["rooms"], status_code = 201)]
async fn post_message(
    State(chat): State<Chat>,
    room: Path<String>,
    #[param(scopes = ["write"])] Depends(user): Depends<current_user>,
    message: Json<NewMessage>,
    tasks: BackgroundTasks,
) -> Result<Json<Message>, HTTPException> {
    let m = chat.post(&room.0, &user, message.0.text).await?;
    let (log, line) = (
        chat.moderation.clone(),
        format!("{}#{} by {}", room.0, m.id, m.author),
    );
    tasks.add(async move { log.lock().unwrap_or_else(|e| e.into_inner()).push(line) });
    Ok(Json(m))
}

/// New messages of a room, as server-sent events (`event: message`, the
/// message as JSON data, its number as the event id).
#[get("/rooms/{room}/events", tags = ["rooms"])]
async fn room_events(
    State(chat): State<Chat>,
    room: Path<String>,
    #[param(scopes = ["read"])] Depends(_user): Depends<current_user>,
) -> Result<EventStream, HTTPException> {
    let rx = chat.with_room(&room.0, |r| r.feed.subscribe())?;
    let events = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(m) => {
                    let event = ServerSentEvent::default()
                        .event("message")
                        .id(m.id.to_string())
                        .json_data(&m)
                        .unwrap_or_default();
                    return Some((Ok::<_, Infallible>(event), rx));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Ok(EventStream::with_keep_alive(
        events.boxed(),
        KeepAlive::default(),
    ))
}

/// Who has a websocket open in the room (none, for a room that does not
/// exist: asking creates nothing).
#[get("/rooms/{room}/online", tags = ["rooms"])]
async fn online(State(chat): State<Chat>, room: Path<String>) -> Json<Vec<String>> {
    Json(
        chat.read_room(&room.0, |r| r.online.iter().cloned().collect())
            .unwrap_or_default(),
    )
}

/// The moderation log the background tasks fill.
#[get("/moderation", tags = ["admin"])]
async fn moderation(
    State(chat): State<Chat>,
    #[param(scopes = ["read"])] Depends(_user): Depends<current_user>,
) -> Json<Vec<String>> {
    Json(
        chat.moderation
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone(),
    )
}

/// A websocket's user: the token comes in the query (browsers cannot set
/// headers on a websocket); a bad one closes the connection with 1008.
#[dependency]
async fn ws_user(token: Query<String>) -> Result<String, WebSocketException> {
    let scopes = SecurityScopes {
        scopes: vec!["read".into(), "write".into()],
    };
    check(&token.0, &scopes).map_err(|e| {
        let reason = e.detail().as_str().unwrap_or("Not authenticated");
        WebSocketException::new(1008, reason)
    })
}

/// Marks the user online in the room while the connection lasts.
#[dependency]
async fn presence(
    State(chat): State<Chat>,
    room: Path<String>,
    Depends(user): Depends<ws_user>,
) -> Result<Yield<String>, WebSocketException> {
    chat.with_room(&room.0, |r| r.online.insert(user.clone()))
        .map_err(|_| WebSocketException::new(1013, "Too many rooms are in use"))?;
    let name = user.clone();
    Ok(Yield::new(user, move |_exit: Exit| async move {
        chat.leave(&room.0, &name);
    }))
}

/// Relays the room: each text received is posted, each message posted (by
/// anyone) is sent as JSON.
#[websocket("/rooms/{room}/ws")]
async fn room_socket(
    mut ws: WebSocket,
    State(chat): State<Chat>,
    room: Path<String>,
    Depends(user): Depends<presence>,
) -> Result<(), WebSocketError> {
    let Ok(mut feed) = chat.with_room(&room.0, |r| r.feed.subscribe()) else {
        return Ok(());
    };
    loop {
        tokio::select! {
            text = ws.receive_text() => {
                let text = text?;
                if !text.is_empty() {
                    if let Err(e) = chat.post(&room.0, &user, text).await {
                        ws.send_json(&serde_json::json!({ "detail": e.detail() })).await?;
                    }
                }
            }
            m = feed.recv() => match m {
                Ok(m) => ws.send_json(&m).await?,
                Err(broadcast::error::RecvError::Lagged(_)) => {}
                Err(broadcast::error::RecvError::Closed) => return Ok(()),
            },
        }
    }
}

/// The app, ready to serve or to test: one process.
pub fn app() -> App<Chat> {
    app_with(None)
}

/// The app, its rooms in Redis when `broker` is given: one replica of a fleet.
pub fn app_with(broker: Option<broker::Redis>) -> App<Chat> {
    app_limited(broker, Limits::from_env())
}

/// The app with its memory bounded by `limits`.
pub fn app_limited(broker: Option<broker::Redis>, limits: Limits) -> App<Chat> {
    app_for(Chat {
        broker,
        limits,
        ..Chat::default()
    })
}

/// The app around `chat`, its state.
fn app_for(chat: Chat) -> App<Chat> {
    let welcome = chat.clone();
    App::with_state(chat)
        .title("Chat")
        .version("1.0.0")
        .description("Rooms over REST, server-sent events and a websocket.")
        .on_startup(move || async move {
            if let Some(b) = welcome.broker.clone() {
                let relay = welcome.clone();
                tokio::spawn(b.clone().relay(move |room, m| relay.deliver(room, m)));
                // One welcome for the fleet, from whichever replica is first.
                if !b.claim("chat:welcomed:general").await.unwrap_or(false) {
                    return;
                }
            }
            let text = "Welcome to #general".to_string();
            if let Err(e) = welcome.post("general", "system", text).await {
                eprintln!("chat: no welcome message: {:?}", e.detail());
            }
        })
        .cors(
            Cors::new()
                .allow_origins(["http://localhost:5173"])
                .allow_credentials(true)
                .allow_methods(["*"])
                .allow_headers(["*"]),
        )
        .gzip(500)
        .tracing()
        .route(login)
        .route(read_messages)
        .route(post_message)
        .route(room_events)
        .route(online)
        .route(moderation)
        .route(room_socket)
}

/// The allocator ferroapi's services ship with (the workspace's
/// `tikv-jemallocator`): as fast as the system's on every showdown row, and
/// it returns memory after a burst of connections.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// `example-chat` serves; `example-chat openapi [FILE]` writes the document.
#[tokio::main]
async fn main() -> Result<(), ferroapi::Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("openapi") {
        return app().write_openapi(args.get(1).map(String::as_str));
    }
    let addr = std::env::var("FERROAPI_ADDR").unwrap_or_else(|_| "127.0.0.1:8001".to_string());
    let broker = match std::env::var("REDIS_URL") {
        Ok(url) => Some(broker::Redis::new(&url).map_err(|e| {
            ferroapi::Error::Io(std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
        })?),
        Err(_) => None,
    };
    println!("chat on http://{addr}/docs (Ctrl-C to stop)");
    app_with(broker).serve(&addr).await
}

#[cfg(test)]
mod tests;
