from _lib import get, req

A = "https://app.example.com"
CASES = [
    get("simple no origin", "/items"),
    get("simple allowed origin", "/items", [("origin", A)]),
    get("simple other origin", "/items", [("origin", "https://evil.com")], bad=True),
    req("post allowed origin", "POST", "/items", [("origin", "http://localhost:5173")]),
    req("preflight ok", "OPTIONS", "/items", [("origin", A), ("access-control-request-method", "POST")]),
    req("preflight with headers", "OPTIONS", "/items", [("origin", A), ("access-control-request-method", "DELETE"), ("access-control-request-headers", "Authorization, Content-Type")]),
    req("preflight bad origin", "OPTIONS", "/items", [("origin", "https://evil.com"), ("access-control-request-method", "GET")], bad=True),
    req("preflight bad method", "OPTIONS", "/items", [("origin", A), ("access-control-request-method", "PUT")], bad=True),
    req("preflight bad header", "OPTIONS", "/items", [("origin", A), ("access-control-request-method", "GET"), ("access-control-request-headers", "x-secret")], bad=True),
    req("preflight all bad", "OPTIONS", "/items", [("origin", "https://evil.com"), ("access-control-request-method", "PUT"), ("access-control-request-headers", "x-secret")], bad=True),
    req("options without request method", "OPTIONS", "/items", [("origin", A)], bad=True),
    req("preflight unknown path", "OPTIONS", "/nowhere", [("origin", A), ("access-control-request-method", "GET")]),
    get("not found with origin", "/nowhere", [("origin", A)], bad=True),
    # allow_origin_regex: matched against the whole origin.
    get("regex origin", "/items", [("origin", "https://pr-12.preview.example.com")]),
    get("regex origin prefix only", "/items", [("origin", "https://pr-12.preview.example.com.evil.com")], bad=True),
    get("regex origin no match", "/items", [("origin", "https://preview.example.com")], bad=True),
    req("regex preflight", "OPTIONS", "/items", [("origin", "https://pr-12.preview.example.com"), ("access-control-request-method", "POST")]),
    req("regex preflight refused", "OPTIONS", "/items", [("origin", "http://pr-12.preview.example.com"), ("access-control-request-method", "POST")], bad=True),
]
