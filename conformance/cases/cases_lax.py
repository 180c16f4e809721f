import json

from pydantic import ValidationError

from _lib import json_body
from lax import Numbers, StrictModel, Strictly


def _refused(model, value):
    """Bad input is what pydantic refuses (the table mixes both)."""
    try:
        model.model_validate_json(json.dumps(value))
        return False
    except ValidationError:
        return True

# Inputs tried on every scalar field; pydantic's answer decides good or bad.
VALUES = [
    ("int", 5), ("negative int", -3), ("float whole", 2.0), ("float fraction", 2.5), ("float exp", 1e3),
    ("str int", "5"), ("str spaced", " 7 "), ("str underscores", "1_000"), ("str whole float", "2.0"),
    ("str fraction", "2.5"), ("str exp", "1e3"), ("str signed", "+4"), ("str word", "x"), ("str empty", ""),
    ("true", True), ("false", False), ("null", None), ("list", [1]), ("object", {"a": 1}),
    ("str yes", "yes"), ("str off", "off"), ("str True", "True"), ("str t", "t"), ("zero", 0), ("one", 1),
    ("two", 2), ("float one", 1.0), ("str float", "3.5"), ("str float underscores", "1_0.5"),
]


def _cases():
    out = []
    for field in ["i", "f", "b", "s"]:
        for label, value in VALUES:
            out.append(json_body(f"numbers {field} {label}", "/numbers", {field: value},
                                 bad=_refused(Numbers, {field: value})))
    for field in ["i", "f", "b", "lax"]:
        for label, value in VALUES[:20]:
            out.append(json_body(f"strict fields {field} {label}", "/strict-fields", {field: value},
                                 bad=_refused(Strictly, {field: value})))
    for label, value in VALUES[:20]:
        out.append(json_body(f"strict model i {label}", "/strict-model", {"i": value},
                             bad=_refused(StrictModel, {"i": value})))
    return out


CASES = _cases() + [
    json_body("numbers n str", "/numbers", {"n": "7"}),
    json_body("numbers n null", "/numbers", {"n": None}),
    json_body("numbers bounded str in range", "/numbers", {"bounded": "5"}),
    json_body("numbers bounded str below", "/numbers", {"bounded": "0"}, bad=True),
    json_body("numbers bounded str above", "/numbers", {"bounded": "11"}, bad=True),
    json_body("numbers bounded whole float above", "/numbers", {"bounded": 11.0}, bad=True),
    json_body("numbers bounded true", "/numbers", {"bounded": True}),
    json_body("numbers tags mixed", "/numbers", {"tags": ["1", 2.0, True, 4]}),
    json_body("numbers tags one bad", "/numbers", {"tags": ["1", "x", 2.5]}, bad=True),
    json_body("numbers scores mixed", "/numbers", {"scores": {"a": "1.5", "b": True, "c": 2}}),
    json_body("numbers scores bad", "/numbers", {"scores": {"a": "x", "b": []}}, bad=True),
    json_body("numbers all lax", "/numbers", {"i": "1", "f": "2", "b": "on", "n": 3.0, "bounded": "10", "tags": ["5"]}),
    json_body("numbers lax and missing echo", "/numbers", {"i": "1", "b": 7}, bad=True),
    json_body("strict model inner stays lax", "/strict-model", {"inner": {"i": "5"}}),
    json_body("strict model inner bad", "/strict-model", {"inner": {"i": "x"}}, bad=True),
    json_body("strict model float int", "/strict-model", {"f": 1}),
    json_body("strict model float str", "/strict-model", {"f": "1.5"}, bad=True),
    json_body("strict model bool one", "/strict-model", {"b": 1}, bad=True),
    json_body("when at zero", "/when", {"at": 0}),
    json_body("when at seconds", "/when", {"at": 1700000000}),
    json_body("when at fraction", "/when", {"at": 1700000000.5}),
    json_body("when at millis", "/when", {"at": 1700000000123}),
    json_body("when at str seconds", "/when", {"at": "1700000000"}),
    json_body("when at negative", "/when", {"at": -5}),
    json_body("when at true", "/when", {"at": True}, bad=True),
    json_body("when at iso z", "/when", {"at": "2024-01-02T03:04:05Z"}),
    json_body("when at iso offset", "/when", {"at": "2024-01-02T03:04:05+02:00"}),
    json_body("when at iso micro", "/when", {"at": "2024-01-02T03:04:05.123456+00:00"}),
    json_body("when at space", "/when", {"at": "2024-01-02 03:04:05Z"}),
    json_body("when at bad month", "/when", {"at": "2024-13-01T00:00:00"}, bad=True),
    json_body("when at word", "/when", {"at": "soon"}, bad=True),
    json_body("when at list", "/when", {"at": []}, bad=True),
    json_body("when day zero", "/when", {"day": 0}),
    json_body("when day one", "/when", {"day": 86400}),
    json_body("when day inexact", "/when", {"day": 86401}, bad=True),
    json_body("when day iso", "/when", {"day": "2024-01-02"}),
    json_body("when day midnight", "/when", {"day": "2024-01-02T00:00:00"}),
    json_body("when day with time", "/when", {"day": "2024-01-02T01:00:00"}, bad=True),
    json_body("when day str timestamp", "/when", {"day": "1700006400"}),
    json_body("when day word", "/when", {"day": "x"}, bad=True),
    json_body("when day true", "/when", {"day": True}, bad=True),
    json_body("when day bad day", "/when", {"day": "2024-02-30"}, bad=True),
    json_body("when id hyphenated", "/when", {"id": "12345678-1234-5678-1234-567812345678"}),
    json_body("when id simple", "/when", {"id": "12345678123456781234567812345678"}),
    json_body("when id braces", "/when", {"id": "{12345678-1234-5678-1234-567812345678}"}),
    json_body("when id urn", "/when", {"id": "urn:uuid:12345678-1234-5678-1234-567812345678"}),
    json_body("when id upper", "/when", {"id": "12345678-1234-5678-1234-56781234567A"}),
    json_body("when id short group", "/when", {"id": "12345678-1234-5678-1234-56781234567"}, bad=True),
    json_body("when id number", "/when", {"id": 5}, bad=True),
    json_body("when id word", "/when", {"id": "x"}, bad=True),
]

CASES += [
    json_body("keyed ok", "/keyed", {"by_id": {"-3": 4, "1": 2.5}}),
    json_body("keyed lax keys", "/keyed", {"by_id": {"01": 1, " 3 ": "4.5", "1_0": True}}),
    json_body("keyed bad keys", "/keyed", {"by_id": {"x": 1, "2.5": "y", "3": 3}}, bad=True),
    json_body("keyed bad value", "/keyed", {"by_id": {"1": []}}, bad=True),
    json_body("keyed empty key", "/keyed", {"by_id": {"": 1}}, bad=True),
    json_body("keyed not object", "/keyed", {"by_id": [1, 2]}, bad=True),
    json_body("keyed counts lax", "/keyed", {"counts": {"a": "1", "b": 2.0}}),
    json_body("keyed counts bad", "/keyed", {"counts": {"a": "x", "b": 2.5}}, bad=True),
    json_body("keyed both bad", "/keyed", {"by_id": {"k": "v"}, "counts": {"a": None}}, bad=True),
]
