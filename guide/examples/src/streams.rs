//! Chapter "Server-sent events and JSON Lines".

use ferroapi::{get, App, EventStream, JsonLines, ServerSentEvent};
use futures_util::stream;
use serde::Serialize;

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Arrival {
    pub title: String,
    pub copies: i64,
}

fn arrivals() -> Vec<Arrival> {
    vec![
        Arrival {
            title: "Odes".into(),
            copies: 2,
        },
        Arrival {
            title: "Fables".into(),
            copies: 1,
        },
    ]
}

// ANCHOR: jsonl
/// One JSON document per line (`application/jsonl`).
#[get("/arrivals.jsonl")]
async fn arrivals_jsonl() -> JsonLines<Arrival> {
    JsonLines::new(stream::iter(arrivals()))
}
// ANCHOR_END: jsonl

// ANCHOR: sse
/// Server-sent events, one per arrival.
#[get("/arrivals/events")]
async fn arrivals_events() -> EventStream {
    let events = arrivals().into_iter().enumerate().map(|(i, a)| {
        Ok::<_, std::convert::Infallible>(
            ServerSentEvent::default()
                .event("arrival")
                .data(format!("{} x{}", a.title, a.copies))
                .id(i.to_string()),
        )
    });
    EventStream::new(stream::iter(events))
}
// ANCHOR_END: sse

/// The chapter's app.
pub fn app() -> App {
    App::new().route(arrivals_jsonl).route(arrivals_events)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ferroapi::TestClient;

    #[tokio::test]
    async fn lines_and_events() {
        let client = TestClient::new(app());
        let res = client.get("/arrivals.jsonl").send().await;
        assert_eq!(res.header("content-type"), Some("application/jsonl"));
        assert_eq!(
            res.text(),
            "{\"title\":\"Odes\",\"copies\":2}\n{\"title\":\"Fables\",\"copies\":1}\n"
        );
        let res = client.get("/arrivals/events").send().await;
        assert_eq!(
            res.header("content-type"),
            Some("text/event-stream; charset=utf-8")
        );
        assert!(res.text().starts_with("event: arrival\n"), "{}", res.text());
        assert!(res.text().contains("data: Odes x2\n"));
    }
}
