from _lib import get

CASES = [
    get("paging", "/books/?skip=5"),
    get("paging defaults", "/books/"),
    get("paging bad", "/books/?skip=-1&limit=0", bad=True),
    get("paging text", "/books/?limit=ten", bad=True),
    get("class", "/search/?q=odes&exact=1"),
    get("class bad", "/search/?exact=perhaps", bad=True),
    get("sub missing", "/me/", bad=True),
    get("sub", "/me/", headers=[("x-token", "t1")]),
]
