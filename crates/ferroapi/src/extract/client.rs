//! The client's address: FastAPI's `request.client.host`, as uvicorn gives
//! it (its `--proxy-headers` on by default, `FORWARDED_ALLOW_IPS` saying
//! which peers' `X-Forwarded-For` is believed).

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use super::{Extract, Outcome, ParamSpec, RequestCtx};

/// Set once a route that takes a [`ClientAddr`] is built: only then does
/// `App::serve` record each request's peer (an extension insert per
/// request, which no other app pays for).
static WANTED: AtomicBool = AtomicBool::new(false);

/// The peer of the connection a request came on, and the server's end of
/// it, as `App::serve` records them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Peer(pub(crate) SocketAddr, pub(crate) Option<Server>);

/// The server a request reached (uvicorn's ASGI `server`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Server {
    /// The connection's local address.
    Addr(SocketAddr),
    /// A name and port (`TestClient`'s, as Starlette's: `testserver`, 80).
    Named(&'static str, u16),
}

/// Whether the server should record peers.
pub(crate) fn wanted() -> bool {
    WANTED.load(Ordering::Relaxed)
}

/// Asks the server to record peers (a parameter that reads them was built).
pub(super) fn want() {
    WANTED.store(true, Ordering::Relaxed);
}

/// The address of the client (FastAPI's `request.client.host`).
///
/// The peer of the connection, unless that peer is a trusted proxy: then the
/// right-most address of `X-Forwarded-For` that is not itself trusted (all
/// trusted: the left-most), as uvicorn's proxy-headers middleware reads it.
/// Trusted peers come from `FORWARDED_ALLOW_IPS` (comma-separated addresses,
/// or `*`; default `127.0.0.1`, uvicorn's), read once.
///
/// `None` when the app is not served by `App::serve` (under `TestClient`:
/// `127.0.0.1`, as Starlette's test client gives `testclient`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub Option<IpAddr>);

/// Which peers' forwarding headers are believed.
#[derive(Debug)]
enum Trusted {
    All,
    These(Vec<IpAddr>),
}

fn trusted() -> &'static Trusted {
    static TRUSTED: OnceLock<Trusted> = OnceLock::new();
    TRUSTED.get_or_init(|| {
        let raw = std::env::var("FORWARDED_ALLOW_IPS").unwrap_or_else(|_| "127.0.0.1".into());
        if raw.split(',').any(|s| s.trim() == "*") {
            return Trusted::All;
        }
        Trusted::These(
            raw.split(',')
                .filter_map(|s| s.trim().parse().ok())
                .collect(),
        )
    })
}

pub(super) fn is_trusted(ip: &IpAddr) -> bool {
    match trusted() {
        Trusted::All => true,
        Trusted::These(list) => {
            list.contains(ip) || ip.to_canonical() != *ip && list.contains(&ip.to_canonical())
        }
    }
}

/// The client behind `peer`, given the request's `X-Forwarded-For` values.
pub(crate) fn client_of<'a>(peer: IpAddr, forwarded: impl Iterator<Item = &'a [u8]>) -> IpAddr {
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = forwarded
        .filter_map(|v| std::str::from_utf8(v).ok())
        .flat_map(|v| v.split(','))
        .filter_map(|h| h.trim().parse().ok())
        .collect();
    hops.iter()
        .rev()
        .find(|h| !is_trusted(h))
        .or(hops.first())
        .copied()
        .unwrap_or(peer)
}

impl<S: Sync> Extract<S> for ClientAddr {
    fn prepare(_spec: &'static ParamSpec) {
        WANTED.store(true, Ordering::Relaxed);
    }

    async fn extract(cx: &mut RequestCtx<'_, S>, _spec: &'static ParamSpec) -> Outcome<Self> {
        let parts = cx.parts();
        let Some(Peer(peer, _)) = parts.extensions.get::<Peer>().copied() else {
            return Outcome::Value(ClientAddr(None));
        };
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .map(|v| v.as_bytes());
        Outcome::Value(ClientAddr(Some(client_of(peer.ip(), forwarded))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_is_believed_from_trusted_peers_only() {
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        let other: IpAddr = "10.1.2.3".parse().unwrap();
        let xff = [b"203.0.113.7, 127.0.0.1".as_slice()];
        assert_eq!(
            client_of(local, xff.into_iter()),
            "203.0.113.7".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_of(other, xff.into_iter()), other);
        // A spoofed left part is not taken: the right-most untrusted hop is.
        let xff = [b"1.1.1.1, 198.51.100.2".as_slice()];
        assert_eq!(
            client_of(local, xff.into_iter()),
            "198.51.100.2".parse::<IpAddr>().unwrap()
        );
        assert_eq!(client_of(local, std::iter::empty()), local);
        let junk = [b"not an address".as_slice()];
        assert_eq!(client_of(local, junk.into_iter()), local);
    }
}
