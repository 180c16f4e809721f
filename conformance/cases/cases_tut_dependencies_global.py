from _lib import get

CASES = [
    get("stock", "/stock/", headers=[("x-key", "shop-key")]),
    get("stock wrong key", "/stock/", headers=[("x-key", "nope")], bad=True),
    get("stock no key", "/stock/", bad=True),
    get("robot", "/stock/", headers=[("x-key", "shop-key"), ("user-agent", "a bot")], bad=True),
    get("admin", "/admin/orders/", headers=[("x-key", "shop-key")]),
    get("admin robot", "/admin/orders/", headers=[("x-key", "shop-key"), ("user-agent", "a bot")], bad=True),
    get("admin missing", "/admin/orders/", bad=True),
]
