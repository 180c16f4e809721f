from _lib import get, req

CASES = [
    get("ok", "/items/3?q=1"),
    get("validation through handler", "/items/x", bad=True),
    get("two errors through handler", "/items/x?q=y", bad=True),
    get("http exception through handler", "/items/0", bad=True),
    get("404 through handler", "/nowhere", bad=True),
    req("405 through handler", "POST", "/items/3", bad=True),
]
