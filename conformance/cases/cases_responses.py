from _lib import get, json_body, req

CASES = [
    json_body("create user filters password", "/users", {"username": "ann", "password": "secret"}),
    json_body("create user full name", "/users", {"username": "ann", "password": "s", "full_name": "Ann A"}),
    json_body("create user missing password", "/users", {"username": "ann"}, bad=True),
    req("delete user 204", "DELETE", "/users/3"),
    req("delete user bad id", "DELETE", "/users/x", bad=True),
    get("html", "/html"),
    get("text", "/text"),
    get("redirect 307", "/redirect"),
    get("redirect 301", "/moved"),
    get("stream", "/stream"),
    get("headers and cookie", "/headers"),
    get("nulls", "/nulls"),
    get("numbers", "/numbers"),
    get("unicode", "/unicode"),
    get("none", "/none"),
    get("typed list", "/users-list"),
    get("typed bool", "/health"),
    req("post to get route", "POST", "/html", bad=True),
]

CASES += [
    get("profiles exclude none", "/profiles/sparse"),
    get("profiles include", "/profiles/names"),
    get("profiles exclude", "/profiles/public"),
    get("profiles shaped error untouched", "/profiles/missing", bad=True),
]
