//! A request body as `App::serve` hands it to the app: hyper's body with a
//! stall timeout ([`ServerConfig::body_timeout`](crate::ServerConfig)), and
//! the one reader of whole bodies (`read`) that routes use.
//!
//! The timer is armed only while the body is waiting for the client. A body
//! that arrived with its head (the usual small JSON body) is read without a
//! timer ever being registered; tower-http's `TimeoutBody` arms one on every
//! poll.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};

pin_project_lite::pin_project! {
    /// A body whose wait for its next piece is limited to `timeout`.
    pub(crate) struct StallTimeout<B> {
        #[pin]
        inner: B,
        timeout: Duration,
        // Boxed: only a body that has to wait pays for a timer.
        sleep: Option<Pin<Box<tokio::time::Sleep>>>,
    }
}

impl<B> StallTimeout<B> {
    pub(crate) fn new(inner: B, timeout: Duration) -> Self {
        StallTimeout {
            inner,
            timeout,
            sleep: None,
        }
    }
}

/// The client sent no part of the body for the server's body timeout.
#[derive(Debug, thiserror::Error)]
#[error("the client sent no part of the request body in time")]
pub(crate) struct BodyTimedOut;

impl<B> Body for StallTimeout<B>
where
    B: Body,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    type Data = B::Data;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let this = self.project();
        if let Poll::Ready(frame) = this.inner.poll_frame(cx) {
            // Something came: the next wait starts afresh.
            *this.sleep = None;
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        let timeout = *this.timeout;
        let sleep = this
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        match sleep.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(BodyTimedOut)))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// Why a whole body could not be read.
pub(crate) enum ReadError {
    /// More than the limit.
    TooLarge,
    /// The body failed (the client went away, sent a broken chunk, or
    /// stalled: [`BodyTimedOut`] somewhere in the error's sources).
    Failed(axum::Error),
}

/// Reads a whole body of at most `limit` bytes. A body that comes as one
/// piece (the usual case) is handed over as it came, with no copy and no
/// allocation of its own.
pub(crate) async fn read(mut body: axum::body::Body, limit: usize) -> Result<Bytes, ReadError> {
    if body.size_hint().lower() > limit as u64 {
        return Err(ReadError::TooLarge);
    }
    let mut first: Option<Bytes> = None;
    let mut joined: Option<Vec<u8>> = None;
    let mut len = 0usize;
    while !body.is_end_stream() {
        let Some(frame) = std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await
        else {
            break;
        };
        let Ok(data) = frame.map_err(ReadError::Failed)?.into_data() else {
            // Trailers: not part of the body.
            continue;
        };
        len = len.saturating_add(data.len());
        if len > limit {
            return Err(ReadError::TooLarge);
        }
        if data.is_empty() {
            continue;
        }
        match (&mut joined, first.take()) {
            (Some(all), _) => {
                if all.capacity() - all.len() < data.len() {
                    // Where the client said its body ends, when it said.
                    let declared = body
                        .size_hint()
                        .exact()
                        .map(|rest| len.saturating_add(rest as usize));
                    all.reserve_exact(grown(all.capacity(), len, declared) - all.len());
                }
                all.extend_from_slice(&data);
            }
            (None, None) => first = Some(data),
            (None, Some(head)) => {
                // What the client declared is reserved only as far as what
                // it has sent so far (at least 64 KiB ahead): a length that is
                // declared and never sent costs nothing up front, and a body
                // that does arrive grows by doubling.
                let hint = body.size_hint();
                let remaining = hint.exact().unwrap_or(hint.lower()) as usize;
                let ahead = remaining.min(len.max(RESERVE_AHEAD));
                let mut all = Vec::with_capacity((len + ahead).min(limit));
                all.extend_from_slice(&head);
                all.extend_from_slice(&data);
                joined = Some(all);
            }
        }
    }
    Ok(match joined {
        Some(all) => Bytes::from(all),
        None => first.unwrap_or_default(),
    })
}

/// The least a body being joined reserves beyond what has arrived.
const RESERVE_AHEAD: usize = 64 * 1024;

/// The capacity a body being joined grows to when `needed` bytes no longer
/// fit in `capacity`: doubling, but never past the length the client
/// declared (`declared`, when it did and is still within it), so a 15 MB body
/// holds 15 MB, not the 16 or 24 doubling lands on.
fn grown(capacity: usize, needed: usize, declared: Option<usize>) -> usize {
    let doubled = capacity.saturating_mul(2);
    declared.map_or(doubled, |end| doubled.min(end)).max(needed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunked(pieces: &[&'static [u8]]) -> axum::body::Body {
        let stream = futures_util::stream::iter(
            pieces
                .iter()
                .map(|p| Ok::<_, std::convert::Infallible>(Bytes::from_static(p)))
                .collect::<Vec<_>>(),
        );
        axum::body::Body::from_stream(stream)
    }

    #[tokio::test]
    async fn reads_one_piece_many_pieces_and_nothing() {
        let one = Bytes::from_static(b"{\"a\":1}");
        let got = read(axum::body::Body::from(one.clone()), 100)
            .await
            .ok()
            .unwrap();
        assert_eq!(got, one);
        // One piece is handed over as it came.
        assert_eq!(got.as_ptr(), one.as_ptr());
        let got = read(chunked(&[b"ab", b"", b"cd", b"e"]), 5)
            .await
            .ok()
            .unwrap();
        assert_eq!(&got[..], b"abcde");
        let got = read(axum::body::Body::empty(), 0).await.ok().unwrap();
        assert!(got.is_empty());
    }

    proptest::proptest! {
        /// Growth is amortised (at least doubling while the declared end is
        /// far), always makes room, and stops at the declared length.
        #[test]
        fn a_joined_body_grows_by_doubling_up_to_its_declared_length(
            capacity in 1usize..1 << 30,
            extra in 1usize..1 << 20,
            beyond in proptest::option::of(0usize..1 << 31),
        ) {
            let needed = capacity + extra;
            let declared = beyond.map(|b| needed + b);
            let got = grown(capacity, needed, declared);
            proptest::prop_assert!(got >= needed);
            match declared {
                Some(end) => {
                    proptest::prop_assert!(got <= end);
                    proptest::prop_assert!(got >= (capacity * 2).min(end));
                }
                None => proptest::prop_assert!(got >= capacity * 2),
            }
        }
    }

    #[tokio::test]
    async fn pieces_of_a_declared_body_are_joined_whole() {
        // hyper's body says how much is still to come; a stream of pieces
        // with an exact hint, as a body with a content-length arrives.
        let pieces: Vec<Bytes> = (0..40u8).map(|i| Bytes::from(vec![i; 100_000])).collect();
        let total: usize = pieces.iter().map(Bytes::len).sum();
        let body = http_body_util::StreamBody::new(futures_util::stream::iter(
            pieces
                .clone()
                .into_iter()
                .map(|p| Ok::<_, std::convert::Infallible>(Frame::data(p))),
        ));
        let body = Declared {
            inner: body,
            left: total as u64,
        };
        let got = read(axum::body::Body::new(body), total).await.ok().unwrap();
        assert_eq!(got.len(), total);
        assert!(got
            .chunks(100_000)
            .zip(0u8..)
            .all(|(c, i)| c.iter().all(|b| *b == i)));
    }

    pin_project_lite::pin_project! {
        /// A body that declares what is left of it, as hyper's does.
        struct Declared<B> {
            #[pin]
            inner: B,
            left: u64,
        }
    }

    impl<B: Body<Data = Bytes>> Body for Declared<B> {
        type Data = Bytes;
        type Error = B::Error;

        fn poll_frame(
            self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
            let this = self.project();
            let got = this.inner.poll_frame(cx);
            if let Poll::Ready(Some(Ok(f))) = &got {
                if let Some(d) = f.data_ref() {
                    *this.left -= d.len() as u64;
                }
            }
            got
        }

        fn size_hint(&self) -> SizeHint {
            SizeHint::with_exact(self.left)
        }
    }

    #[tokio::test]
    async fn refuses_more_than_the_limit_however_it_comes() {
        let over = read(axum::body::Body::from("123456"), 5).await;
        assert!(matches!(over, Err(ReadError::TooLarge)));
        let over = read(chunked(&[b"123", b"456"]), 5).await;
        assert!(matches!(over, Err(ReadError::TooLarge)));
        let at = read(chunked(&[b"123", b"45"]), 5).await.ok().unwrap();
        assert_eq!(&at[..], b"12345");
    }

    #[tokio::test(start_paused = true)]
    async fn a_stalled_body_times_out_and_a_steady_one_does_not() {
        // Nothing ever comes: the timeout fires.
        let stalled = StallTimeout::new(
            axum::body::Body::from_stream(futures_util::stream::pending::<
                Result<Bytes, std::convert::Infallible>,
            >()),
            Duration::from_secs(30),
        );
        let err = match read(axum::body::Body::new(stalled), 100).await {
            Err(ReadError::Failed(e)) => e,
            _ => panic!("a stalled body must fail"),
        };
        let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(&err);
        let mut found = false;
        while let Some(c) = cause {
            found |= c.is::<BodyTimedOut>();
            cause = c.source();
        }
        assert!(found, "{err}");
        // Pieces 20 s apart, each within the 30 s wait: read whole.
        let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::convert::Infallible>>(1);
        tokio::spawn(async move {
            for piece in [&b"ab"[..], b"cd"] {
                tokio::time::sleep(Duration::from_secs(20)).await;
                let _ = tx.send(Ok(Bytes::from_static(piece))).await;
            }
        });
        let steady = StallTimeout::new(
            axum::body::Body::from_stream(tokio_stream_of(rx)),
            Duration::from_secs(30),
        );
        let got = read(axum::body::Body::new(steady), 100).await.ok().unwrap();
        assert_eq!(&got[..], b"abcd");
    }

    fn tokio_stream_of<T: Send + 'static>(
        mut rx: tokio::sync::mpsc::Receiver<T>,
    ) -> impl futures_util::Stream<Item = T> + Send {
        futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
    }
}
