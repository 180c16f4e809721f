from _lib import get, json_body

CASES = [
    json_body("create", "/items/", {"name": "Gun"}),
    json_body("create bad", "/items/", {"description": "no name"}, bad=True),
    get("list", "/items/"),
    get("only", "/only"),
]
