"""ferroapi port inspect: imports a FastAPI app in the user's own Python and
prints its port manifest (JSON, keys sorted, nothing that changes between two
runs: no memory addresses, paths relative to the app's directory).

    python port_inspect.py MODULE:ATTR APP_DIR

Written for ferroapi's `port inspect`; it reads FastAPI's and pydantic's
public attributes and the few internals every FastAPI 0.100+ app carries
(`route.dependant`, `app.user_middleware`), and records their versions.
"""

import dataclasses
import enum
import importlib
import inspect
import json
import os
import re
import sys

MANIFEST_VERSION = 1

ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


def text(value):
    """A stable text for any Python value (no memory addresses)."""
    return ADDRESS.sub("", repr(value))


def plain(value):
    """`value` as JSON when it is JSON-able, else its stable text."""
    try:
        json.dumps(value, sort_keys=True)
        return value
    except (TypeError, ValueError):
        return {"repr": text(value)}


class Where:
    def __init__(self, app_dir):
        self.app_dir = os.path.realpath(app_dir)

    def __call__(self, func):
        """`file:line` of a function, relative to the app's directory."""
        if func is None:
            return None
        target = inspect.unwrap(func)
        if not (isinstance(target, type) or inspect.isfunction(target) or inspect.ismethod(target)):
            # A callable instance (a class used as a dependency, once made):
            # where its `__call__` is.
            target = getattr(type(target), "__call__", target)
        try:
            source = inspect.getsourcefile(target)
            _, line = inspect.getsourcelines(target)
        except (TypeError, OSError):
            return None
        if not source:
            return None
        real = os.path.realpath(source)
        shown = os.path.relpath(real, self.app_dir) if real.startswith(self.app_dir + os.sep) else real
        if "site-packages" in real or "dist-packages" in real:
            shown = "<site-packages>/" + real.split("-packages" + os.sep, 1)[1]
        return f"{shown}:{line}"


def name_of(obj):
    if obj is None:
        return None
    module = getattr(obj, "__module__", None) or ""
    qual = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if qual is None:
        qual = type(obj).__qualname__
        module = type(obj).__module__
    return f"{module}.{qual}" if module else qual


def annotation(tp):
    """A type annotation as text: `int`, `list[str]`, `Optional[Item]`."""
    if tp is None:
        return None
    if isinstance(tp, type) and not getattr(tp, "__args__", None):
        return tp.__name__ if tp.__module__ == "builtins" else f"{tp.__module__}.{tp.__qualname__}"
    return text(tp).replace("typing.", "")


def field_info(fi, where):
    """What pydantic's FieldInfo declares."""
    from pydantic_core import PydanticUndefined

    out = {
        "annotation": annotation(fi.annotation),
        "required": fi.is_required(),
        "alias": fi.alias,
        "validation_alias": plain(fi.validation_alias) if fi.validation_alias is not None else None,
        "serialization_alias": fi.serialization_alias,
        "title": fi.title,
        "description": fi.description,
        "examples": plain(fi.examples),
        "deprecated": plain(fi.deprecated),
        "exclude": fi.exclude,
        "frozen": fi.frozen,
        "strict": getattr(fi, "strict", None),
        "json_schema_extra": plain(fi.json_schema_extra) if not callable(fi.json_schema_extra) else
        {"function": name_of(fi.json_schema_extra), "at": where(fi.json_schema_extra)},
        "constraints": [text(m) for m in fi.metadata],
    }
    if fi.default_factory is not None:
        out["default_factory"] = {"function": name_of(fi.default_factory), "at": where(fi.default_factory)}
    elif fi.default is not PydanticUndefined:
        out["default"] = plain(fi.default.value if isinstance(fi.default, enum.Enum) else fi.default)
    discriminator = getattr(fi, "discriminator", None)
    if discriminator is not None:
        out["discriminator"] = plain(discriminator) if isinstance(discriminator, str) else text(discriminator)
    # Empty options are left out; a default is kept whatever it is
    # (`= False`, `= []`, `= None`).
    kept = {k: v for k, v in out.items() if v is not None and v != [] and v is not False}
    if "default" in out:
        kept["default"] = out["default"]
    return kept | {"required": out["required"]}


class Models:
    """Every pydantic model reachable from the routes, by qualified name."""

    def __init__(self, where):
        self.where = where
        self.found = {}

    def visit_type(self, tp):
        from pydantic import BaseModel

        if tp is None:
            return
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            self.add(tp)
        for arg in getattr(tp, "__args__", ()) or ():
            self.visit_type(arg)
        origin = getattr(tp, "__origin__", None)
        if origin is not None and origin is not tp:
            self.visit_type(origin)

    def add(self, cls):
        key = name_of(cls)
        if key in self.found:
            return
        self.found[key] = None  # placeholder: a model may refer to itself
        decorators = cls.__pydantic_decorators__
        validators = []
        for kind, table in (("field_validator", decorators.field_validators),
                            ("model_validator", decorators.model_validators),
                            ("field_serializer", decorators.field_serializers),
                            ("model_serializer", decorators.model_serializers),
                            ("validator", decorators.validators),
                            ("root_validator", decorators.root_validators)):
            for name, dec in sorted(table.items()):
                info = dec.info
                validators.append({
                    "kind": kind,
                    "function": name,
                    "mode": getattr(info, "mode", None),
                    "fields": list(getattr(info, "fields", ()) or ()),
                    "at": self.where(dec.func),
                    "todo": True,
                })
        config = {k: plain(v) if not callable(v) else {"function": name_of(v), "at": self.where(v)}
                  for k, v in sorted(cls.model_config.items())}
        fields = {}
        for fname, fi in cls.model_fields.items():
            fields[fname] = field_info(fi, self.where)
            self.visit_type(fi.annotation)
        computed = {n: {"annotation": annotation(c.return_type), "at": self.where(c.wrapped_property.fget)}
                    for n, c in sorted(cls.model_computed_fields.items())}
        self.found[key] = {
            "at": self.where(cls),
            "bases": [name_of(b) for b in cls.__bases__],
            "config": config,
            "fields": fields,
            "field_order": list(cls.model_fields),
            "computed_fields": computed,
            "validators": validators,
            "schema": {
                "validation": cls.model_json_schema(mode="validation"),
                "serialization": cls.model_json_schema(mode="serialization"),
            },
        }


def param(field, where, location):
    fi = field.field_info
    out = {
        "name": field.name,
        "location": location,
        "alias": field.alias,
        "field": field_info(fi, where),
    }
    if location == "body":
        out["embed"] = bool(getattr(fi, "embed", False))
        out["media_type"] = getattr(fi, "media_type", None)
    if location == "header":
        out["convert_underscores"] = getattr(fi, "convert_underscores", True)
    return out


def dependant(dep, where, models, top=False):
    """A route's or a dependency's parameters and sub-dependencies."""
    params = []
    for location, fields in (("path", dep.path_params), ("query", dep.query_params),
                             ("header", dep.header_params), ("cookie", dep.cookie_params),
                             ("body", dep.body_params)):
        for f in fields:
            params.append(param(f, where, location))
            models.visit_type(f.field_info.annotation)
    call = dep.call
    out = {"params": params}
    if not top:
        from fastapi.security.base import SecurityBase

        out["name"] = dep.name
        out["use_cache"] = dep.use_cache
        if isinstance(call, SecurityBase):
            out["security"] = {
                "class": name_of(type(call)),
                "scheme_name": call.scheme_name,
                "model": plain(call.model.model_dump(mode="json", exclude_none=True, by_alias=True)),
                "scopes": list(dep.own_oauth_scopes or []),
                # What changes the scheme's answers: `auto_error=False`, the
                # realm of a Basic challenge.
                "options": {k: plain(getattr(call, k)) for k in ("auto_error", "realm")
                            if hasattr(call, k)},
            }
        else:
            target = inspect.unwrap(call) if call is not None else None
            out["function"] = name_of(call)
            out["at"] = where(call)
            out["yield"] = bool(target is not None and (inspect.isgeneratorfunction(target)
                                                         or inspect.isasyncgenfunction(target)))
            out["async"] = bool(target is not None and (inspect.iscoroutinefunction(target)
                                                         or inspect.isasyncgenfunction(target)))
            out["scopes"] = list(dep.own_oauth_scopes or [])
            out["todo"] = True
        scope = getattr(dep, "scope", None)
        if scope:
            out["scope"] = scope
    special = {k: getattr(dep, k) for k in ("request_param_name", "websocket_param_name",
                                             "response_param_name", "background_tasks_param_name",
                                             "security_scopes_param_name") if getattr(dep, k, None)}
    if special:
        out["special_params"] = special
    out["dependencies"] = [dependant(d, where, models) for d in dep.dependencies]
    return out


def user_functions(f, seen=None):
    """The app's own functions inside a framework wrapper (FastAPI merges a
    lifespan with its routers' into a closure)."""
    seen = set() if seen is None else seen
    if f is None or id(f) in seen:
        return []
    seen.add(id(f))
    module = getattr(f, "__module__", "") or ""
    if not module.startswith(("fastapi", "starlette", "contextlib")):
        return [f]
    found = []
    for cell in getattr(f, "__closure__", None) or ():
        try:
            inner = cell.cell_contents
        except ValueError:
            continue
        if callable(inner):
            found += user_functions(inner, seen)
    return found


def flattened(routes):
    """(route, effective context) pairs, included routers flattened
    (FastAPI 0.160+ keeps `include_router` as a branch; older ones copy the
    routes with their prefix)."""
    try:
        from fastapi.routing import _iter_routes_with_context
    except ImportError:
        return [(r, None) for r in routes]
    return list(_iter_routes_with_context(routes))


def router_name(router):
    """The module-level name the app gave a router (`users.router`), looked
    up in the modules of its routes' functions, its own included routers'
    first: None when none binds it."""
    modules, seen, stack = [], set(), [router]
    while stack and len(seen) < 1000:
        r = stack.pop(0)
        if id(r) in seen:
            continue
        seen.add(id(r))
        for x in getattr(r, "routes", []) or []:
            module = getattr(getattr(x, "endpoint", None), "__module__", None)
            if module and module not in modules:
                modules.append(module)
            inner = getattr(x, "original_router", None)
            if inner is not None:
                stack.append(inner)
    # Then the app's other modules (those under the directory it is
    # imported from), where a router made of others is often kept.
    here = os.getcwd() + os.sep
    modules += sorted(n for n, m in list(sys.modules.items())
                      if (getattr(m, "__file__", None) or "").startswith(here)
                      and "site-packages" not in m.__file__ and n not in modules)
    for name in modules:
        found = sorted(k for k, v in list(getattr(sys.modules.get(name), "__dict__", {}).items())
                       if v is router and not k.startswith("_"))
        if found:
            return f"{name}.{found[0]}"
    return None


def routers(routes, where):
    """Each `include_router` as declared: prefix, tags, dependencies."""
    out = []
    for r in routes:
        context = getattr(r, "include_context", None)
        original = getattr(r, "original_router", None)
        if context is None or original is None:
            continue
        out.append({
            "name": router_name(original),
            "prefix": context.prefix,
            "router_prefix": original.prefix,
            "router_tags": [t.value if isinstance(t, enum.Enum) else t for t in original.tags],
            "router_dependencies": [{"function": name_of(d.dependency), "at": where(d.dependency)}
                                    for d in original.dependencies],
            "tags": [t.value if isinstance(t, enum.Enum) else t for t in context.tags],
            "dependencies": [{"function": name_of(d.dependency), "at": where(d.dependency)}
                             for d in context.dependencies],
            "responses": sorted(str(k) for k in context.responses),
            "deprecated": context.deprecated,
            "include_in_schema": context.include_in_schema,
            "routes": [name_of(getattr(x, "endpoint", None)) for x in original.routes
                       if getattr(x, "endpoint", None) is not None],
            "included": routers(original.routes, where),
        })
    return out


def route(r, where, models, context=None):
    from fastapi.routing import APIRoute, APIWebSocketRoute
    from starlette.routing import Mount, Route, WebSocketRoute

    if isinstance(r, APIRoute) and context is not None:
        # What FastAPI serves: the route with its routers' prefix, tags,
        # dependencies and options folded in.
        r = context
    if isinstance(r, APIRoute) or (context is not None and r is context):
        models.visit_type(r.response_model)
        # A streamed answer's items (`AsyncIterable[Item]`) and the models of
        # `responses=`.
        models.visit_type(getattr(r, "stream_item_type", None))
        for extra in (r.responses or {}).values():
            if isinstance(extra, dict):
                models.visit_type(extra.get("model"))
        return {
            "kind": "route",
            "path": r.path,
            "methods": sorted(r.methods),
            "name": r.name,
            "operation_id": r.operation_id,
            "unique_id": r.unique_id,
            "tags": [t.value if isinstance(t, enum.Enum) else t for t in (r.tags or [])],
            "summary": r.summary,
            "description": r.description,
            "response_description": r.response_description,
            "deprecated": bool(r.deprecated),
            "include_in_schema": r.include_in_schema,
            # FastAPI 0.160+: the body limits in force for the route (its own,
            # its routers', or the app's), and its content-type check.
            "max_body_size": getattr(r, "max_body_size", None),
            "strict_content_type": getattr(getattr(r, "strict_content_type", True), "value",
                                           getattr(r, "strict_content_type", True)),
            "form_limits": plain(dict(getattr(r, "form_limits", None) or {})),
            "status_code": r.status_code,
            "response_model": annotation(r.response_model),
            "response_model_include": plain(r.response_model_include),
            "response_model_exclude": plain(r.response_model_exclude),
            "response_model_by_alias": r.response_model_by_alias,
            "response_model_exclude_unset": r.response_model_exclude_unset,
            "response_model_exclude_defaults": r.response_model_exclude_defaults,
            "response_model_exclude_none": r.response_model_exclude_none,
            "response_class": name_of(r.response_class) if not hasattr(r.response_class, "value")
            else name_of(r.response_class.value),
            "responses": {str(k): plain({kk: (annotation(vv) if kk == "model" else vv) for kk, vv in v.items()})
                          for k, v in sorted((r.responses or {}).items(), key=lambda kv: str(kv[0]))},
            "openapi_extra": plain(r.openapi_extra),
            "handler": {"function": name_of(r.endpoint), "at": where(r.endpoint), "todo": True},
            "dependant": dependant(r.dependant, where, models, top=True),
            # The requests the route documents it will make (OpenAPI callbacks).
            "callbacks": [route(c, where, models) for c in (r.callbacks or [])],
        }
    if isinstance(r, APIWebSocketRoute):
        return {"kind": "websocket", "path": r.path, "name": r.name,
                "handler": {"function": name_of(r.endpoint), "at": where(r.endpoint), "todo": True},
                "dependant": dependant(r.dependant, where, models, top=True)}
    if isinstance(r, Mount):
        out = {"kind": "mount", "path": r.path, "name": r.name, "app": name_of(type(r.app))}
        from starlette.staticfiles import StaticFiles
        if isinstance(r.app, StaticFiles):
            # Where the files are, as the app named the directory.
            out["static"] = {"directory": None if r.app.directory is None else str(r.app.directory),
                             "html": bool(r.app.html), "packages": plain(r.app.packages)}
        return out
    if isinstance(r, WebSocketRoute):
        return {"kind": "starlette_websocket", "path": r.path, "name": r.name,
                "handler": {"function": name_of(r.endpoint), "at": where(r.endpoint), "todo": True}}
    if isinstance(r, Route):
        methods = sorted(r.methods or [])
        kind = "docs" if r.path in {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"} else "starlette_route"
        return {"kind": kind, "path": r.path, "name": r.name, "methods": methods}
    return {"kind": "other", "class": name_of(type(r))}


# ferroapi: load_app


def manifest(target, app_dir):
    app = load_app(target, app_dir)
    import fastapi
    import pydantic
    import starlette

    where = Where(app_dir)
    models = Models(where)
    routes = [route(r, where, models, c) for r, c in flattened(app.routes)]
    # The requests the app documents it sends (`app.webhooks`).
    webhooks = [route(r, where, models) for r in getattr(getattr(app, "webhooks", None), "routes", [])]
    handlers = []
    for key, handler in app.exception_handlers.items():
        handlers.append({"exception": str(key) if isinstance(key, int) else name_of(key),
                         "function": name_of(handler), "at": where(handler),
                         "builtin": name_of(handler).startswith("fastapi.")})
    handlers.sort(key=lambda h: h["exception"])
    middleware = []
    for m in app.user_middleware:
        kwargs = getattr(m, "kwargs", {}) or {}
        entry = {"class": name_of(m.cls), "options": {k: plain(v) for k, v in sorted(kwargs.items())}}
        dispatch = kwargs.get("dispatch")
        if callable(dispatch):
            entry["options"]["dispatch"] = {"function": name_of(dispatch), "at": where(dispatch)}
            entry["todo"] = True
        middleware.append(entry)
    lifespan_entry = [{"function": name_of(f), "at": where(f), "todo": True}
                      for f in user_functions(app.router.lifespan_context)]
    lifespan_entry += [{"function": name_of(f), "at": where(f), "todo": True, "event": event}
                       for event, fs in (("startup", app.router.on_startup),
                                         ("shutdown", app.router.on_shutdown)) for f in fs]
    return {
        "manifest_version": MANIFEST_VERSION,
        "target": target,
        "versions": {
            "python": ".".join(map(str, sys.version_info[:3])),
            "fastapi": fastapi.__version__,
            "starlette": starlette.__version__,
            "pydantic": pydantic.VERSION,
        },
        "app": {
            "title": app.title,
            "version": app.version,
            "summary": app.summary,
            "description": app.description,
            "root_path": app.root_path,
            "openapi_url": app.openapi_url,
            "docs_url": app.docs_url,
            "redoc_url": app.redoc_url,
            "redirect_slashes": app.router.redirect_slashes,
            "separate_input_output_schemas": app.separate_input_output_schemas,
            "max_body_size": getattr(app, "max_body_size", None),
            # Merged into every route's `dependant` as well.
            "dependencies": [{"function": name_of(d.dependency), "at": where(d.dependency)}
                             for d in app.router.dependencies],
        },
        "routes": routes,
        "webhooks": webhooks,
        "routers": routers(app.routes, where),
        "exception_handlers": handlers,
        "middleware": middleware,
        "lifespan": lifespan_entry,
        "models": {k: v for k, v in sorted(models.found.items())},
        "openapi": app.openapi() if app.openapi_url else None,
    }


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    out = manifest(sys.argv[1], sys.argv[2])
    sys.stdout.write(json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False, default=text) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
