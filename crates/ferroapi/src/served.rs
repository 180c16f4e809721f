//! What the connection a request came on promises its route.
//!
//! `App::serve` reads no HTTP/1 connection while its request is handled
//! (hyper's `half_close`): nothing drops a route's future when its client
//! leaves, so a route that must run to its end
//! ([`App::finish_on_disconnect`](crate::App::finish_on_disconnect)) needs
//! no task of its own there. The server runs each such connection inside
//! [`unread_while_handled`]; a route asks [`is_unread_while_handled`].

use std::future::Future;

tokio::task_local! {
    static UNREAD_WHILE_HANDLED: ();
}

/// Runs a connection's future as one that is not read while a request of
/// it is handled.
pub(crate) fn unread_while_handled<F: Future>(conn: F) -> impl Future<Output = F::Output> {
    UNREAD_WHILE_HANDLED.scope((), conn)
}

/// Whether the request being handled came on such a connection (an HTTP/2
/// stream never does: its client can reset it).
pub(crate) fn is_unread_while_handled(version: http::Version) -> bool {
    version < http::Version::HTTP_2 && UNREAD_WHILE_HANDLED.try_with(|()| ()).is_ok()
}
