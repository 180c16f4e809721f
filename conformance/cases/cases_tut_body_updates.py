from _lib import json_body

CASES = [
    json_body("price", "/books/odes", {"price": 7}, method="PATCH"),
    json_body("summary", "/books/odes", {"summary": "Short."}, method="PATCH"),
    json_body("summary null", "/books/odes", {"summary": None, "title": "Odes II"}, method="PATCH"),
    json_body("nothing", "/books/odes", {}, method="PATCH"),
    json_body("missing book", "/books/epics", {}, method="PATCH", bad=True),
    json_body("bad price", "/books/odes", {"price": "free"}, method="PATCH", bad=True),
    json_body("not object", "/books/odes", [], method="PATCH", bad=True),
]
