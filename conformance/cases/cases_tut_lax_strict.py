from _lib import json_body

CASES = [
    json_body("lax", "/orders/", {"copies": "3", "gift": "yes", "price": "1.5"}),
    json_body("lax float int", "/orders/", {"copies": 2.0, "gift": 0, "price": 1}),
    json_body("lax bad", "/orders/", {"copies": 2.5, "gift": "maybe", "price": "x"}, bad=True),
    json_body("strict", "/strict-orders/", {"copies": 3, "gift": True}),
    json_body("strict text", "/strict-orders/", {"copies": "3", "gift": 1}, bad=True),
    json_body("strict float", "/strict-orders/", {"copies": 3.0, "gift": "true"}, bad=True),
]
