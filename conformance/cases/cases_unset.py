from _lib import get, json_body


def patch(name, path, body, bad=False):
    return json_body(name, path, body, method="PATCH", bad=bad)


CASES = [
    get("only the fields its data set", "/items/foo"),
    get("a default set explicitly is kept", "/items/bar"),
    get("every field set, null included", "/items/baz"),
    patch("patch one field", "/items/bar", {"name": "Barz"}),
    patch("patch nothing: the stored item with its defaults", "/items/foo", {}),
    patch("patch a clear and a list", "/items/foo", {"description": None, "tags": ["a", "b"]}),
    patch("patch a lax number", "/items/foo", {"price": "12.5"}),
    patch("patch a default field", "/items/bar", {"tax": 1}),
    patch("patch null into a float with a default", "/items/foo", {"tax": None}, bad=True),
    patch("patch a list with a string", "/items/foo", {"tags": "x"}, bad=True),
]
