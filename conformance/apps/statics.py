"""Starlette's StaticFiles as FastAPI mounts it: media types with charset,
HEAD, 404 and 405 through FastAPI's handlers, html=True (index.html for a
directory, with the slash redirect; 404.html), traversal refused."""
import os

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

HERE = os.path.dirname(os.path.abspath(__file__))
SITE = os.path.join(HERE, "static_site")

# A fixed modification time, so the recorded `etag` and `last-modified` do
# not depend on when the files were checked out.
for root, _dirs, files in os.walk(SITE):
    for f in files:
        os.utime(os.path.join(root, f), (1767225600, 1767225600))

app = FastAPI()
app.mount("/static", StaticFiles(directory=SITE), name="static")
app.mount("/site", StaticFiles(directory=SITE, html=True), name="site")


@app.get("/api")
def api():
    return {"api": True}
