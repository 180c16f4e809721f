from _lib import get

def bearer(token):
    return [("authorization", f"Bearer {token}")]

CASES = [
    get("plain no scopes needed", "/plain", bearer("ann")),
    get("plain missing token", "/plain", bad=True),
    get("me granted", "/me", bearer("ann:me")),
    get("me not granted", "/me", bearer("ann:items"), bad=True),
    get("me no token", "/me", bad=True),
    get("me items granted", "/me/items", bearer("ann:items,me")),
    get("me items only me", "/me/items", bearer("ann:me"), bad=True),
    get("me items only items", "/me/items", bearer("ann:items"), bad=True),
    get("admin granted", "/admin", bearer("root:admin")),
    get("admin not granted", "/admin", bearer("ann:me,items"), bad=True),
    get("route scopes", "/route-scopes"),
    get("oidc ok", "/oidc", [("authorization", "Bearer xyz")]),
    get("oidc any scheme", "/oidc", [("authorization", "Token xyz")]),
    get("oidc missing", "/oidc", bad=True),
    get("oidc empty", "/oidc", [("authorization", "")], bad=True),
    get("maybe oidc missing", "/maybe-oidc"),
    get("maybe oidc present", "/maybe-oidc", [("authorization", "Basic abc")]),
    get("code ok", "/code", bearer("c0de")),
    get("code wrong scheme", "/code", [("authorization", "Basic abc")], bad=True),
    get("code missing", "/code", bad=True),
]
