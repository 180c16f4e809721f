from _lib import json_body

GOOD = {"name": "ann", "nickname": "annie", "age": 3, "password": "secret123", "repeat": "secret123"}


def signup(case, **change):
    body = dict(GOOD)
    for k, v in change.items():
        if v is None:
            body.pop(k, None)
        else:
            body[k] = v
    bad = change != {} and case != "valid with tags"
    return json_body(case, "/signup", body, bad=bad)


CASES = [
    signup("valid"),
    signup("valid with tags", tags=[{"label": "x", "weight": 1}], scores=[50, 50]),
    signup("field validator alone", nickname="ANNIE"),
    signup("field validator after a schema error", name="a", nickname="ANNIE"),
    signup("field validator before a schema error", nickname="ANNIE", age=-1),
    signup("two field validators and a missing field", nickname="ANNIE", password="short", age=None),
    signup("validator field itself invalid", nickname=5, password="short"),
    signup("model validator alone", repeat="other"),
    signup("model validator not run beside a field error", repeat="other", age=-1),
    signup("model validator not run beside a field validator", repeat="other", password="short"),
    signup("nested item validator beside an item schema error",
           tags=[{"label": "LOUD", "weight": 1}, {"label": "ok", "weight": -1}]),
    signup("nested validator beside a top-level error",
           tags=[{"label": "LOUD", "weight": 1}], age="x"),
    signup("list validator", scores=[99, 2]),
    signup("list validator not run when an item fails", scores=[99, "x"]),
    signup("list validator beside another error", scores=[99, 2], name=""),
    signup("lax field validated", age="7", nickname="LOUD"),
    signup("everything wrong", name="", nickname="LOUD", age="x", password="p", repeat=None,
           tags=[{"label": "A"}], scores=[200]),
    json_body("range valid", "/range", {"name": "r", "pair": {"low": 1, "high": 2}}),
    json_body("nested model validator", "/range", {"name": "r", "pair": {"low": 3, "high": 2}}, bad=True),
    json_body("nested model validator beside a field validator", "/range",
              {"name": "R", "pair": {"low": 3, "high": 2}}, bad=True),
    json_body("nested model validator not run when its field fails", "/range",
              {"name": "R", "pair": {"low": "x", "high": 2}}, bad=True),
    json_body("model validators in a list", "/range",
              {"name": "r", "pair": {"low": 1, "high": 2},
               "pairs": [{"low": 5, "high": 1}, {"low": "x", "high": 1}, {"low": 0, "high": 1}, {"low": 9, "high": 8}]},
              bad=True),
    json_body("missing nested model beside a field validator", "/range", {"name": "LOUD"}, bad=True),
]


# Generated: every field of a body drawn from its own pool (valid, refused by
# the schema, refused by the model's validator, missing), so that validator
# errors meet schema errors in every order. FUZZ_SEED chooses the sample
# (`conformance/fuzz --apps validators` runs others).
import os
import random

_MISSING = object()
_SIGNUP_POOLS = {
    "name": ["ann", "a", "", 5, _MISSING],
    "nickname": ["annie", "ANNIE", "A1", 5, None, _MISSING],
    "age": [3, -1, "7", "x", 2.5, _MISSING],
    "password": ["secret123", "short", 5, _MISSING],
    "repeat": ["secret123", "other", _MISSING],
    "tags": [[], [{"label": "x", "weight": 1}], [{"label": "LOUD", "weight": 1}],
             [{"label": "ok", "weight": -1}, {"label": "NO", "weight": "x"}], [{"label": "A"}], "x", _MISSING],
    "scores": [[], [50, 60], [1, "x"], ["70", 40], 5, _MISSING],
}
_PAIRS = [{"low": 1, "high": 2}, {"low": 3, "high": 2}, {"low": "x", "high": 2}, {"high": 1}, 5]
_RANGE_POOLS = {
    "name": ["r", "R", "LOUD", 5, _MISSING],
    "pair": _PAIRS + [_MISSING],
    "pairs": [[], [_PAIRS[1], _PAIRS[2]], [_PAIRS[0], _PAIRS[1], _PAIRS[3]], _MISSING],
}


def _draw(rng, pools):
    body = {}
    for key, pool in pools.items():
        v = rng.choice(pool)
        if v is not _MISSING:
            body[key] = v
    return body


_rng = random.Random(int(os.environ.get("FUZZ_SEED", "0")))
for _i in range(int(os.environ.get("FUZZ_CASES", "40"))):
    CASES.append(json_body(f"generated signup {_i}", "/signup", _draw(_rng, _SIGNUP_POOLS), bad=True))
    CASES.append(json_body(f"generated range {_i}", "/range", _draw(_rng, _RANGE_POOLS), bad=True))
