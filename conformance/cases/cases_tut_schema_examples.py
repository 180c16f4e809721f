from _lib import json_body

CASES = [
    json_body("book", "/books/", {"title": "Odes", "price": "9.5"}),
    json_body("book bad", "/books/", {"title": "Odes", "price": "cheap"}, bad=True),
    json_body("reader", "/readers/", {"name": "Ann", "age": 30}),
    json_body("reader bad", "/readers/", {"name": "Ann"}, bad=True),
]
