from _lib import json_body

CASES = [
    json_body("ok", "/books/", {"title": "Odes", "price": 9.5}),
    json_body("isbn", "/books/", {"title": "Odes", "price": 9.5, "isbn": "9780000000002", "pages": 80}),
    json_body("everything wrong", "/books/", {"title": "", "price": 0, "pages": 0, "isbn": "12"}, bad=True),
    json_body("long title", "/books/", {"title": "x" * 101, "price": 1}, bad=True),
    json_body("pages high", "/books/", {"title": "Odes", "price": 1, "pages": 5001}, bad=True),
    json_body("isbn null", "/books/", {"title": "Odes", "price": 1, "isbn": None}),
    json_body("price negative", "/books/", {"title": "Odes", "price": -1}, bad=True),
]
