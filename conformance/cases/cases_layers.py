from _lib import get, req

O = ("origin", "https://a.example")
GZ = ("accept-encoding", "gzip")

CASES = [
    get("simple request: inner, CORS, outer, gzip", "/hello", [O, GZ]),
    get("no origin: no CORS header for outer to see", "/hello", [GZ]),
    get("other origin", "/hello", [("origin", "https://b.example"), GZ]),
    req("preflight answered by CORS, seen by outer, not inner", "OPTIONS", "/hello",
        [O, ("access-control-request-method", "GET"), ("access-control-request-headers", "x-token")]),
    req("preflight refused method, seen by outer", "OPTIONS", "/hello",
        [O, ("access-control-request-method", "DELETE")], bad=True),
    get("inner's own answer gets CORS headers", "/blocked", [O, GZ], bad=True),
    get("unknown path through every layer", "/nope", [O, GZ], bad=True),
]
