//! One spare header map per thread, so that answers do not allocate one.
//!
//! hyper hands a connection's next request the header map of the answer it
//! has just written, and the request's own map is dropped with the request.
//! Without a spare, every answer allocated a new map (two blocks: its index
//! table and its entries) and every request freed one. A request's map,
//! emptied once the route is done with it, is kept here and becomes the
//! next answer's (on this thread), so a keep-alive connection's maps go round
//! between hyper and ferroapi without a new allocation.

use std::cell::Cell;

use http::HeaderMap;

/// A map holding more entries than this is not kept: one request with many
/// headers must not leave a large map on the thread.
const KEEP_AT_MOST: usize = 64;

thread_local! {
    static SPARE: Cell<Option<HeaderMap>> = const { Cell::new(None) };
}

/// Keeps `map`, emptied, for the next answer built on this thread.
pub(crate) fn give(mut map: HeaderMap) {
    if map.capacity() == 0 || map.capacity() > KEEP_AT_MOST {
        return;
    }
    map.clear();
    SPARE.set(Some(map));
}

/// An empty header map for an answer: the spare one when there is one.
pub(crate) fn take() -> HeaderMap {
    SPARE.take().unwrap_or_default()
}

/// `Response::new(body)` with the spare header map.
pub(crate) fn response(body: axum::body::Body) -> axum::response::Response {
    let mut res = axum::response::Response::new(body);
    *res.headers_mut() = take();
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_given_map_comes_back_empty_and_is_taken_once() {
        let mut map = HeaderMap::new();
        map.insert("x-a", "1".parse().unwrap());
        map.insert("x-b", "2".parse().unwrap());
        let capacity = map.capacity();
        give(map);
        let back = take();
        assert!(back.is_empty());
        assert_eq!(back.capacity(), capacity);
        // Taken: the next one is new (and allocates nothing until used).
        assert_eq!(take().capacity(), 0);
    }

    #[test]
    fn a_large_map_is_not_kept() {
        let mut map = HeaderMap::new();
        for i in 0..100 {
            map.insert(
                http::HeaderName::try_from(format!("x-{i}")).unwrap(),
                "v".parse().unwrap(),
            );
        }
        give(map);
        assert_eq!(take().capacity(), 0);
    }
}
