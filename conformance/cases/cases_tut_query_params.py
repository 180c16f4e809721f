from _lib import get

CASES = [
    get("defaults", "/books/"),
    get("skip", "/books/?skip=1&limit=3"),
    get("skip bad", "/books/?skip=one", bad=True),
    get("optional", "/books/7?q=odes"),
    get("short yes", "/books/7?short=yes"),
    get("short on", "/books/7?short=on"),
    get("short bad", "/books/7?short=maybe", bad=True),
    get("empty q", "/books/7?q="),
    get("required missing", "/reviews/1", bad=True),
    get("required", "/reviews/1?reviewer=ann"),
    get("stars bad", "/reviews/1?reviewer=ann&stars=x", bad=True),
    get("both bad", "/reviews/1?stars=2.5", bad=True),
]
