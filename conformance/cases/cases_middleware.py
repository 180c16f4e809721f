from _lib import get

H = ("host", "testserver")
GZ = ("accept-encoding", "gzip")
ID = ("accept-encoding", "identity")

CASES = [
    get("big gzipped", "/big", [H, GZ]),
    get("big gzip among others", "/big", [H, ("accept-encoding", "br;q=1.0, gzip;q=0.8")]),
    get("big identity", "/big", [H, ID]),
    get("small not gzipped", "/small", [H, GZ]),
    get("text gzipped", "/text", [H, GZ]),
    get("host with port", "/small", [("host", "testserver:8000"), ID]),
    get("host evil", "/small", [("host", "evil.com"), ID], bad=True),
    get("host wildcard sub", "/small", [("host", "api.example.org"), ID]),
    get("host wildcard deep", "/small", [("host", "a.b.example.org"), ID]),
    get("host wildcard bare", "/small", [("host", "example.org"), ID], bad=True),
    get("host www redirect", "/small?x=1", [("host", "example.com"), ID], bad=True),
    get("host www exact", "/small", [("host", "www.example.com"), ID]),
    get("host empty", "/small", [("host", ""), ID], bad=True),
    get("unknown path gzipped", "/nope", [H, GZ], bad=True),
]
CASES += [
    get("big gzipped with origin: one vary", "/big", [H, GZ, ("origin", "https://a.example")]),
    get("big gzipped other origin", "/big", [H, GZ, ("origin", "https://b.example")], bad=True),
    get("small with origin", "/small", [H, GZ, ("origin", "https://a.example")]),
    get("text route vary merged", "/vary", [H, GZ, ("origin", "https://a.example")]),
]
