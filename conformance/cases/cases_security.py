import base64

from _lib import form, get

def b64(s):
    return base64.b64encode(s.encode()).decode()

CASES = [
    form("token ok", "/token", [("username", "ann"), ("password", "pw")]),
    form("token scopes", "/token", [("username", "ann"), ("password", "pw"), ("scope", "items:read  me")]),
    form("token grant type", "/token", [("grant_type", "password"), ("username", "a"), ("password", "p")]),
    form("token bad grant type", "/token", [("grant_type", "client"), ("username", "a"), ("password", "p")], bad=True),
    form("token missing", "/token", [], bad=True),
    get("oauth ok", "/oauth", [("authorization", "Bearer abc")]),
    get("oauth lowercase scheme", "/oauth", [("authorization", "bearer abc")]),
    get("oauth empty token", "/oauth", [("authorization", "Bearer ")]),
    get("oauth missing", "/oauth", bad=True),
    get("oauth wrong scheme", "/oauth", [("authorization", "Basic abc")], bad=True),
    get("oauth no space", "/oauth", [("authorization", "Bearerabc")], bad=True),
    get("bearer ok", "/bearer", [("authorization", "Bearer abc.def")]),
    get("oauth non-ascii token read as latin-1", "/oauth", [("authorization", "Bearer clé".encode())]),
    get("bearer non-ascii credentials read as latin-1", "/bearer", [("authorization", "Bearer ñ.é".encode())]),
    get("api key header non-ascii read as latin-1", "/key-header", [("x-api-key", "kéy".encode())]),
    get("bearer missing", "/bearer", bad=True),
    get("bearer wrong scheme", "/bearer", [("authorization", "Token abc")], bad=True),
    get("bearer empty credentials", "/bearer", [("authorization", "Bearer ")], bad=True),
    get("bearer only scheme", "/bearer", [("authorization", "Bearer")], bad=True),
    get("maybe bearer none", "/maybe-bearer"),
    get("maybe bearer ok", "/maybe-bearer", [("authorization", "Bearer t")]),
    get("maybe bearer wrong scheme", "/maybe-bearer", [("authorization", "Basic t")], bad=True),
    get("basic ok", "/basic", [("authorization", "Basic " + b64("ann:secret"))]),
    get("basic colon in password", "/basic", [("authorization", "Basic " + b64("ann:se:cret"))]),
    get("basic missing", "/basic", bad=True),
    get("basic wrong scheme", "/basic", [("authorization", "Bearer x")], bad=True),
    get("basic not base64", "/basic", [("authorization", "Basic !!!")], bad=True),
    get("basic no colon", "/basic", [("authorization", "Basic " + b64("annsecret"))], bad=True),
    get("key header ok", "/key-header", [("x-api-key", "k1")]),
    get("key header missing", "/key-header", bad=True),
    get("key header empty", "/key-header", [("x-api-key", "")], bad=True),
    get("key query ok", "/key-query?api_key=k2"),
    get("key query missing", "/key-query", bad=True),
    get("key query empty", "/key-query?api_key=", bad=True),
    get("key cookie ok", "/key-cookie", [("cookie", "session=k3")]),
    get("key cookie missing", "/key-cookie", bad=True),
]
