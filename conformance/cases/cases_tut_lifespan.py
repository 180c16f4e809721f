from _lib import get

CASES = [
    get("found", "/books/odes"),
    get("missing", "/books/epics", bad=True),
]
