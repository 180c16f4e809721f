from _lib import get, json_body

CASES = [
    json_body("create", "/readers/", {"name": "ann", "password": "pw"}),
    json_body("create email", "/readers/", {"name": "ann", "password": "pw", "email": "a@x"}),
    json_body("create bad", "/readers/", {"name": "ann"}, bad=True),
    get("exclude none", "/readers/bo"),
    get("list", "/readers/"),
]
