"""The request's URL: `request.url` (whole, its path and its query) and
`request.base_url`, in an app with a `root_path`, for the Host headers a
client may send (a host, a port, an IP literal; one that is not a host, for
which Starlette writes the server's own name)."""
from fastapi import FastAPI, Request

app = FastAPI(root_path="/api")


@app.get("/where/{rest:path}")
def where_am_i(rest: str, request: Request):
    return {
        "rest": rest,
        "url": str(request.url),
        "path": request.url.path,
        "query": request.url.query,
        "base_url": str(request.base_url),
    }
