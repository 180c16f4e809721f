"""GZip (minimum size, only when the client accepts it) and TrustedHost
(exact, wildcard, the www redirect)."""
from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.responses import PlainTextResponse

app = FastAPI()
app.add_middleware(GZipMiddleware, minimum_size=100)
app.add_middleware(
    TrustedHostMiddleware,
    allowed_hosts=["testserver", "www.example.com", "*.example.org"],
)


@app.get("/small")
def small():
    return {"ok": True}


@app.get("/big")
def big():
    return {"data": "x" * 500}


@app.get("/text", response_class=PlainTextResponse)
def text():
    return "y" * 300
