"""Generated inputs for apps/fuzz_types.py: the differential fuzzer.

Each type gets CASES_PER_TYPE inputs drawn by a seeded generator from a pool
of atoms (values at the edges of every type, every lax conversion in
pydantic's table, malformed text) and from structures built of them (lists,
objects, nesting). The same seed gives the same inputs, so CI records and
compares a fixed sample; `conformance/fuzz` runs other seeds and more cases.
pydantic decides which inputs are bad; nothing here knows the answers.

FUZZ_SEED (default 0) and FUZZ_CASES (default 40 a type) choose the sample.
"""
import json
import os
import random
import urllib.parse

from pydantic import TypeAdapter, ValidationError

from _lib import form, get, json_body, req
from fuzz_types import (BODY_TYPES, DECIMAL_BODY_TYPES, DECIMAL_QUERY_TYPES, LATER_BODY_TYPES, LATER_QUERY_TYPES, NET_BODY_TYPES, NET_QUERY_TYPES, QUERY_TYPES,
                        SOURCE_TYPES, SOURCES)

SEED = int(os.environ.get("FUZZ_SEED", "0"))
CASES_PER_TYPE = int(os.environ.get("FUZZ_CASES", "40"))

INTS = [0, 1, -1, 2, 3, 5, 99, 100, 101, -100, 255, 2**31 - 1, 2**31, 2**53, 2**53 + 1, 2**63 - 1, 2**63,
        -(2**63), -(2**63) - 1, 2**64, 10**20, 10**40]
FLOATS = [0.0, -0.0, 0.5, 1.0, 1.5, 2.0, 3.0, -1.0, 0.999999, 1e-7, 1e-300, 1e300, 1.7976931348623157e308,
          2.5e-324, 0.1 + 0.2, 100.0, 1e16, 9007199254740993.0, 3.0000000001]
TEXT = ["", " ", "0", "1", "-1", "+1", " 1 ", "1_000", "1.0", "1.5", "1e3", "1E3", "0x10", "010", "inf", "-inf",
        "nan", "NaN", "Infinity", "true", "false", "True", "FALSE", "yes", "no", "on", "off", "t", "f", "y",
        "n", "abc", "ab", "abcde", "abcdef", "a1", "A1", "a", "b", "c", "red", "Red", "green", "RED",
        "é", "日本", "a\u00a0b", "emoji 😀", "tab\tx", "line\nx", "\\", "\"", "null", "[]", "{}",
        "2024-02-29", "2023-02-29", "2024-13-01", "2024-1-2", "20240102", "2024-01-02T03:04:05",
        "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.123456+05:30", "2024-01-02T03:04:05.1234567Z",
        "2024-01-02 03:04:05", "2024-01-02T24:00:00", "2024-01-02T03:04", "2024-01-02T03:04:05-00:00",
        "1704164645", "1704164645.5", "12:30", "12:30:45.5", "00000000-0000-0000-0000-000000000000",
        "c7a3f1e2-1b2d-4c5e-8f90-123456789abc", "C7A3F1E2-1B2D-4C5E-8F90-123456789ABC",
        "c7a3f1e21b2d4c5e8f90123456789abc", "{c7a3f1e2-1b2d-4c5e-8f90-123456789abc}",
        "urn:uuid:c7a3f1e2-1b2d-4c5e-8f90-123456789abc", "c7a3f1e2-1b2d-4c5e-8f90-123456789ab",
        "127.0.0.1", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3", "01.2.3.4", "::1", "::", "fe80::1%eth0",
        "2001:db8::8a2e:370:7334", "2001:DB8::1", "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3.4", "10.0.0.0/8",
        "00:00", "23:59:59", "24:00", "12:30:45.123456789", "12:30Z", "12:30:00+02:00", "T12:30",
        "3", "100", "101", "0.5", "1.0e-2", "  5", "5  ", "05", "-0", "9" * 20, "1" * 50]
SCALARS = INTS + FLOATS + TEXT + [True, False, None]


def atom(rng):
    return rng.choice(SCALARS)


def value(rng, depth=0):
    """An input: mostly atoms, sometimes a list or an object of them."""
    roll = rng.random()
    if depth < 2 and roll < 0.15:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if depth < 2 and roll < 0.27:
        keys = ["i", "s", "a", "1", "2", "x", "v", ""]
        return {rng.choice(keys): value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    return atom(rng)


def query_value(rng):
    """Query text: an atom as text, or none at all, or several."""
    roll = rng.random()
    if roll < 0.08:
        return []
    if roll < 0.2:
        return [str(q) for q in (atom(rng) for _ in range(rng.randint(2, 3)))]
    a = atom(rng)
    if a is None:
        return [""]
    if isinstance(a, bool):
        return [str(a).lower() if rng.random() < 0.5 else str(a)]
    return [str(a)]


def _refused(adapter, raw):
    try:
        adapter.validate_json(raw)
        return False
    except ValidationError:
        return True


def _refused_text(tp, texts):
    """A query value as FastAPI reads it: the list for a list, else the last."""
    is_list = "list" in str(tp)
    if not texts and not is_list:
        return True
    try:
        TypeAdapter(tp).validate_python(texts if is_list else texts[-1])
        return False
    except ValidationError:
        return True


# Moments far from now either way, for the past and future types (never near
# now: a recorded answer must not change with the day it is recorded on).
LATER_ATOMS = ["2999-01-02", "2999-01-02T03:04:05", "2999-01-02T03:04:05Z", "2999-01-02T03:04:05+05:30",
               "1999-12-31", "1999-12-31T23:59:59-08:00", 32503680000, 32503680000.5, -86400, 946684800]


NET_ATOMS = ["10.0.0.0/8", "10.0.0.1/8", "10.0.0.0/255.0.0.0", "10.0.0.0/0.255.255.255", "10.0.0.0/08",
             "10.0.0.0/", "192.168.1.0/24", "192.168.1.7/24", "10.0.0.0/255.255.0.255", "10.0.0.0/33", "0.0.0.0/0",
             "255.255.255.255/32", "1.2.3.4/32/1", "1.2.3.4/ 8", "::/0", "fe80::/10", "fe80::1/64", "2001:db8::/32",
             "2001:db8::1/129", "::ffff:1.2.3.0/120", "fe80::/010", 2**32 - 1, 2**32, 2**40, 2**128]


# Decimal text and numbers: Python's grammar at its edges, the digit limits
# (5 digits, 2 places), the bounds (-1.5 <= v < 100, multiples of 0.25).
DECIMAL_ATOMS = ["1.10", "1e3", "1E+3", "1e-7", "-0.00", ".5", "5.", "+.5e-3", "1_000", "_1", "1__0", "1._5",
                 " 2.5 ", "\u00a02.5\u2003", "١٢", "１２", "nan", "-NaN", "sNaN1", "Infinity", "-inf", ".", "e5", "1e",
                 "1 0", "+-1", "0E+40", "0E-10", "999.99", "1000", "0.001", "123.456", "12.300", "100.0000", "1.2300000",
                 "9" * 30, "1" + "0" * 30 + "1", "0.1000000000000000055511151231257827", "1e27", "1e28", "7.25",
                 "7.5", "-1.5", "-1.75", "99.75", "100", "1e999999999999999999", "10e999999999999999999",
                 "1e-999999999999999999", "00012.3400", "-0", 1.10, 0.1, 1e-7, 1e16, 123.456, 999.99, 99.75, 0.25,
                 -1.5, -1.75, 12345678901234567890123, 2**64 + 1, 10**40, 1e20, 1.5e300, 5e-324, -0.0]


def _decimal_value(rng):
    return rng.choice(DECIMAL_ATOMS) if rng.random() < 0.6 else value(rng)


def _decimal_query(rng):
    # Huge exponents stay out of the query: FastAPI writes a parameter back
    # with `int(Decimal)`, which never ends for 1E+999999999999999999.
    v = _decimal_value(rng) if rng.random() < 0.6 else None
    if v is None or isinstance(v, (list, dict)) or "99999999999" in str(v):
        return query_value(rng)
    return [str(v)]


def _net_value(rng):
    return rng.choice(NET_ATOMS) if rng.random() < 0.5 else value(rng)


def _later_value(rng):
    return rng.choice(LATER_ATOMS) if rng.random() < 0.35 else value(rng)


def _body_cases(rng, types, draw, out):
    for name, tp in types.items():
        adapter = TypeAdapter(dict[str, tp])
        seen = set()
        tries = 0
        while len(seen) < CASES_PER_TYPE and tries < CASES_PER_TYPE * 20:
            tries += 1
            v = draw(rng)
            raw = json.dumps({"v": v})
            if raw in seen:
                continue
            seen.add(raw)
            out.append(json_body(f"body {name} {raw}", f"/body/{name}", {"v": v},
                                 bad=_refused(adapter, raw)))


def _query_cases(rng, types, draw, out):
    for name in types:
        seen = set()
        tries = 0
        while len(seen) < CASES_PER_TYPE // 2 and tries < CASES_PER_TYPE * 20:
            tries += 1
            vs = draw(rng)
            qs = urllib.parse.urlencode([("v", x) for x in vs])
            if qs in seen:
                continue
            seen.add(qs)
            out.append(get(f"query {name} ?{qs}", f"/query/{name}" + (f"?{qs}" if qs else ""),
                           bad=_refused_text(types[name], vs)))


def _cases():
    rng = random.Random(SEED)
    out = []
    _body_cases(rng, BODY_TYPES, value, out)
    _query_cases(rng, QUERY_TYPES, query_value, out)
    # The other sources: one text each (a header or cookie value is what a
    # client can send: printable, no separators that would split it).
    for source in SOURCES:
        for name, tp in SOURCE_TYPES.items():
            seen = set()
            tries = 0
            while len(seen) < CASES_PER_TYPE // 4 and tries < CASES_PER_TYPE * 20:
                tries += 1
                a = atom(rng)
                text = "" if a is None else (str(a).lower() if isinstance(a, bool) else str(a))
                if source in ("header", "cookie") and (not text.isprintable() or not text.isascii()
                                                        or any(c in text for c in ';,"\\')
                                                        or text != text.strip()):
                    continue
                if source == "path" and (text == "" or "/" in text):
                    continue
                if text in seen:
                    continue
                seen.add(text)
                label = f"{source} {name} {json.dumps(text)}"
                bad = _refused_text(tp, [text])
                if source == "path":
                    out.append(get(label, f"/path/{name}/" + urllib.parse.quote(text, safe=""), bad=bad))
                elif source == "header":
                    out.append(get(label, f"/header/{name}", headers=[("v", text)], bad=bad))
                elif source == "cookie":
                    out.append(get(label, f"/cookie/{name}", headers=[("cookie", f"v={text}")], bad=bad))
                else:
                    out.append(form(label, f"/form/{name}", [("v", text)], bad=bad))
    later = random.Random(f"later-{SEED}")
    _body_cases(later, LATER_BODY_TYPES, _later_value, out)
    _query_cases(later, LATER_QUERY_TYPES, lambda r: [str(_later_value(r))] if r.random() < 0.5 else query_value(r), out)
    net = random.Random(f"net-{SEED}")
    _body_cases(net, NET_BODY_TYPES, _net_value, out)
    _query_cases(net, NET_QUERY_TYPES, lambda r: [str(_net_value(r))] if r.random() < 0.5 else query_value(r), out)
    dec = random.Random(f"decimal-{SEED}")
    _body_cases(dec, DECIMAL_BODY_TYPES, _decimal_value, out)
    _query_cases(dec, DECIMAL_QUERY_TYPES, _decimal_query, out)
    return out


CASES = _cases()
