from _lib import get, req

CASES = [
    get("root", "/"),
    get("unknown path", "/books", bad=True),
    req("wrong method", "POST", "/", bad=True),
    get("query ignored", "/?x=1"),
]
