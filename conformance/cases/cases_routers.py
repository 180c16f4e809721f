from _lib import get, req

CASES = [
    get("root", "/"),
    get("items list", "/items/"),
    get("items list no slash redirects", "/items"),
    get("item", "/items/3"),
    get("item bad", "/items/x", bad=True),
    req("item put", "PUT", "/items/3"),
    req("item put bad", "PUT", "/items/x", bad=True),
    req("item delete not allowed", "DELETE", "/items/3", bad=True),
    req("archive", "POST", "/items/3/archive"),
    get("archive get not allowed", "/items/3/archive", bad=True),
    req("archive bad id", "POST", "/items/q/archive", bad=True),
    get("nested admin stats", "/v1/admin/stats"),
    get("nested admin stats slash", "/v1/admin/stats/"),
    req("nested reset post", "POST", "/v1/admin/reset"),
    req("nested reset delete", "DELETE", "/v1/admin/reset"),
    get("nested reset get not allowed", "/v1/admin/reset", bad=True),
    get("files path", "/v1/files/a/b/c.txt"),
    get("files single", "/v1/files/readme"),
    get("admin without prefix", "/admin/stats", bad=True),
    get("unknown under prefix", "/v1/nothing", bad=True),
]
