from _lib import json_body

COVER = {"url": "http://x.example", "name": "front"}
CASES = [
    json_body("shelf", "/shelves/", {"name": "poetry", "books": [{"title": "Odes", "cover": COVER, "tags": ["a"]}]}),
    json_body("no books", "/shelves/", {"name": "poetry"}, bad=True),
    json_body("bad url", "/shelves/", {"name": "poetry", "books": [{"title": "Odes", "cover": {"url": "ftp://x", "name": "f"}}]}, bad=True),
    json_body("bad deep", "/shelves/", {"name": "poetry", "books": [{"title": 1}, {"tags": "a"}]}, bad=True),
    json_body("ratings", "/ratings/", {"1": 0.5, "2": 1}),
    json_body("ratings bad key", "/ratings/", {"1": 0.5, "two": 1}, bad=True),
    json_body("ratings bad value", "/ratings/", {"1": "much"}, bad=True),
]
