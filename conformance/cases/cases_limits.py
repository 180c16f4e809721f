from _lib import form, json_body, multipart, raw, req

BIG = {"k": "x" * 100}

CASES = [
    json_body("app limit fits", "/echo", {"a": 1}),
    json_body("app limit exceeded", "/echo", BIG, bad=True),
    json_body("route smaller limit fits", "/small", {}),
    json_body("route smaller limit exceeded", "/small", {"a": 12}, bad=True),
    json_body("route larger than app", "/large", BIG),
    json_body("router limit exceeded", "/loose/echo", {"k": "x" * 40}, bad=True),
    json_body("router larger than app", "/roomy/echo", BIG),
    json_body("route inside router smaller", "/roomy/tiny", {"a": 1}, bad=True),
    raw("strict no content type is not json", "/echo", '{"a": 1}', content_type=None),
    raw("loose no content type is json", "/loose/echo", '{"a": 1}', content_type=None, bad=False),
    raw("loose text plain still not json", "/loose/echo", '{"a": 1}', content_type="text/plain"),
    raw("loose no content type bad json", "/loose/echo", '{"a": ', content_type=None),
    form("form fits", "/form", [("a", "1"), ("b", "2")]),
    form("form too many fields", "/form", [("a", "1"), ("b", "2"), ("c", "3")], bad=True),
    form("form part too large", "/form", [("a", "x" * 1100)], bad=True),
    multipart("upload one", "/upload", [("files", "a.txt", "text/plain", "hi")]),
    multipart("upload too many files", "/upload", [("files", "a.txt", "text/plain", "hi"), ("files", "b.txt", "text/plain", "ho")], bad=True),
]
CASES += [
    multipart("multipart too many fields", "/form", [("a", None, None, "1"), ("b", None, None, "2"), ("c", None, None, "3")], bad=True),
    multipart("multipart part too large", "/form", [("a", None, None, "y" * 1500)], bad=True),
    form("form part at limit", "/form", [("a", "z" * 1024)]),
]
