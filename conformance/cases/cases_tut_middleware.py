from _lib import get, req

CASES = [
    get("plain", "/books/"),
    get("origin", "/books/", headers=[("origin", "https://shop.example")]),
    get("other origin", "/books/", headers=[("origin", "https://evil.example")]),
    get("not found", "/nowhere", bad=True),
    req("preflight", "OPTIONS", "/books/", headers=[("origin", "https://shop.example"), ("access-control-request-method", "GET"), ("access-control-request-headers", "x-token")]),
    req("preflight bad origin", "OPTIONS", "/books/", headers=[("origin", "https://evil.example"), ("access-control-request-method", "GET")], bad=True),
    req("preflight bad method", "OPTIONS", "/books/", headers=[("origin", "https://shop.example"), ("access-control-request-method", "DELETE")], bad=True),
]
