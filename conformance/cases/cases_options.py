from _lib import json_body, raw

CASES = [
    json_body("quiet valid", "/quiet", {"name": "n", "color": "green", "count": 2, "code": "xy"}),
    json_body("quiet defaults", "/quiet", {"name": "n"}),
    json_body("quiet enum value refused", "/quiet", {"name": "n", "color": "blue"}, bad=True),
    json_body("quiet bound", "/quiet", {"name": "n", "count": -1, "code": "XY"}, bad=True),
    json_body("quiet extra ignored", "/quiet", {"name": "n", "other": 1}),
    json_body("quiet missing", "/quiet", {}, bad=True),
    json_body("camel by alias", "/camel", {"firstName": "ann", "itemCount": 3}),
    json_body("camel by name", "/camel", {"first_name": "ann", "item_count": 3}),
    json_body("camel both: the alias wins", "/camel", {"firstName": "a", "first_name": "b"}),
    json_body("camel missing", "/camel", {"itemCount": "x"}, bad=True),
    json_body("camel by name beside an error", "/camel", {"first_name": "ann", "item_count": "x"}, bad=True),
    json_body("camel by name, other field by alias, error", "/camel", {"first_name": 5, "itemCount": "x"}, bad=True),
    json_body("split valid", "/split", {"inName": "i", "out_only": "o", "either": 1, "Aliased": "a"}),
    json_body("split with the optional", "/split", {"inName": "i", "out_only": "o", "either": 1, "Aliased": "a", "nick": "n"}),
    json_body("split second choice", "/split", {"inName": "i", "out_only": "o", "other": 2, "Aliased": "a"}),
    json_body("split field names refused", "/split",
              {"in_only": "i", "outName": "o", "either": "x", "aliased": "a"}, bad=True),
    json_body("split missing", "/split", {}, bad=True),
    json_body("split second choice beside an error", "/split", {"inName": 5, "out_only": "o", "other": "x", "Aliased": "a"}, bad=True),
    json_body("open keeps extra keys", "/open", {"name": "n", "b": [1, 2], "a": None}),
    json_body("open missing", "/open", {"b": 1}, bad=True),
    raw("open not an object", "/open", "[1]"),
    json_body("documented valid", "/documented", {"name": "ann", "old": 1}),
    json_body("documented missing", "/documented", {"old": "x"}, bad=True),
    json_body("shaped defaults", "/shaped", {"name": "n"}),
    json_body("shaped all given", "/shaped", {"name": "n", "secret": "t", "tags": ["a"], "sizes": {}}),
    json_body("shaped wrong", "/shaped", {"secret": 1, "tags": "a", "sizes": {"m": "x"}}, bad=True),
    json_body("finite valid", "/finite", {"v": 1.5, "w": "2", "free": 3}),
    raw("finite infinity", "/finite", '{"v": Infinity, "w": -Infinity, "free": 1}'),
    raw("finite nan", "/finite", '{"v": NaN, "w": "nan"}'),
    raw("finite too large", "/finite", '{"v": 1e400, "w": "inf", "free": "x"}'),
    raw("finite strings", "/finite", '{"v": "-inf", "w": "1e400"}'),
    json_body("kinds valid", "/kinds", {"uid": "7", "counts": {"b": 1, "a": "2"}, "ratio": 0, "tag": "x", "blob": "abc"}),
    json_body("kinds wrong", "/kinds", {"uid": "x", "counts": {"a": "z"}, "ratio": 1, "tag": 5, "blob": "abcd"}, bad=True),
    json_body("kinds wrong shapes", "/kinds", {"uid": 1.5, "counts": [], "ratio": "no", "tag": None, "blob": 5}, bad=True),
    json_body("team by names", "/team", {"members": [{"first_name": "a"}, {"firstName": "b", "item_count": 2}],
                                         "lead": {"first_name": "c"}}),
    json_body("team names beside errors", "/team",
              {"members": [{"first_name": 1}, {"firstName": "b", "item_count": "x"}, {"itemCount": 1}],
               "lead": {"first_name": "c", "item_count": []}, "extra": 1}, bad=True),
    json_body("team alias and name of one field", "/team",
              {"members": [{"firstName": "a", "first_name": 5, "item_count": "x"}]}, bad=True),
]


# Generated: members and leads that name each field by its alias, by its
# own name, by both, or not at all, with valid and wrong values, and keys
# no field has (`extra="forbid"`). FUZZ_SEED chooses the sample.
import os
import random

_rng = random.Random(int(os.environ.get("FUZZ_SEED", "0")))


def _camel(rng):
    out = {}
    for alias, name, values in (("firstName", "first_name", ["a", 5, None]),
                                ("itemCount", "item_count", [1, "2", "x", []])):
        how = rng.choice(["alias", "name", "both", "none"])
        if how in ("alias", "both"):
            out[alias] = rng.choice(values)
        if how in ("name", "both"):
            out[name] = rng.choice(values)
    if rng.random() < 0.2:
        out["other"] = 1
    return out


for _i in range(int(os.environ.get("FUZZ_CASES", "40"))):
    _body = {"members": [_camel(_rng) for _ in range(_rng.randint(0, 3))]}
    if _rng.random() < 0.5:
        _body["lead"] = _camel(_rng)
    if _rng.random() < 0.2:
        _body["first_name"] = "x"
    CASES.append(json_body(f"generated team {_i}", "/team", _body, bad=True))
