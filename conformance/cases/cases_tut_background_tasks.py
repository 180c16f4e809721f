from _lib import req

CASES = [
    req("order", "POST", "/orders/?email=ann@example.com&title=Odes"),
    req("order missing", "POST", "/orders/?email=ann@example.com", bad=True),
]
