from _lib import get

TOKEN = [("x-token", "secret")]

CASES = [
    get("root", "/"),
    get("items list", "/items/", headers=TOKEN),
    get("items list no token", "/items/", bad=True),
    get("items list bad token", "/items/", headers=[("x-token", "nope")], bad=True),
    get("item", "/items/a", headers=TOKEN),
    get("item missing", "/items/b", headers=TOKEN, bad=True),
    get("v1 list without token", "/v1/items/"),
    get("v1 item", "/v1/items/a"),
    get("v1 item missing", "/v1/items/zz", bad=True),
    get("legacy old", "/legacy/old"),
    get("legacy older", "/legacy/older"),
    get("internal stats served", "/internal/stats"),
    get("named one", "/named/one"),
    get("named two", "/named/two"),
    get("named three", "/named/three"),
    get("nested user", "/api/v2/people/users/7"),
    get("nested user bad", "/api/v2/people/users/x", bad=True),
    get("nested without outer prefix", "/v2/people/users/7", bad=True),
    get("hidden router served", "/secret"),
    get("unknown", "/items/a/b", headers=TOKEN, bad=True),
]
