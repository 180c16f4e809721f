from _lib import get

CASES = [
    get("main route", "/app"),
    get("sub route", "/subapi/sub"),
    get("sub item", "/subapi/items/3"),
    get("sub item bad", "/subapi/items/x", bad=True),
    get("sub handler", "/subapi/items/0", bad=True),
    get("sub http exception", "/subapi/items/1", bad=True),
    get("sub unknown", "/subapi/nope", bad=True),
    get("sub slash redirect keeps prefix", "/subapi/slash", bad=True),
    get("sub route not on main", "/sub", bad=True),
    get("secure redirect keeps prefix", "/secure/data?x=1", bad=True),
    get("sub document", "/subapi/openapi.json"),
    get("main document lists only main", "/openapi.json"),
]
