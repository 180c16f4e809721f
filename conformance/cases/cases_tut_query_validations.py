from _lib import get

CASES = [
    get("none", "/search/"),
    get("ok", "/search/?q=odes%20and%20sonnets"),
    get("short", "/search/?q=ab", bad=True),
    get("long", "/search/?q=" + "a" * 21, bad=True),
    get("pattern", "/search/?q=ABC", bad=True),
    get("short and pattern", "/search/?q=A", bad=True),
    get("list default", "/tags/"),
    get("list", "/tags/?tag=a&tag=b"),
    get("alias", "/titles/?title-part=Od"),
    get("alias by name", "/titles/?title_part=Od", bad=True),
    get("alias short", "/titles/?title-part=O", bad=True),
    get("hidden", "/hidden/?token=t"),
]
