from _lib import get

CASES = [
    get("typed async stream", "/items/stream"),
    get("sync stream", "/numbers/stream?n=4"),
    get("sync stream empty", "/numbers/stream?n=0"),
    get("sync stream bad", "/numbers/stream?n=x", bad=True),
    get("untyped stream", "/any/stream"),
    get("events of models", "/events"),
]
