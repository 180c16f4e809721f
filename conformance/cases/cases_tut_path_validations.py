from _lib import get

CASES = [
    get("ok", "/books/5"),
    get("ok size", "/books/5?size=2.5"),
    get("low", "/books/0", bad=True),
    get("high", "/books/1001", bad=True),
    get("size zero", "/books/5?size=0", bad=True),
    get("size high", "/books/5?size=10.5", bad=True),
    get("both", "/books/0?size=11", bad=True),
    get("size nan", "/books/5?size=nan", bad=True),
    get("size inf", "/books/5?size=inf", bad=True),
    get("page", "/pages/4"),
    get("page odd", "/pages/3", bad=True),
    get("page zero", "/pages/0", bad=True),
    get("page negative", "/pages/-2", bad=True),
]
