from _lib import json_body

V1 = "a8098c1a-f86e-11da-bd1a-00112444be1e"
V4 = "16fd2706-8baf-433b-82eb-8c7fada847da"
V5 = "886313e1-3b8a-5372-9b90-0c9aee199e5d"

CASES = [
    json_body("account masked", "/accounts", {"login": "a", "password": "hunter2"}),
    json_body("account empty secret", "/accounts", {"login": "a", "password": ""}),
    json_body("account token", "/accounts", {"login": "a", "password": "p", "token": "t"}),
    json_body("account length", "/accounts/length", {"login": "a", "password": "hunter2"}),
    json_body("account password number", "/accounts", {"login": "a", "password": 5}, bad=True),
    json_body("account password missing", "/accounts", {"login": "a"}, bad=True),
    json_body("ids v4", "/ids", {"v4": V4}),
    json_body("ids v1", "/ids", {"v1": V1}),
    json_body("ids v5", "/ids", {"v5": V5}),
    json_body("ids v4 given v1", "/ids", {"v4": V1}, bad=True),
    json_body("ids v1 given v4", "/ids", {"v1": V4}, bad=True),
    json_body("ids all wrong", "/ids", {"v4": V5, "v1": V5, "v5": V1}, bad=True),
    json_body("ids v4 not uuid", "/ids", {"v4": "x"}, bad=True),
    json_body("ids v4 number", "/ids", {"v4": 4}, bad=True),
    json_body("ids v4 simple form", "/ids", {"v4": V4.replace("-", "")}),
]
