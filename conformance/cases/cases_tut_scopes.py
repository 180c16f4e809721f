from _lib import get

CASES = [
    get("read", "/books/", headers=[("authorization", "Bearer ann:books:read")]),
    get("no token", "/books/", bad=True),
    get("edit without write", "/books/edit", headers=[("authorization", "Bearer ann:books:read")], bad=True),
    get("edit", "/books/edit", headers=[("authorization", "Bearer ann:books:read books:write")]),
    get("basic instead", "/books/", headers=[("authorization", "Basic YTpi")], bad=True),
]
