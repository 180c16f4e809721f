from _lib import get, req

CASES = [
    get("redirect keeps path and query", "/x?q=1&r=%20", [("host", "testserver")], bad=True),
    get("redirect keeps a port", "/x", [("host", "testserver:8080")], bad=True),
    get("redirect drops port 80", "/x", [("host", "testserver:80")], bad=True),
    get("redirect unknown path", "/nope", [("host", "testserver")], bad=True),
    req("redirect post", "POST", "/x", [("host", "testserver")], bad=True),
    get("behind a proxy that says https", "/x", [("host", "testserver"), ("x-forwarded-proto", "https")], bad=True),
]
