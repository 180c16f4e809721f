from _lib import get, req

S = [("x-token", "secret")]
CASES = [
    get("items ok", "/items?n=1&skip=2", S),
    get("items no token", "/items?n=1", bad=True),
    get("items no token and invalid", "/items?limit=0", bad=True),
    get("items invalid with token", "/items?limit=0&skip=-1", S, bad=True),
    get("items missing n", "/items", S, bad=True),
    get("pages defaults", "/pages"),
    get("pages all invalid", "/pages?skip=x&limit=101&q=z", bad=True),
    get("guarded ok", "/guarded", [("x-key", "k")]),
    get("guarded wrong key", "/guarded", [("x-key", "nope")], bad=True),
    get("guarded missing key", "/guarded", bad=True),
    get("router admin no token", "/r/admin", bad=True),
    get("router admin missing n", "/r/admin", S, bad=True),
    get("router admin ok", "/r/admin?n=3", S),
    get("log empty", "/log"),
    req("notify", "POST", "/notify?who=bob"),
    get("log after notify", "/log"),
    get("yield dependency ok", "/tracked"),
    get("log after yield ok", "/log"),
    get("yield dependency, handler raises", "/tracked/fail", bad=True),
    get("log after yield raise", "/log"),
    get("yield dependency, later param invalid", "/tracked/invalid?n=x", bad=True),
    get("log after yield 422", "/log"),
]
CASES += [
    get("class dependency", "/class?q=a&skip=2"),
    get("class dependency defaults", "/class"),
    get("class dependency bad", "/class?skip=-1&limit=x", bad=True),
    get("use_cache false runs again", "/counts"),
    get("use_cache false runs again twice", "/counts"),
    get("max_concurrency dependency", "/limited", headers=[("x-token", "secret")]),
    get("max_concurrency dependency raises", "/limited", bad=True),
]
