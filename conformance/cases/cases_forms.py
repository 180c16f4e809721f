from _lib import form, json_body, multipart, raw, req

CASES = [
    form("login ok", "/login", [("username", "ann"), ("password", "secret")]),
    # Starlette reads a urlencoded body as latin-1 and decodes only its %-escapes
    # as UTF-8: raw UTF-8 bytes arrive as two characters each.
    req("login raw utf-8 read as latin-1", "POST", "/login",
        [("content-type", "application/x-www-form-urlencoded")], "username=café&password=sécret".encode()),
    req("login escapes and raw bytes", "POST", "/login",
        [("content-type", "application/x-www-form-urlencoded")], b"username=caf%C3\xa9+%41&password=s%FFcr\xe9t"),
    form("login remember", "/login", [("username", "ann"), ("password", "secret"), ("remember", "true")]),
    form("login empty username", "/login", [("username", ""), ("password", "secret")], bad=True),
    form("login short password", "/login", [("username", "ann"), ("password", "ab")], bad=True),
    form("login missing all", "/login", [], bad=True),
    form("login bad bool", "/login", [("username", "a"), ("password", "abc"), ("remember", "perhaps")], bad=True),
    form("login duplicate last wins", "/login", [("username", "a"), ("username", "b"), ("password", "abc")]),
    json_body("login json body", "/login", {"username": "ann", "password": "secret"}, bad=True),
    raw("login no content type", "/login", "username=ann&password=secret", content_type=None),
    multipart("login multipart", "/login", [("username", None, None, "ann"), ("password", None, None, "secret")]),
    multipart("login multipart short", "/login", [("username", None, None, "ann"), ("password", None, None, "x")], bad=True),
    form("profile ok", "/profile", [("age", "30"), ("height", "1.8"), ("nickname", "Z")]),
    form("profile age bad", "/profile", [("age", "old")], bad=True),
    form("profile height bad", "/profile", [("age", "3"), ("height", "tall")], bad=True),
    form("profile empty optional", "/profile", [("age", "3"), ("nickname", "")]),
    form("profile age spaces", "/profile", [("age", " 7 ")]),
    multipart("upload ok", "/upload", [("file", "a.txt", "text/plain", "hello")]),
    multipart("upload with note", "/upload", [("file", "b.bin", "application/octet-stream", b"\x00\x01\x02"), ("note", None, None, "n")]),
    multipart("upload text instead of file", "/upload", [("file", None, None, "just text")], bad=True),
    multipart("upload missing", "/upload", [("note", None, None, "n")], bad=True),
    req("upload no boundary", "POST", "/upload", [("content-type", "multipart/form-data")], b"--x\r\n", bad=True),
    req("upload no body", "POST", "/upload", bad=True),
    multipart("upload unicode name", "/upload", [("file", "résumé.txt", "text/plain", "x")]),
    multipart("maybe upload none", "/maybe-upload", [("other", None, None, "1")]),
    multipart("maybe upload file", "/maybe-upload", [("file", "c.txt", "text/plain", "abc")]),
    req("maybe upload empty body", "POST", "/maybe-upload"),
    multipart("uploads two", "/uploads", [("files", "1.txt", "text/plain", "1"), ("files", "2.txt", "text/plain", "2")]),
    multipart("uploads missing", "/uploads", [("x", None, None, "1")], bad=True),
    multipart("uploads text", "/uploads", [("files", None, None, "t")], bad=True),
    # A form model's field constraints hold when the values parse.
    form("signup ok", "/signup", [("username", "alice"), ("age", "30")]),
    form("signup short name and minor", "/signup", [("username", "al"), ("age", "17")], bad=True),
    form("signup long name", "/signup", [("username", "abcdefghi"), ("age", "18")], bad=True),
    form("signup missing age", "/signup", [("username", "alice")], bad=True),
]
CASES += [
    multipart("described upload", "/described", [("file", "a.txt", "text/plain", "hi"), ("title", None, None, "Doc")]),
    multipart("described title too long", "/described", [("file", "a.txt", "text/plain", "hi"), ("title", None, None, "x" * 21)], bad=True),
    multipart("described missing file", "/described", [("title", None, None, "Doc")], bad=True),
]
