"""Records FastAPI's answers to every conformance case (the oracle).

Runs each app of apps/ in-process with Starlette's TestClient and writes
golden/<app>.json: the requests, and FastAPI's status, headers and body for
each. Run through ./record.sh, which installs the pinned FastAPI first.
"""
import base64
import importlib
import json
import os
import sys
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.join(HERE, "cases"), os.path.join(HERE, "apps"),
                os.path.join(HERE, "..", "guide", "python")]
warnings.simplefilter("ignore")

from fastapi.testclient import TestClient  # noqa: E402

GUIDE = ["first_steps", "path_params", "query_params", "request_body", "query_validations",
         "path_validations", "header_cookie", "param_models", "body_multiple", "body_fields", "nested_models", "schema_examples", "extra_types", "response_model", "status_codes", "forms_files", "handling_errors", "operation_config", "body_updates", "dependencies", "dependencies_global", "scopes", "http_basic", "middleware", "bigger_apps", "background_tasks", "metadata", "lax_strict", "streams", "lifespan"]
APPS = ["params", "bodies", "constraints", "errors", "responses", "routers", "forms", "handlers", "security", "cors", "dependencies", "scopes", "middleware", "https", "cors_any", "lax", "literals", "unions", "datetimes", "special", "operations", "including", "schemes", "limits", "lifespans", "statics", "streams", "callbacks", "mounts", "unsplit", "fuzz_types", "layers", "unset", "urls", "validators", "options"] + [
    # The guide's FastAPI apps (guide/python/tut_*.py), in chapter order.
    "tut_" + name for name in GUIDE]


def encode_body(data: bytes):
    try:
        return {"text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode()}


def replay(name, client, cases):
    out = []
    seen = set()
    for case in cases:
        assert case["name"] not in seen, f"duplicate case name {case['name']!r} in {name}"
        seen.add(case["name"])
        res = client.request(case["method"], case["path"], headers=case["headers"],
                             content=case["body"], follow_redirects=False)
        out.append({
            "name": case["name"],
            "bad": case["bad"],
            # A header value given as bytes (UTF-8, which httpx passes through
            # unchanged) is kept as its text: the replay sends its UTF-8 bytes.
            "request": {"method": case["method"], "path": case["path"],
                        "headers": [[k, v.decode("utf-8") if isinstance(v, bytes) else v]
                                    for k, v in case["headers"]],
                        "body": encode_body(case["body"]) if case["body"] is not None else None},
            "response": {"status": res.status_code,
                         "headers": [[k.lower(), v] for k, v in res.headers.multi_items()],
                         "body": encode_body(res.content)},
        })
    return out


def record(name: str):
    app = importlib.import_module(name).app
    cases = importlib.import_module(f"cases_{name}").CASES
    # As a test suite uses it: `with`, so the lifespan runs.
    with TestClient(app, raise_server_exceptions=False) as client:
        out = replay(name, client, cases)
        doc = app.openapi()
        if app.root_path and app.openapi_url:
            # As served: FastAPI adds its root path as the first server.
            doc = client.get(app.openapi_url).json()
    # conformance/fuzz records other samples elsewhere.
    out_dir = os.environ.get("CONFORMANCE_GOLDEN_DIR", os.path.join(HERE, "golden"))
    with open(os.path.join(out_dir, f"{name}.openapi.json"), "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    path = os.path.join(out_dir, f"{name}.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"app": name, "openapi_url": app.openapi_url, "cases": out}, f, indent=1, ensure_ascii=False)
        f.write("\n")
    return len(out), sum(1 for c in out if c["bad"])


def main():
    import fastapi
    total = bad = 0
    only = os.environ.get("CONFORMANCE_APPS")
    for name in APPS:
        if only and name not in only.split(","):
            continue
        n, b = record(name)
        total += n
        bad += b
        print(f"{name}: {n} cases ({b} bad input)")
    print(f"recorded {total} cases, {bad} bad input, with fastapi {fastapi.__version__}")


if __name__ == "__main__":
    main()
