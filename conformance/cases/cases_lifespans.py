from _lib import get

CASES = [
    get("predict", "/predict"),
    get("predict again: start-up ran once", "/predict?x=2"),
    get("predict bad", "/predict?x=two", bad=True),
    get("greet", "/greet/ann"),
    get("greet nobody", "/greet/nobody", bad=True),
]
