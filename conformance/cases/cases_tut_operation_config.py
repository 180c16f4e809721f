from _lib import get

CASES = [
    get("books", "/books/"),
    get("authors", "/authors/"),
    get("internal", "/internal/"),
    get("no slash", "/books", bad=True),
]
