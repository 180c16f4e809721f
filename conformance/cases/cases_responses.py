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
    # set_cookie quotes as Python's http.cookies does: legal characters bare,
    # others in quotes, `;` `,` controls and latin-1 as octal escapes.
    get("cookie value legal", "/cookie-value?v=~!%23%24%25%26'*%2B-.%5E_%60%7C%3A"),
    get("cookie value space", "/cookie-value?v=a+b"),
    get("cookie value separators", "/cookie-value?v=a%3Bb%2Cc%3Dd"),
    get("cookie value quote and backslash", "/cookie-value?v=q%22x%5Cy"),
    get("cookie value latin-1 and control", "/cookie-value?v=caf%C3%A9%09%7F"),
    get("cookie value brackets", "/cookie-value?v=()%5B%5D%7B%7D%3C%3E%2F%3F%40"),
    get("cookie value empty", "/cookie-value?v="),
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
