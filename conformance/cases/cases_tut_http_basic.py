from _lib import get

CASES = [
    get("no credentials", "/back-office/", bad=True),
    get("right", "/back-office/", headers=[("authorization", "Basic Y2xlcms6b3BlbiBzZXNhbWU=")]),
    get("wrong", "/back-office/", headers=[("authorization", "Basic Y2xlcms6bm8=")], bad=True),
    get("malformed", "/back-office/", headers=[("authorization", "Basic !!!")], bad=True),
    get("key missing", "/feed/", bad=True),
    get("key", "/feed/", headers=[("x-api-key", "k-123")]),
    get("key wrong", "/feed/", headers=[("x-api-key", "k-9")], bad=True),
]
