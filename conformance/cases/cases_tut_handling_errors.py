from _lib import get, req

CASES = [
    get("found", "/books/odes"),
    get("missing", "/books/epics", bad=True),
    req("out of stock", "POST", "/orders/odes", bad=True),
    get("wrong method", "/orders/odes", bad=True),
]
