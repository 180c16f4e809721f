from _lib import get

CASES = [
    get("books", "/books/"),
    get("redoc off", "/redoc", bad=True),
    get("default document gone", "/openapi.json", bad=True),
]
