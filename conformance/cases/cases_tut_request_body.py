from _lib import json_body, raw, req

CASES = [
    json_body("create", "/books/", {"title": "Odes", "price": 10.5}),
    json_body("create tax", "/books/", {"title": "Odes", "price": "10.5", "tax": 1.5}),
    json_body("missing", "/books/", {"price": "cheap"}, bad=True),
    json_body("not object", "/books/", [1, 2], bad=True),
    json_body("title int", "/books/", {"title": 5, "price": 1}, bad=True),
    raw("broken json", "/books/", '{"title": "x",'),
    raw("no content type", "/books/", '{"title": "x", "price": 1}', content_type=None),
    req("empty", "POST", "/books/", bad=True),
    json_body("put", "/books/3?q=x", {"title": "Odes", "price": 2}, method="PUT"),
    json_body("put bad", "/books/x", {"title": "Odes"}, method="PUT", bad=True),
]
CASES += [
    json_body("array for model", "/books/", ["Odes", None, 9.5, None], bad=True),
    json_body("array nested", "/books/", {"title": "Odes", "price": [1]}, bad=True),
]
