"""Helpers to declare conformance cases: each case is one HTTP request, marked
`bad` when it is bad input (the suite keeps at least half of them bad)."""
import json as _json

BOUNDARY = "ferroapiboundary1234"


def req(name, method, path, headers=None, body=None, bad=False):
    if isinstance(body, str):
        body = body.encode("utf-8")
    return {"name": name, "method": method, "path": path, "headers": [list(h) for h in (headers or [])],
            "body": body, "bad": bad}


def get(name, path, headers=None, bad=False):
    return req(name, "GET", path, headers, None, bad)


def json_body(name, path, value, method="POST", bad=False):
    return req(name, method, path, [("content-type", "application/json")], _json.dumps(value), bad)


def raw(name, path, text, content_type="application/json", method="POST", bad=True):
    headers = [("content-type", content_type)] if content_type else []
    return req(name, method, path, headers, text, bad)


def form(name, path, pairs, bad=False):
    from urllib.parse import urlencode
    return req(name, "POST", path, [("content-type", "application/x-www-form-urlencoded")], urlencode(pairs), bad)


def multipart(name, path, parts, bad=False):
    """parts: (field, filename or None, content type or None, bytes or str)"""
    out = b""
    for field, filename, ctype, data in parts:
        if isinstance(data, str):
            data = data.encode("utf-8")
        out += f"--{BOUNDARY}\r\n".encode()
        disp = f'Content-Disposition: form-data; name="{field}"'
        if filename is not None:
            disp += f'; filename="{filename}"'
        out += disp.encode() + b"\r\n"
        if ctype:
            out += f"Content-Type: {ctype}\r\n".encode()
        out += b"\r\n" + data + b"\r\n"
    out += f"--{BOUNDARY}--\r\n".encode()
    return req(name, "POST", path, [("content-type", f"multipart/form-data; boundary={BOUNDARY}")], out, bad)
