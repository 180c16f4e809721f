import base64

from _lib import get


def b64(text):
    return base64.b64encode(text.encode()).decode()


CASES = [
    get("bearer", "/bearer", headers=[("authorization", "Bearer abc")]),
    get("bearer inner spaces stripped", "/bearer", headers=[("authorization", "Bearer  a b ")]),
    get("bearer lower case scheme", "/bearer", headers=[("authorization", "bearer abc")]),
    get("bearer missing", "/bearer", bad=True),
    get("bearer only spaces", "/bearer", headers=[("authorization", "Bearer    ")], bad=True),
    get("bearer other scheme", "/bearer", headers=[("authorization", "Basic abc")], bad=True),
    get("basic", "/basic", headers=[("authorization", "Basic " + b64("ann:pw"))]),
    get("basic padded", "/basic", headers=[("authorization", "Basic   " + b64("ann:pw") + "  ")]),
    get("basic missing realm", "/basic", bad=True),
    get("basic not base64 realm", "/basic", headers=[("authorization", "Basic !!!")], bad=True),
    get("basic no colon realm", "/basic", headers=[("authorization", "Basic " + b64("ann"))], bad=True),
    get("basic other scheme realm", "/basic", headers=[("authorization", "Bearer x")], bad=True),
    get("maybe basic absent", "/maybe-basic"),
    get("maybe basic bad", "/maybe-basic", headers=[("authorization", "Basic !!!")], bad=True),
    get("maybe basic given", "/maybe-basic", headers=[("authorization", "Basic " + b64("bo:x"))]),
    get("key", "/key", headers=[("X-API-Key", "k1")]),
    get("key lower case header", "/key", headers=[("x-api-key", "k2")]),
    get("key missing", "/key", bad=True),
    get("key empty", "/key", headers=[("x-api-key", "")], bad=True),
    get("maybe key", "/maybe-key?Token=t1"),
    get("maybe key wrong case", "/maybe-key?token=t1", bad=True),
    get("maybe key absent", "/maybe-key"),
    get("cookie", "/cookie", headers=[("cookie", "Session-Id=s1")]),
    get("cookie wrong case", "/cookie", headers=[("cookie", "session-id=s1")], bad=True),
    get("oauth", "/oauth", headers=[("authorization", "Bearer tok")]),
    get("oauth missing", "/oauth", bad=True),
]
