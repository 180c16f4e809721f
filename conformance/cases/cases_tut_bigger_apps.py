from _lib import get, req

CASES = [
    get("books", "/books/"),
    get("book", "/books/odes"),
    get("no book", "/books/epics", bad=True),
    req("restock", "POST", "/admin/restock", headers=[("x-token", "admin")]),
    req("restock refused", "POST", "/admin/restock", headers=[("x-token", "no")], bad=True),
    req("restock missing", "POST", "/admin/restock", bad=True),
]
