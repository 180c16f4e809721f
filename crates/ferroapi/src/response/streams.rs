//! Streams FastAPI makes from generator routes: JSON Lines
//! (`application/jsonl`, FastAPI ≥ 0.134) and server-sent events
//! (`text/event-stream`), each documented with its `itemSchema`.

use std::any::TypeId;
use std::marker::PhantomData;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use futures_util::{Stream, StreamExt};
use http::{header, HeaderValue};

use super::{Responder, ResponseCtx};

/// One server-sent event (FastAPI's `ServerSentEvent`): `data`, `event`, `id`,
/// `retry`, comments.
pub use axum::response::sse::{Event as ServerSentEvent, KeepAlive};

/// A JSON Lines stream (`application/jsonl`): each item written as one line
/// of JSON as it comes, FastAPI's generator route (`async def f() ->
/// AsyncIterable[Item]: yield ...`). Documented with the item's schema
/// (`itemSchema`). Items of type `serde_json::Value` are FastAPI's untyped
/// generator: written as Python's `json.dumps` writes them (`{"a": 1}`).
///
/// ```
/// use ferroapi::{get, JsonLines};
/// use futures_util::stream;
///
/// #[get("/numbers")]
/// async fn numbers() -> JsonLines<i64> {
///     JsonLines::new(stream::iter(0..3))
/// }
/// ```
pub struct JsonLines<T> {
    body: Body,
    item: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonLines")
    }
}

impl<T: serde::Serialize + Send + 'static> JsonLines<T> {
    /// Streams the items of `items`, one line each.
    pub fn new<St>(items: St) -> Self
    where
        St: Stream<Item = T> + Send + 'static,
    {
        let python = TypeId::of::<T>() == TypeId::of::<serde_json::Value>();
        let lines = items.map(move |item| {
            let mut line = if python {
                python_json(&item)
            } else {
                serde_json::to_vec(&item)
            }
            .map_err(std::io::Error::other)?;
            line.push(b'\n');
            Ok::<_, std::io::Error>(bytes::Bytes::from(line))
        });
        JsonLines {
            body: Body::from_stream(lines),
            item: PhantomData,
        }
    }
}

impl<T: schemars::JsonSchema + 'static> Responder for JsonLines<T> {
    fn describe(cx: &mut crate::openapi::parts::Describe) {
        let schema = cx.output_schema_for::<T>();
        cx.stream("application/jsonl", Some(schema));
    }

    fn respond(self, cx: &ResponseCtx<'_>) -> Response {
        let mut res = Response::new(self.body);
        *res.status_mut() = cx.status;
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/jsonl"),
        );
        res
    }
}

/// Python's `json.dumps` text: `", "` and `": "` separators, non-ASCII
/// characters escaped.
fn python_json<T: serde::Serialize>(v: &T) -> serde_json::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    v.serialize(&mut ser)?;
    Ok(out)
}

struct PythonFormatter;

/// Python's `", "` between array items and object members.
fn item_separator<W: ?Sized + std::io::Write>(writer: &mut W, first: bool) -> std::io::Result<()> {
    if first {
        Ok(())
    } else {
        writer.write_all(b", ")
    }
}

impl serde_json::ser::Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        item_separator(writer, first)
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        item_separator(writer, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
    ) -> std::io::Result<()> {
        writer.write_all(b": ")
    }

    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        let mut units = [0u16; 2];
        for c in fragment.chars() {
            if c.is_ascii() {
                writer.write_all(&[c as u8])?;
            } else {
                for u in c.encode_utf16(&mut units) {
                    write!(writer, "\\u{u:04x}")?;
                }
            }
        }
        Ok(())
    }
}

/// A stream of server-sent events (`text/event-stream`), FastAPI's
/// `EventSourceResponse`: [`EventStream::new`] sends [`ServerSentEvent`]s
/// as they come; [`EventStream::json`] sends each item of a stream as one
/// event's JSON `data` (FastAPI's generator of models) and is an
/// `EventStream<Json<Item>>`, documented with the item's schema as the
/// `data`'s `contentSchema`.
pub struct EventStream<T = ServerSentEvent> {
    res: Response,
    item: PhantomData<fn() -> T>,
}

impl<T> std::fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventStream")
    }
}

/// FastAPI's SSE answer: no buffering by proxies, no caching.
fn sse_headers(mut res: Response) -> Response {
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    res
}

impl EventStream {
    /// Sends each event as it comes.
    pub fn new<St, E>(events: St) -> Self
    where
        St: Stream<Item = Result<ServerSentEvent, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        EventStream {
            res: sse_headers(axum::response::sse::Sse::new(events).into_response()),
            item: PhantomData,
        }
    }

    /// The same, with keep-alive comments on an idle stream.
    pub fn with_keep_alive<St, E>(events: St, keep_alive: KeepAlive) -> Self
    where
        St: Stream<Item = Result<ServerSentEvent, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        EventStream {
            res: sse_headers(
                axum::response::sse::Sse::new(events)
                    .keep_alive(keep_alive)
                    .into_response(),
            ),
            item: PhantomData,
        }
    }
}

impl<T: serde::Serialize + Send + 'static> EventStream<crate::Json<T>> {
    /// Sends each item as one event whose `data` is the item's JSON.
    pub fn json<St>(items: St) -> Self
    where
        St: Stream<Item = T> + Send + 'static,
    {
        let events = items.map(|item| {
            let data = serde_json::to_string(&item).map_err(std::io::Error::other)?;
            Ok::<_, std::io::Error>(ServerSentEvent::default().data(data))
        });
        EventStream {
            res: sse_headers(axum::response::sse::Sse::new(events).into_response()),
            item: PhantomData,
        }
    }
}

/// What an event stream documents as its items' `data`: plain events
/// (`ServerSentEvent`) say nothing, `Json<T>` items give `T`'s schema.
pub trait EventItem {
    /// The `data` schema, if the items are typed.
    fn data_schema(cx: &mut crate::openapi::parts::Describe) -> Option<schemars::Schema>;
}

impl EventItem for ServerSentEvent {
    fn data_schema(_: &mut crate::openapi::parts::Describe) -> Option<schemars::Schema> {
        None
    }
}

impl<T: schemars::JsonSchema> EventItem for crate::Json<T> {
    fn data_schema(cx: &mut crate::openapi::parts::Describe) -> Option<schemars::Schema> {
        Some(cx.output_schema_for::<T>())
    }
}

impl<T: EventItem> Responder for EventStream<T> {
    fn describe(cx: &mut crate::openapi::parts::Describe) {
        let schema = T::data_schema(cx);
        cx.stream("text/event-stream", schema);
    }

    fn respond(self, _cx: &ResponseCtx<'_>) -> Response {
        self.res
    }
}
