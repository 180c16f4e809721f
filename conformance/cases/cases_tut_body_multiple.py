from _lib import json_body

BOOK = {"title": "Odes", "price": 2}
CASES = [
    json_body("all", "/loans/1", {"book": BOOK, "reader": {"name": "ann"}, "weeks": 2}, method="PUT"),
    json_body("missing reader", "/loans/1", {"book": BOOK, "weeks": 9}, method="PUT", bad=True),
    json_body("weeks zero", "/loans/1", {"book": BOOK, "reader": {"name": "ann"}, "weeks": 0}, method="PUT", bad=True),
    json_body("weeks text", "/loans/1", {"book": BOOK, "reader": {"name": "ann"}, "weeks": "3"}, method="PUT"),
    json_body("not embedded", "/loans/1", BOOK, method="PUT", bad=True),
    json_body("nested bad", "/loans/x", {"book": {"title": 1}, "reader": {}, "weeks": []}, method="PUT", bad=True),
    json_body("wrapped", "/wrapped/", {"book": BOOK}),
    json_body("wrapped bare", "/wrapped/", BOOK, bad=True),
]
