from _lib import get, req

CASES = [
    req("create", "POST", "/books/?title=Odes"),
    req("create missing", "POST", "/books/", bad=True),
    req("delete", "DELETE", "/books/1"),
    req("delete bad", "DELETE", "/books/x", bad=True),
    get("teapot", "/teapot"),
]
