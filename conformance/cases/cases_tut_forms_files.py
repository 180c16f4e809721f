from _lib import form, json_body, multipart

CASES = [
    form("login", "/login/", [("username", "ann"), ("password", "long enough")]),
    form("login short", "/login/", [("username", "ann"), ("password", "pw")], bad=True),
    form("login missing", "/login/", [], bad=True),
    json_body("login json", "/login/", {"username": "ann", "password": "long enough"}, bad=True),
    multipart("cover", "/covers/", [("cover", "c.png", "image/png", "PNG!"), ("caption", None, None, "front")]),
    multipart("cover no caption", "/covers/", [("cover", "c.png", "image/png", "PNG!")]),
    multipart("cover missing", "/covers/", [("caption", None, None, "front")], bad=True),
    multipart("cover as text", "/covers/", [("cover", None, None, "not a file")], bad=True),
    multipart("scans", "/scans/", [("scans", "a.png", "image/png", "A"), ("scans", "b.png", "image/png", "B")]),
    multipart("scans none", "/scans/", [("other", None, None, "x")], bad=True),
    multipart("raw", "/raw/", [("blob", "b.bin", "application/octet-stream", "12345")]),
    multipart("raw missing", "/raw/", [], bad=True),
    multipart("raw as a text field", "/raw/", [("blob", None, None, "héllo")]),
    form("raw as a urlencoded field", "/raw/", [("blob", "abc")]),
    multipart("raw empty text field", "/raw/", [("blob", None, None, "")], bad=True),
]
