def load_app(target, app_dir):
    """The FastAPI app `MODULE:ATTR` names, imported from `app_dir`; what
    goes wrong said in one line a user can act on (exit 2)."""
    def fail(message):
        sys.stderr.write(f"{message}\n")
        sys.exit(2)

    try:
        import fastapi
    except ImportError:
        fail(f"{sys.executable} has no FastAPI: give --python the Python of the app's own "
             "environment (its .venv/bin/python)")
    sys.path.insert(0, app_dir)
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except Exception as e:  # noqa: BLE001 (any error of the app's import)
        where = ""
        tb = e.__traceback__
        while tb is not None:
            # The innermost line of the app's (not of importlib's machinery).
            if not tb.tb_frame.f_code.co_filename.startswith("<"):
                where = f" ({tb.tb_frame.f_code.co_filename}:{tb.tb_lineno})"
            tb = tb.tb_next
        hint = ""
        if isinstance(e, ModuleNotFoundError) and e.name == module_name.split(".")[0]:
            where = ""
            hint = f"; is --app-dir ({app_dir}) the directory it is imported from?"
        fail(f"the app does not import: {type(e).__name__}: {e}{where}{hint}")
    app = getattr(module, attr or "app", None)
    if app is None:
        fail(f"{module_name} has no `{attr or 'app'}`")
    if not isinstance(app, fastapi.FastAPI):
        fail(f"{target} is a {type(app).__module__}.{type(app).__qualname__}, not a FastAPI app")
    return app
