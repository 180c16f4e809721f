from _lib import get, json_body, raw, req

CASES = [
    get("ok", "/items/3?q=1"),
    get("validation through handler", "/items/x", bad=True),
    get("two errors through handler", "/items/x?q=y", bad=True),
    get("http exception through handler", "/items/0", bad=True),
    get("404 through handler", "/nowhere", bad=True),
    req("405 through handler", "POST", "/items/3", bad=True),
    json_body("body ok", "/notes", {"text": "a"}),
    json_body("body invalid through handler", "/notes", {"text": 1}, bad=True),
    raw("invalid JSON through the validation handler", "/notes", '{"text": '),
    req("undecodable body through the HTTPException handler", "POST", "/notes",
        [("content-type", "application/json")], b'{"text": "\xff"}', bad=True),
    raw("invalid JSON answered before the dependency", "/guarded", '{"text": '),
    req("undecodable body answered before the dependency", "POST", "/guarded",
        [("content-type", "application/json")], b'{"text": "\xff"}', bad=True),
    json_body("the dependency before the body's errors", "/guarded", {"text": 1}, bad=True),
    req("both pass", "POST", "/guarded", [("content-type", "application/json"), ("x-token", "s")],
        '{"text": "a"}'),
]
