from _lib import get

CASES = [
    get("nothing", "/visits/"),
    get("all", "/visits/", headers=[("user-agent", "curl"), ("x-shop", "a"), ("x-shop", "b"), ("cookie", "session=s1")]),
    get("underscore header", "/visits/", headers=[("x_shop", "a")]),
    get("strict missing", "/strict/", bad=True),
    get("strict bad cookie", "/strict/", headers=[("x-token", "t"), ("cookie", "basket=many")], bad=True),
    get("strict", "/strict/", headers=[("x-token", "t"), ("cookie", "basket=2")]),
]
