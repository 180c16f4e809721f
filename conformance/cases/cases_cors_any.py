from _lib import get, req

O = ("origin", "http://localhost:5173")
CASES = [
    req("preflight with headers", "OPTIONS", "/items", [O, ("access-control-request-method", "PATCH"), ("access-control-request-headers", "Authorization, X-Custom")]),
    req("preflight without headers", "OPTIONS", "/items", [O, ("access-control-request-method", "DELETE")]),
    req("preflight other origin", "OPTIONS", "/items", [("origin", "http://evil.example"), ("access-control-request-method", "GET")], bad=True),
    get("simple request", "/items", [O]),
    get("simple request other origin", "/items", [("origin", "http://evil.example")]),
]
