from _lib import get

CASES = [
    get("defaults", "/books/"),
    get("all", "/books/?limit=5&tags=a&tags=b&order_by=price"),
    get("limit zero", "/books/?limit=0", bad=True),
    get("limit high", "/books/?limit=101", bad=True),
    get("extra", "/books/?colour=red", bad=True),
    get("order bad", "/books/?order_by=date", bad=True),
    get("offset bad", "/books/?offset=-1&limit=x", bad=True),
    get("client", "/client/", headers=[("x-shop", "north")]),
    get("client trace", "/client/", headers=[("x-shop", "north"), ("x-trace", "t1")]),
    get("client missing", "/client/", bad=True),
    get("prefs", "/prefs/", headers=[("cookie", "basket=2")]),
    get("prefs none", "/prefs/"),
    get("prefs bad", "/prefs/", headers=[("cookie", "basket=two")], bad=True),
]
