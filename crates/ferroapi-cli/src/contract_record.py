"""ferroapi contract record: imports a FastAPI app in the user's own Python,
makes requests from its OpenAPI document (a valid request for every
operation, then each way the request can be wrong before the handler runs),
adds the requests the user gives (a JSON list, or a browser's HAR export),
sends each through Starlette's TestClient twice and prints the recording
(JSON): every request with FastAPI's answer, and what differed between the
two passes (proposed noise, for review).

    python contract_record.py MODULE:ATTR APP_DIR < OPTIONS_JSON

OPTIONS_JSON (standard input, so no secret shows in a process listing): {"cases": [FILE...], "har": [FILE...], "generate": bool,
"headers": [[NAME, VALUE]...], "redact_headers": [NAME...], "redact_json": [POINTER...],
"pytest": [ARG...], "db": URL}.
With "pytest", the app's own suite runs first (`pytest ARG...` in APP_DIR)
and every request its TestClients send is a case ("suite"); with "db" too
(PostgreSQL or SQLite), each such request is sent twice from the database
state it met, and the recording carries each state (`database`: its
dialect, its tables parents first, and every state's rows), for
`contract replay --restore-db`.
The given headers go with every generated request (credentials, say) but are
recorded as GIVEN: the replay supplies them again, so no secret is written
into the recording. So are request headers named in redact_headers (a HAR's
`authorization`, `cookie`); in answers, those headers and the JSON values at
the redact_json pointers (`/access_token`, `/items/*/secret`) are recorded as
REDACTED, and the replay asks only that the port answers something there.
Written for ferroapi's `contract record`; nothing here is random: two runs
over the same app make the same requests.
"""

import base64
import importlib
import json
import os
import re
import sys
import urllib.parse
import warnings

FORMAT = "ferroapi-contract/1"
METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
# A path no app serves, for the 404 every app answers.
UNKNOWN_PATH = "/__ferroapi_contract_unknown__"
BOUNDARY = "ferroapi-contract-boundary"
# What a given header's value is recorded as.
GIVEN = "<given at replay>"
MISSING = object()


class Values:
    """Values made from JSON Schemas: one the schema accepts, one of the
    wrong type, and the values just outside each bound."""

    def __init__(self, doc):
        self.schemas = (doc.get("components") or {}).get("schemas") or {}

    def resolve(self, schema, depth=0):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 32:
            schema = self.schemas.get(schema["$ref"].rsplit("/", 1)[-1], {})
            seen += 1
        if not isinstance(schema, dict):
            return {}
        if "allOf" in schema and len(schema["allOf"]) == 1 and "type" not in schema:
            merged = dict(self.resolve(schema["allOf"][0]))
            merged.update({k: v for k, v in schema.items() if k != "allOf"})
            return merged
        return schema

    def kind(self, schema):
        """The JSON type a schema asks for, or None when it takes several."""
        s = self.resolve(schema)
        if "const" in s or "enum" in s:
            return "enum"
        for key in ("anyOf", "oneOf"):
            if key in s:
                kinds = {self.kind(m) for m in s[key]} - {"null"}
                return kinds.pop() if len(kinds) == 1 else None
        t = s.get("type")
        if isinstance(t, list):
            t = [x for x in t if x != "null"]
            return t[0] if len(t) == 1 else None
        return t

    def valid(self, schema, full=False, depth=0):
        s = self.resolve(schema)
        if depth > 8:
            return MISSING
        if "examples" in s and isinstance(s["examples"], list) and s["examples"]:
            return s["examples"][0]
        if "example" in s:
            return s["example"]
        if "default" in s and s["default"] is not None:
            return s["default"]
        if "const" in s:
            return s["const"]
        if s.get("enum"):
            return s["enum"][0]
        for key in ("anyOf", "oneOf"):
            if key in s:
                members = [m for m in s[key] if self.resolve(m).get("type") != "null"] or s[key]
                for m in members:
                    v = self.valid(m, full, depth + 1)
                    if v is not MISSING:
                        return v
                return None
        if "allOf" in s:
            return self.valid(s["allOf"][0], full, depth + 1)
        t = s.get("type")
        if isinstance(t, list):
            t = next((x for x in t if x != "null"), "null")
        if t == "string":
            return self.string(s)
        if t in ("integer", "number"):
            return self.number(s, t == "integer")
        if t == "boolean":
            return True
        if t == "null":
            return None
        if t == "array":
            item = self.valid(s.get("items", {}), full, depth + 1)
            if item is MISSING:
                return []
            n = max(s.get("minItems", 1), 1)
            if s.get("maxItems") is not None:
                n = min(n, s["maxItems"])
            if s.get("uniqueItems") and n > 1:
                return [item]
            return [item] * n
        if t == "object" or "properties" in s:
            out = {}
            required = s.get("required", [])
            for name, prop in (s.get("properties") or {}).items():
                if name in required or full:
                    v = self.valid(prop, full, depth + 1)
                    if v is not MISSING:
                        out[name] = v
            extra = s.get("additionalProperties")
            if isinstance(extra, dict) and not s.get("properties") and extra:
                v = self.valid(extra, full, depth + 1)
                if v is not MISSING:
                    out["key"] = v
            return out
        # No type at all (`Any`): any JSON value.
        return "anything"

    def string(self, s):
        fmt = s.get("format")
        known = {
            "date": "2024-01-02", "date-time": "2024-01-02T03:04:05Z", "time": "03:04:05",
            "uuid": "12345678-1234-5678-1234-567812345678", "email": "user@example.com",
            "uri": "https://example.com/", "ipv4": "192.0.2.1", "ipv6": "2001:db8::1",
            "duration": "P1D", "ipvanyaddress": "192.0.2.1", "ipv4network": "192.0.2.0/24",
            "ipv6network": "2001:db8::/32", "ipvanynetwork": "192.0.2.0/24",
            "ipv4interface": "192.0.2.1/24", "ipv6interface": "2001:db8::1/32",
            "ipvanyinterface": "192.0.2.1/24", "binary": "file contents", "password": "secret",
            "multi-host-uri": "https://example.com/", "json-string": "{}",
        }
        low, high = s.get("minLength", 0), s.get("maxLength")
        if fmt in known:
            return known[fmt]
        pattern = s.get("pattern")
        candidates = ["x" * max(low, 1), "abc", "1", "12", "123", "A1", "a1", "abc-123", "ab_c",
                      "2024-01-02", "1.5", "user@example.com", "AB", "ABC", "a", "0"]
        for c in candidates:
            if high is not None and len(c) > high or len(c) < low:
                continue
            if pattern is None:
                return c
            try:
                if re.search(pattern, c):
                    return c
            except re.error:
                return c
        return "x" * max(low, 1)

    def number(self, s, integer):
        lo = s.get("minimum")
        if lo is None and s.get("exclusiveMinimum") is not None:
            lo = s["exclusiveMinimum"] + (1 if integer else 0.5)
        hi = s.get("maximum")
        if hi is None and s.get("exclusiveMaximum") is not None:
            hi = s["exclusiveMaximum"] - (1 if integer else 0.5)
        step = s.get("multipleOf")
        v = lo if lo is not None else (hi if hi is not None and hi < 1 else 1)
        if step:
            v = step * max(1, -(-v // step)) if v > 0 else step * (v // step)
        if integer:
            return int(v)
        return v if isinstance(v, float) else float(v) + (0.5 if step is None and lo is None else 0)

    def wrong(self, schema, on_wire):
        """A value of another type. `on_wire`: the value will travel as text
        (a query, header or form field), so only texts that cannot be read
        as the type count."""
        k = self.kind(schema)
        if k in ("integer", "number"):
            return "not-a-number"
        if k == "boolean":
            return "maybe"
        if k == "enum":
            return "not-a-member"
        if k in ("array", "object"):
            return None if on_wire else "not-a-container"
        if k == "string" and not on_wire:
            return ["not", "a", "string"]
        return None

    def lax(self, schema, on_wire):
        """(label, value) pairs pydantic's lax mode reads one way or another:
        the conversions of its conversion table and their edges. Each is
        recorded with FastAPI's answer, accepted or refused."""
        s = self.resolve(schema)
        k = self.kind(schema)
        fmt = s.get("format")
        for key in ("anyOf", "oneOf"):
            for m in s.get(key, []):
                fmt = fmt or self.resolve(m).get("format")
        text_forms = {
            "date": ["2024-01-02T00:00:00", "2024-1-2", "20240102", "1704153600", "2024-01-02T00:00:01"],
            "date-time": ["2024-01-02", "2024-01-02 03:04:05", "2024-01-02T03:04:05+02:00",
                          "1704164645", "2024-01-02T03:04:05.123456789Z", "2024-01-02T03:04"],
            "time": ["03:04", "03:04:05.5", "03:04:05+02:00", "3600", "25:00:00"],
            "uuid": ["12345678123456781234567812345678", "12345678-1234-5678-1234-56781234567Z",
                     "{12345678-1234-5678-1234-567812345678}", "12345678-1234-5678-1234-567812345678".upper()],
            "email": ["User <user@example.com>", "USER@EXAMPLE.COM", "user@localhost", "@example.com"],
            "duration": ["P1DT2H", "1 day, 2:00:00", "3600", "-P1D", "PT0.5S"],
            "uri": ["example.com", "ftp://example.com/x", "https://", "https://exa mple.com"],
            "ipv4": ["192.0.2.256", "3232235777", "::1"],
            "ipv6": ["2001:DB8::1", "192.0.2.1", "::ffff:192.0.2.1"],
        }
        if fmt in text_forms:
            out = [(f"as {v!r}", v) for v in text_forms[fmt]]
            if not on_wire and fmt in ("date", "date-time", "time", "duration"):
                out.append(("as a number", 1704164645 if fmt != "time" else 3600))
            return out
        if k == "integer":
            forms = ["5.0", " 5 ", "+5", "1_000", "0x10", "5.5", "1e3", "-0"]
            out = [(f"as {v!r}", v) for v in forms]
            if not on_wire:
                out += [("as 5.0", 5.0), ("as 5.5", 5.5), ("as true", True), ("as '5'", "5"),
                        ("as 1e3", 1e3)]
            return out
        if k == "number":
            forms = ["1.5", " 1.5 ", "1_000.5", "inf", "NaN", "1e400", ".5", "5."]
            out = [(f"as {v!r}", v) for v in forms]
            if not on_wire:
                out += [("as 2", 2), ("as true", True), ("as '2.5'", "2.5")]
            return out
        if k == "boolean":
            forms = ["yes", "off", "t", "Y", "1", "0", "2", "True", "on ", ""]
            out = [(f"as {v!r}", v) for v in forms]
            if not on_wire:
                out += [("as 1", 1), ("as 0", 0), ("as 2", 2), ("as 1.0", 1.0), ("as 'true'", "true")]
            return out
        if k == "string" and not on_wire and fmt is None:
            return [("as 123", 123), ("as 1.5", 1.5), ("as true", True), ("as null", None)]
        if k == "enum":
            values = s.get("enum") or [s.get("const")]
            first = values[0] if values else None
            out = []
            if isinstance(first, str):
                out.append(("in other case", first.upper() if first != first.upper() else first.lower()))
                out.append(("with a space", f" {first}"))
            elif isinstance(first, int) and not isinstance(first, bool):
                out.append(("as text", str(first)))
                if not on_wire:
                    out.append(("as a float", float(first)))
            return out
        if k == "array" and not on_wire:
            item = self.valid(s.get("items", {}))
            out = [("as one value", item if item is not MISSING else "x")]
            if self.kind(s.get("items", {})) == "integer":
                out.append(("with a text item", ["5"]))
            return out
        if k == "object" and not on_wire:
            return [("as []", []), ("as text", "{}")]
        return []

    def bounds(self, schema):
        """(label, value) pairs just outside the schema's bounds."""
        s = self.resolve(schema)
        out = []
        if "minimum" in s:
            out.append(("below minimum", s["minimum"] - 1))
        if "exclusiveMinimum" in s:
            out.append(("at exclusive minimum", s["exclusiveMinimum"]))
        if "maximum" in s:
            out.append(("above maximum", s["maximum"] + 1))
        if "exclusiveMaximum" in s:
            out.append(("at exclusive maximum", s["exclusiveMaximum"]))
        if s.get("minLength", 0) > 0:
            out.append(("too short", "x" * (s["minLength"] - 1)))
        if s.get("maxLength") is not None:
            out.append(("too long", "x" * (s["maxLength"] + 1)))
        if s.get("minItems", 0) > 0 and s.get("type") == "array":
            out.append(("too few items", []))
        return out


def text(value):
    """A parameter's value as it travels in a URL, header or form."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value)
    return str(value)


class Operation:
    def __init__(self, values, path, method, op, path_item):
        self.values = values
        self.path = path
        self.method = method.upper()
        self.id = op.get("operationId") or f"{self.method} {path}"
        self.params = list(path_item.get("parameters") or []) + list(op.get("parameters") or [])
        self.params = [values.resolve(p) for p in self.params]
        body = values.resolve(op.get("requestBody") or {})
        content = body.get("content") or {}
        self.body_required = bool(body.get("required"))
        self.media = next(iter(content), None)
        self.body_schema = (content.get(self.media) or {}).get("schema") if self.media else None

    def param_values(self, full):
        out = {}
        for p in self.params:
            if p.get("required") or full:
                v = self.values.valid(p.get("schema", {}), full)
                if v is not MISSING and v is not None:
                    out[(p["in"], p["name"])] = v
        return out

    def request(self, name, params, body=MISSING, raw=None, content_type=None):
        path = self.path
        query, headers, cookies = [], [], []
        for (where, pname), v in params.items():
            if where == "path":
                path = path.replace("{" + pname + "}", urllib.parse.quote(text(v), safe=""))
            elif where == "query":
                for item in v if isinstance(v, list) else [v]:
                    query.append((pname, text(item)))
            elif where == "header":
                for item in v if isinstance(v, list) else [v]:
                    headers.append([pname, text(item)])
            elif where == "cookie":
                cookies.append(f"{pname}={text(v)}")
        if cookies:
            headers.append(["cookie", "; ".join(cookies)])
        if query:
            path += "?" + urllib.parse.urlencode(query)
        data = None
        if raw is not None:
            data = raw
            headers.append(["content-type", content_type or "application/json"])
        elif body is not MISSING:
            data, ctype = encode(self.media, body)
            headers.append(["content-type", ctype])
        return {"name": f"{self.id}: {name}", "method": self.method, "path": path,
                "headers": headers, "body": data}

    def cases(self):
        v = self.values
        base = self.param_values(False)
        body = MISSING
        if self.body_schema is not None:
            body = v.valid(self.body_schema, False)
            if body is MISSING:
                body = {}
        out = [("valid", self.request("valid", base, body))]
        full = self.param_values(True)
        full_body = v.valid(self.body_schema, True) if self.body_schema is not None else MISSING
        if full != base or (full_body is not MISSING and full_body != body):
            out.append(("valid", self.request("valid, every optional part", full,
                                              body if full_body is MISSING else full_body)))
        on_wire = {"path", "query", "header", "cookie"}
        for p in self.params:
            key = (p["in"], p["name"])
            label = f"{p['in']} {p['name']}"
            schema = p.get("schema", {})
            if p.get("required") and p["in"] != "path":
                params = dict(full)
                params.pop(key, None)
                out.append(("invalid", self.request(f"{label} missing", params, body)))
            bad = v.wrong(schema, p["in"] in on_wire)
            if bad is not None:
                out.append(("invalid", self.request(f"{label} wrong type", {**full, key: bad}, body)))
            for what, value in v.bounds(schema):
                out.append(("invalid", self.request(f"{label} {what}", {**full, key: value}, body)))
            for what, value in v.lax(schema, True):
                out.append(("lax", self.request(f"{label} {what}", {**full, key: value}, body)))
            if p["in"] in ("query", "header") and key in full:
                good = full[key]
                twice = good + good if isinstance(good, list) else [bad if bad is not None else good, good]
                out.append(("lax", self.request(f"{label} given twice", {**full, key: twice}, body)))
        if self.body_schema is not None:
            if self.body_required:
                out.append(("invalid", self.request("body missing", full)))
            if self.media == "application/json":
                out.append(("invalid", self.request("body not JSON", full, raw=b'{"unfinished": ')))
                kind = v.kind(self.body_schema)
                if kind == "object":
                    out.append(("invalid", self.request("body not an object", full, raw=b"[]")))
                good = json.dumps(body if full_body is MISSING else full_body).encode()
                # The body's framing: JSON's edges, as Python's decoder reads them.
                for label, raw, ctype in [
                    ("body null", b"null", None),
                    ("body empty", b"", None),
                    ("body with a byte-order mark", b"\xef\xbb\xbf" + good, None),
                    ("body as text/plain", good, "text/plain"),
                    ("body as application/vnd.api+json", good, "application/vnd.api+json"),
                    ("body with trailing text", good + b" x", None),
                    ("body with a trailing comma", good[:-1] + b",}" if good.endswith(b"}") else good + b",", None),
                ]:
                    out.append(("invalid", self.request(label, full, raw=raw, content_type=ctype)))
                if isinstance(full_body, dict) and full_body:
                    first = next(iter(full_body))
                    dup = json.dumps({first: "duplicate"})[:-1] + ", " + good[1:].decode()
                    out.append(("lax", self.request(f"body {first} given twice", full,
                                                    raw=dup.encode())))
            on_wire = self.media != "application/json"
            for expect, label, changed in field_cases(v, self.body_schema, full_body, on_wire):
                out.append((expect, self.request(f"body {label}", full, changed)))
        return out


# How deep the body's nested models are taken apart (a field of a model in
# a list in a model is depth 3).
FIELD_DEPTH = 3


def field_cases(v, schema, value, on_wire, depth=1):
    """(expect, label, body) for each field of the model `value` is and of the
    models inside it: missing, of another type, past a bound, in a lax form."""
    s = v.resolve(schema)
    for key in ("anyOf", "oneOf"):
        members = [m for m in s.get(key, []) if v.resolve(m).get("type") != "null"]
        if len(members) == 1:
            s = v.resolve(members[0])
    props = s.get("properties") or {}
    if not isinstance(value, dict) or not props:
        return
    for field in s.get("required", []):
        if field in value:
            yield "invalid", f"{field} missing", {k: x for k, x in value.items() if k != field}
    for field, sub in props.items():
        def changed(new, field=field):
            return {**value, field: new}

        bad = v.wrong(sub, on_wire)
        if bad is not None:
            yield "invalid", f"{field} wrong type", changed(bad)
        for what, x in v.bounds(sub):
            yield "invalid", f"{field} {what}", changed(x)
        for what, x in v.lax(sub, on_wire):
            if on_wire and not isinstance(x, str):
                continue
            yield "lax", f"{field} {what}", changed(x)
        # The models inside: a field's own model, a list's first.
        if depth < FIELD_DEPTH and not on_wire and field in value:
            inner = value[field]
            if isinstance(inner, dict):
                for expect, label, new in field_cases(v, sub, inner, on_wire, depth + 1):
                    yield expect, f"{field}.{label}", changed(new)
            elif isinstance(inner, list) and inner and isinstance(inner[0], dict):
                items = v.resolve(sub).get("items", {})
                for expect, label, new in field_cases(v, items, inner[0], on_wire, depth + 1):
                    yield expect, f"{field}.0.{label}", changed([new] + inner[1:])


def encode(media, body):
    """A body in the operation's media type: bytes and the content type."""
    if media == "application/x-www-form-urlencoded":
        pairs = []
        for k, x in (body or {}).items():
            for item in x if isinstance(x, list) else [x]:
                pairs.append((k, text(item)))
        return urllib.parse.urlencode(pairs).encode(), media
    if media == "multipart/form-data":
        parts = []
        for k, x in (body or {}).items():
            for item in x if isinstance(x, list) else [x]:
                if item == "file contents":
                    head = (f'Content-Disposition: form-data; name="{k}"; filename="{k}.txt"\r\n'
                            "Content-Type: text/plain\r\n")
                else:
                    head = f'Content-Disposition: form-data; name="{k}"\r\n'
                parts.append(f"--{BOUNDARY}\r\n{head}\r\n{text(item)}\r\n")
        data = ("".join(parts) + f"--{BOUNDARY}--\r\n").encode()
        return data, f"multipart/form-data; boundary={BOUNDARY}"
    return json.dumps(body).encode(), media or "application/json"


def generated(app, doc, given_headers):
    values = Values(doc)
    cases = []
    for path, item in (doc.get("paths") or {}).items():
        item = values.resolve(item)
        methods = [m for m in METHODS if m in item]
        for m in methods:
            op = Operation(values, path, m, item[m], item)
            for expect, req in op.cases():
                names = {k.lower() for k, _ in req["headers"]}
                req["headers"] += [[k, v] for k, v in given_headers if k.lower() not in names]
                cases.append((expect, req))
            if given_headers and (item[m].get("security") or doc.get("security")):
                req = op.request("valid, without the given headers", op.param_values(False),
                                 op.values.valid(op.body_schema) if op.body_schema is not None else MISSING)
                cases.append(("invalid", req))
        first = Operation(values, path, methods[0], item[methods[0]], item) if methods else None
        if first is not None:
            req = first.request("valid", first.param_values(False))
            other = next((m for m in ["delete", "patch", "put", "post", "get"] if m not in methods), None)
            if other is not None:
                cases.append(("routing", dict(req, name=f"{path}: {other.upper()} not allowed",
                                              method=other.upper(), headers=[], body=None)))
            bare, _, query = req["path"].partition("?")
            # `//` is no path a client sends (it names a host).
            if bare != "/":
                toggled = bare[:-1] if bare.endswith("/") else bare + "/"
                cases.append(("routing", dict(req, name=f"{path}: other trailing slash",
                                              path=toggled + ("?" + query if query else ""),
                                              headers=[], body=None)))
    cases.append(("routing", {"name": "unknown path", "method": "GET", "path": UNKNOWN_PATH,
                              "headers": [], "body": None}))
    if app.openapi_url:
        # A document is compared as JSON without its key order (as the
        # conformance suite compares documents): clients read it as data.
        cases.append(("routing", {"name": "the document", "method": "GET", "path": app.openapi_url,
                                  "headers": [], "body": None, "compare": "json-unordered"}))
    return cases


def given(files):
    """Requests from the user's JSON files: a list of {name, method, path,
    headers?: [[k, v]], body?: text, json?: value}."""
    out = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            items = json.load(fh)
        for i, c in enumerate(items):
            headers = [list(h) for h in c.get("headers", [])]
            body = None
            if "json" in c:
                body = json.dumps(c["json"]).encode()
                if not any(k.lower() == "content-type" for k, _ in headers):
                    headers.append(["content-type", "application/json"])
            elif c.get("body") is not None:
                body = c["body"].encode()
            out.append(("given", {"name": c.get("name") or f"{os.path.basename(f)} #{i + 1}",
                                  "method": c.get("method", "GET").upper(), "path": c["path"],
                                  "headers": headers, "body": body}))
    return out


# Headers a HAR carries that the transport sets itself.
HAR_SKIPPED = {"host", "content-length", "connection", "accept-encoding", "transfer-encoding"}


def har(files):
    """Requests of HAR exports (a browser's network panel, `Save all as HAR`)."""
    out = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            entries = json.load(fh)["log"]["entries"]
        for i, e in enumerate(entries):
            r = e["request"]
            url = urllib.parse.urlsplit(r["url"])
            path = url.path + ("?" + url.query if url.query else "")
            headers = [[h["name"].lower(), h["value"]] for h in r.get("headers", [])
                       if not h["name"].startswith(":") and h["name"].lower() not in HAR_SKIPPED]
            post = r.get("postData") or {}
            body = post.get("text")
            if body is not None and post.get("encoding") == "base64":
                body = base64.b64decode(body)
            elif body is not None:
                body = body.encode()
            out.append(("har", {"name": f"{os.path.basename(f)} #{i + 1} {r['method']} {url.path}",
                                "method": r["method"].upper(), "path": path, "headers": headers,
                                "body": body}))
    return out


def encode_body(data):
    if data is None:
        return None
    try:
        return {"text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode()}


# Headers the replay's transport writes itself.
SENT_BY_TRANSPORT = {"content-length", "transfer-encoding"}


def answer(client, req):
    """FastAPI's answer, and the headers the client really sent (httpx adds
    its own: `host`, `accept`, `accept-encoding`, `user-agent`...), which
    the replay sends too."""
    res = client.request(req["method"], req["path"], headers=[tuple(h) for h in req["headers"]],
                         content=req["body"], follow_redirects=False)
    sent = [[k.lower(), v] for k, v in res.request.headers.multi_items()
            if k.lower() not in SENT_BY_TRANSPORT]
    return sent, {"status": res.status_code,
                  "headers": [[k.lower(), v] for k, v in res.headers.multi_items()],
                  "body": encode_body(res.content)}


def differences(a, b, at=""):
    """JSON pointers where two decoded bodies differ."""
    if isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys():
        return [p for k in a for p in differences(a[k], b[k], f"{at}/{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [p for i, (x, y) in enumerate(zip(a, b)) for p in differences(x, y, f"{at}/{i}")]
    return [] if a == b else [at or "/"]


def noise(first, second):
    out = []
    if first["status"] != second["status"]:
        out.append("status")
    h1, h2 = dict(first["headers"]), dict(second["headers"])
    out += [f"header {k}" for k in sorted(set(h1) | set(h2)) if h1.get(k) != h2.get(k)]
    if first["body"] != second["body"]:
        try:
            a = json.loads((first["body"] or {}).get("text", ""))
            b = json.loads((second["body"] or {}).get("text", ""))
            out += [f"body {p}" for p in differences(a, b)]
        except ValueError:
            out.append("body")
    return out


REDACTED = "<redacted>"


def redact_value(value, parts):
    """Replaces what the pointer's `parts` name in a decoded body with
    REDACTED (`*`: every key or index); returns whether anything was."""
    if not parts:
        return False
    first, rest = parts[0], parts[1:]
    if isinstance(value, dict):
        keys = list(value) if first == "*" else [first] if first in value else []
    elif isinstance(value, list):
        keys = range(len(value)) if first == "*" else (
            [int(first)] if first.isdigit() and int(first) < len(value) else [])
    else:
        return False
    done = False
    for k in keys:
        if rest:
            done = redact_value(value[k], rest) or done
        else:
            value[k] = REDACTED
            done = True
    return done


def pointer_parts(pointer):
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def redact_response(res, headers, pointers):
    """A recorded answer with the secrets declared replaced by REDACTED:
    the headers named, and the JSON body's values at the pointers (the body
    is written again as FastAPI writes JSON, compact and not ASCII-escaped)."""
    res = dict(res)
    res["headers"] = [[k, REDACTED if k in headers else v] for k, v in res["headers"]]
    body = res["body"]
    if pointers and body and "text" in body:
        try:
            data = json.loads(body["text"])
        except ValueError:
            return res
        if any([redact_value(data, pointer_parts(p)) for p in pointers]):
            res["body"] = {"text": json.dumps(data, ensure_ascii=False, allow_nan=False,
                                              separators=(",", ":"))}
    return res


class UserCode:
    """Tells whether a request ran the app's own code: a route's function or
    one of its dependencies (FastAPI's security classes and other library
    callables are not the app's). What answered without it was decided before
    the handler, by FastAPI itself: what a port answers the same on day 0,
    before any handler is written. Watched with `sys.monitoring` (Python
    3.12+, every thread: a `def` route runs in the threadpool); on older
    Pythons nothing is known and every case says so."""

    def __init__(self, app):
        import inspect
        self.ran = False
        self.codes = set()
        self.models = set()
        self._routes(getattr(app, "routes", []), inspect, set())
        # Routes as served, with their routers' dependencies folded in
        # (FastAPI 0.160+ keeps an included router as a branch).
        try:
            from fastapi.routing import _iter_routes_with_context
            for route, context in _iter_routes_with_context(getattr(app, "routes", [])):
                dependant = getattr(context, "dependant", None)
                if dependant is not None:
                    self._collect(dependant, inspect)
        except ImportError:
            pass
        # The app's exception handlers and middleware functions are its code
        # too (FastAPI's own handlers are not).
        for handler in (getattr(app, "exception_handlers", {}) or {}).values():
            self._add(handler, inspect)
        for m in getattr(app, "user_middleware", []) or []:
            options = getattr(m, "kwargs", None) or getattr(m, "options", None) or {}
            self._add(options.get("dispatch"), inspect)
            # A middleware class of the app's own (a plain ASGI one).
            cls = getattr(m, "cls", None)
            if cls is not None:
                self._add(getattr(cls, "__call__", None), inspect)
        self.monitoring = getattr(sys, "monitoring", None)
        self.tool = None
        if self.monitoring is not None and self.codes:
            for tool in range(5, 0, -1):
                try:
                    self.monitoring.use_tool_id(tool, "ferroapi-contract")
                except ValueError:
                    continue
                self.tool = tool
                break
        self.profiling = False
        if self.tool is not None:
            m = self.monitoring
            m.register_callback(self.tool, m.events.PY_START, self._started)
            for code in self.codes:
                m.set_local_events(self.tool, code, m.events.PY_START)
        elif self.codes:
            import threading
            codes = self.codes

            def profile(frame, event, arg):
                if event == "call" and frame.f_code in codes:
                    self.ran = True
            self._threading = threading
            sys.setprofile(profile)
            threading.setprofile(profile)
            self.profiling = True

    def _routes(self, routes, inspect, seen):
        # Routers included as branches (FastAPI 0.160+) and mounts hold
        # routes of their own.
        for route in routes:
            if id(route) in seen:
                continue
            seen.add(id(route))
            dependant = getattr(route, "dependant", None)
            if dependant is not None:
                self._collect(dependant, inspect)
            for inner in ("original_router", "app", "router"):
                nested = getattr(route, inner, None)
                if nested is not None and nested is not route:
                    self._routes(getattr(nested, "routes", []) or [], inspect, seen)
            self._routes(getattr(route, "routes", []) or [], inspect, seen)

    def _add(self, call, inspect):
        """The code object of a callable of the app's (not of a library)."""
        if call is None:
            return
        target = inspect.unwrap(call)
        module = getattr(target, "__module__", "") or getattr(type(target), "__module__", "") or ""
        if module.startswith(("fastapi.", "starlette.", "pydantic.", "pydantic_core.", "builtins")):
            return
        if isinstance(target, type):
            target = target.__init__
        elif isinstance(target, (classmethod, staticmethod)):
            target = target.__func__
        elif not (inspect.isfunction(target) or inspect.ismethod(target)):
            target = getattr(type(target), "__call__", None)
        target = getattr(target, "__func__", target)
        code = getattr(target, "__code__", None)
        if code is not None:
            self.codes.add(code)

    def _model(self, tp, inspect):
        """A pydantic model's validators, and those of the models it holds."""
        from pydantic import BaseModel
        if tp is None or id(tp) in self.models:
            return
        self.models.add(id(tp))
        for arg in getattr(tp, "__args__", ()) or ():
            self._model(arg, inspect)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            decorators = tp.__pydantic_decorators__
            for table in (decorators.field_validators, decorators.model_validators,
                          decorators.validators, decorators.root_validators):
                for dec in table.values():
                    self._add(dec.func, inspect)
            for field in tp.model_fields.values():
                self._model(field.annotation, inspect)
                for meta in field.metadata:
                    self._add(getattr(meta, "func", None), inspect)

    def _collect(self, dependant, inspect):
        self._add(dependant.call, inspect)
        for params in (dependant.path_params, dependant.query_params, dependant.header_params,
                       dependant.cookie_params, dependant.body_params):
            for f in params:
                self._model(f.field_info.annotation, inspect)
                for meta in f.field_info.metadata:
                    self._add(getattr(meta, "func", None), inspect)
        for sub in dependant.dependencies:
            self._collect(sub, inspect)

    def _started(self, code, offset):
        self.ran = True

    def known(self):
        return self.tool is not None or self.profiling

    def close(self):
        if self.profiling:
            sys.setprofile(None)
            self._threading.setprofile(None)
        if self.tool is not None:
            m = self.monitoring
            for code in self.codes:
                m.set_local_events(self.tool, code, 0)
            m.register_callback(self.tool, m.events.PY_START, None)
            m.free_tool_id(self.tool)


def sqlite_path(url):
    """`sqlite:PATH` or `sqlite://PATH`, PATH as written (as sqlx reads it)."""
    rest = url[len("sqlite:"):]
    return rest[2:] if rest.startswith("//") else rest


class Database:
    """A test database's rows (and PostgreSQL's sequences), read before each
    request of a suite and written back between its two sends: the state
    that request met, recorded so that the replay puts the port's database
    in it too. PostgreSQL through the app's own driver (psycopg, else
    psycopg2), SQLite through Python's."""

    def __init__(self, url):
        if url.startswith("sqlite:"):
            import sqlite3
            self.dialect = "sqlite"
            self.conn = sqlite3.connect(sqlite_path(url), timeout=10, isolation_level=None)
            self.tables = [t for (t,) in self.rows(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT IN ('sqlite_stat1', 'sqlite_stat4') ORDER BY name")]
            refs = [(t, parent) for t in self.tables
                    for (parent,) in self.rows(f"SELECT \"table\" FROM pragma_foreign_key_list('{t}')")]
        else:
            self.dialect = "postgresql"
            self.connect_postgres(url)
            self.tables = [f'"{s}"."{t}"' for s, t in self.rows(
                "SELECT table_schema, table_name FROM information_schema.tables "
                "WHERE table_type = 'BASE TABLE' "
                "AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2")]
            refs = [(f'"{cs}"."{ct}"', f'"{ps}"."{pt}"') for cs, ct, ps, pt in self.rows(
                "SELECT cn.nspname, cl.relname, pn.nspname, pl.relname FROM pg_constraint c "
                "JOIN pg_class cl ON cl.oid = c.conrelid "
                "JOIN pg_namespace cn ON cn.oid = cl.relnamespace "
                "JOIN pg_class pl ON pl.oid = c.confrelid "
                "JOIN pg_namespace pn ON pn.oid = pl.relnamespace "
                "WHERE c.contype = 'f' ORDER BY 1, 2, 3, 4")]
        self.order = parents_first(self.tables, refs)

    def connect_postgres(self, url):
        # SQLAlchemy's spelling names its driver: libpq does not take it.
        url = re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url)
        try:
            import psycopg
            self.conn = psycopg.connect(url, autocommit=True)
        except ImportError:
            try:
                import psycopg2
            except ImportError:
                print("ferroapi: contract record --db needs psycopg or psycopg2 in the app's Python",
                      file=sys.stderr)
                raise SystemExit(2)
            self.conn = psycopg2.connect(url)
            self.conn.autocommit = True

    def rows(self, query, params=()):
        cur = self.conn.cursor()
        cur.execute(query, params)
        out = cur.fetchall()
        cur.close()
        return out

    def snapshot(self):
        """Every row of every table, each table's rows as JSON text in a
        fixed order (so that equal states compare equal), and every
        sequence's position: `{"tables": .., "sequences": ..}`."""
        tables, sequences = {}, {}
        if self.dialect == "sqlite":
            for table in self.tables:
                cur = self.conn.execute(f'SELECT * FROM "{table}"')
                names = [d[0] for d in cur.description]
                rows = []
                for row in cur.fetchall():
                    if any(isinstance(v, bytes) for v in row):
                        print(f"ferroapi: contract record --db: `{table}` holds a BLOB, which a "
                              "recorded state does not carry", file=sys.stderr)
                        raise SystemExit(2)
                    rows.append(json.dumps(dict(zip(names, row)), ensure_ascii=False))
                tables[table] = "[" + ",".join(sorted(rows)) + "]"
        else:
            for table in self.tables:
                tables[table] = self.rows(
                    f"SELECT coalesce(json_agg(t ORDER BY t::text), '[]')::text FROM {table} t")[0][0]
            for schema, name, value, start in self.rows(
                    "SELECT schemaname, sequencename, last_value, start_value FROM pg_sequences "
                    "ORDER BY 1, 2"):
                sequences[f'"{schema}"."{name}"'] = [value if value is not None else start,
                                                     value is not None]
        return json.dumps({"tables": tables, "sequences": sequences}, sort_keys=True,
                          ensure_ascii=False)

    def restore(self, snapshot):
        """Writes a state back into this (the app's own) database, between the
        two sends of a request: children deleted first, parents inserted
        first."""
        state = json.loads(snapshot)
        if self.dialect == "sqlite":
            self.conn.execute("BEGIN")
            for t in reversed(self.order):
                self.conn.execute(f'DELETE FROM "{t}"')
            for t in self.order:
                for row in json.loads(state["tables"][t]):
                    columns = ", ".join('"' + c.replace('"', '""') + '"' for c in row)
                    marks = ", ".join("?" for _ in row)
                    self.conn.execute(f'INSERT INTO "{t}" ({columns}) VALUES ({marks})',
                                      list(row.values()))
            self.conn.execute("COMMIT")
            return
        cur = self.conn.cursor()
        statements = ["BEGIN", "SET LOCAL lock_timeout = '10s'"]
        statements += [f"DELETE FROM {t}" for t in reversed(self.order)]
        cur.execute(";".join(statements))
        for t in self.order:
            cur.execute(f"INSERT INTO {t} OVERRIDING SYSTEM VALUE SELECT * FROM "
                        f"json_populate_recordset(NULL::{t}, %s::json)", (state["tables"][t],))
        for name, (value, called) in state["sequences"].items():
            cur.execute("SELECT setval(%s, %s, %s)", (name, value, called))
        cur.execute("COMMIT")
        cur.close()


def parents_first(tables, refs):
    """Tables ordered so that each comes after those it references."""
    parents = {}
    for child, parent in refs:
        if child != parent:
            parents.setdefault(child, set()).add(parent)
    out, done = [], set()

    def visit(t, path):
        if t in done or t in path:
            return
        for p in sorted(parents.get(t, ())):
            if p in tables:
                visit(p, path | {t})
        done.add(t)
        out.append(t)
    for t in tables:
        visit(t, frozenset())
    return out


def as_answer(res):
    return {"status": res.status_code,
            "headers": [[k.lower(), v] for k, v in res.headers.multi_items()],
            "body": encode_body(res.content)}


def suite(app, options, watch):
    """The app's own pytest suite, run here with every request its clients
    send recorded: Starlette's `TestClient` and httpx's `AsyncClient` over an
    `ASGITransport` (their transports, patched for the run). With a
    database, each request is sent twice from the state it met (read
    before, written back between): what differs is noise, the second answer
    is the one the test sees, and the state goes into the recording."""
    import contextlib
    import importlib
    import pytest
    from starlette import testclient

    db = Database(options["db"]) if options.get("db") else None
    test = {"id": "(outside a test)", "n": {}}
    recorded = []
    states = {}
    failed = []

    def begin():
        watch.ran = False
        return db.snapshot() if db else None

    def again(before):
        """Whether to send a second time, the state written back first."""
        if db and db.snapshot() != before:
            db.restore(before)
        return db is not None

    def keep(request, content, before, ran, first, res):
        differ = noise(as_answer(first), as_answer(res)) if res is not first else []
        n = test["n"][test["id"]] = test["n"].get(test["id"], 0) + 1
        path = request.url.raw_path.decode("latin-1")
        case = {"name": f"{test['id']} #{n}", "expect": "suite",
                "request": {"method": request.method, "path": path,
                            "headers": [[k.lower(), v] for k, v in request.headers.multi_items()
                                        if k.lower() not in SENT_BY_TRANSPORT],
                            "body": encode_body(content) if content else None},
                "response": as_answer(res), "noise": differ}
        if watch.known():
            case["user_code"] = ran
        if db:
            case["state"] = states.setdefault(before, f"state {len(states) + 1}")
        recorded.append(case)

    def sync(original):
        def handle(self, request):
            content = request.read()
            before = begin()
            first = original(self, request)
            first.read()
            ran, res = watch.ran, first
            if again(before):
                res = original(self, request)
                res.read()
            keep(request, content, before, ran, first, res)
            return res
        return handle

    def asynchronous(original):
        async def handle(self, request):
            content = await request.aread()
            before = begin()
            first = await original(self, request)
            await first.aread()
            ran, res = watch.ran, first
            if again(before):
                res = await original(self, request)
                await res.aread()
            keep(request, content, before, ran, first, res)
            return res
        return handle

    patched = [(testclient._TestClientTransport, "handle_request", sync)]
    # httpx's ASGITransport (and httpx2's, which newer Starlettes use).
    for name in ("httpx", "httpx2"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(module, "ASGITransport"):
            patched.append((module.ASGITransport, "handle_async_request", asynchronous))
    originals = [(cls, attr, getattr(cls, attr)) for cls, attr, _ in patched]

    class Plugin:
        @pytest.hookimpl(tryfirst=True)
        def pytest_runtest_protocol(self, item, nextitem):
            test["id"] = item.nodeid

        def pytest_runtest_logreport(self, report):
            if report.failed:
                failed.append(f"{report.nodeid} ({report.when})")

    for (cls, attr, wrap), (_, _, original) in zip(patched, originals):
        setattr(cls, attr, wrap(original))
    try:
        # pytest's report goes to standard error: standard output is the
        # recording's.
        with contextlib.redirect_stdout(sys.stderr):
            code = pytest.main(list(options["pytest"]) + ["-p", "no:cacheprovider"],
                               plugins=[Plugin()])
    finally:
        for cls, attr, original in originals:
            setattr(cls, attr, original)
    if int(code) not in (0, 5):
        for f in failed:
            print(f"ferroapi: failed: {f}", file=sys.stderr)
        print(f"ferroapi: the app's suite failed (pytest exit {int(code)}): its answers are "
              "recorded as they were", file=sys.stderr)
    if not db:
        return recorded, None
    return recorded, {"dialect": db.dialect, "order": db.order,
                      "states": {name: json.loads(snapshot) for snapshot, name in states.items()}}


# ferroapi: load_app


def record(target, app_dir, options):
    warnings.simplefilter("ignore")
    app = load_app(target, app_dir)
    import fastapi
    import pydantic
    import starlette
    from fastapi.testclient import TestClient

    cases = []
    if options.get("generate", True):
        cases += generated(app, app.openapi(), options.get("headers", []))
    cases += given(options.get("cases", []))
    cases += har(options.get("har", []))
    names = set()
    for _, req in cases:
        base, n = req["name"], 2
        while req["name"] in names:
            req["name"] = f"{base} ({n})"
            n += 1
        names.add(req["name"])
    # Two passes, each over every case in order, each in a client of its own
    # (the lifespan runs once a pass): what differs between them is noise.
    passes = []
    watch = UserCode(app)
    suite_cases, database = suite(app, options, watch) if options.get("pytest") else ([], None)
    reached = []
    for n in range(2):
        with TestClient(app, raise_server_exceptions=False) as client:
            answers = []
            for _, req in cases:
                watch.ran = False
                answers.append(answer(client, req))
                if n == 0:
                    reached.append(watch.ran)
            passes.append(answers)
    known = watch.known()
    watch.close()
    secret = {(k.lower(), v) for k, v in options.get("headers", [])}
    hidden = {h.lower() for h in options.get("redact_headers", [])}
    pointers = options.get("redact_json", [])
    out = []
    for (expect, req), (sent, first), (_, second), ran in zip(cases, *passes, reached):
        headers = [[k, GIVEN if (k.lower(), v) in secret or k.lower() in hidden else v]
                   for k, v in sent]
        out.append({"name": req["name"], "expect": expect,
                    "request": {"method": req["method"], "path": req["path"], "headers": headers,
                                "body": encode_body(req["body"])},
                    "response": redact_response(first, hidden, pointers),
                    "noise": noise(first, second)})
        # Whether the app's own code (a handler, a dependency) ran for it.
        if known:
            out[-1]["user_code"] = ran
        if req.get("compare"):
            out[-1]["compare"] = req["compare"]
    for case in suite_cases:
        req = case["request"]
        req["headers"] = [[k, GIVEN if k in hidden else v] for k, v in req["headers"]]
        case["response"] = redact_response(case["response"], hidden, pointers)
        out.append(case)
    recording = {"format": FORMAT, "app": target,
            "redacted": {"headers": sorted(hidden), "json": pointers},
            "versions": {"python": sys.version.split()[0], "fastapi": fastapi.__version__,
                         "pydantic": pydantic.VERSION, "starlette": starlette.__version__},
            "cases": out}
    if database:
        recording["database"] = database
    return recording


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    out = record(sys.argv[1], sys.argv[2], json.load(sys.stdin))
    sys.stdout.write(json.dumps(out, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
