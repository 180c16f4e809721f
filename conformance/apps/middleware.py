"""GZip (minimum size, only when the client accepts it) and TrustedHost
(exact, wildcard, the www redirect); CORS outside GZip: one `vary` header."""
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.responses import PlainTextResponse

app = FastAPI()
app.add_middleware(GZipMiddleware, minimum_size=100)
app.add_middleware(CORSMiddleware, allow_origins=["https://a.example"])
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


@app.get("/vary", response_class=PlainTextResponse)
def vary():
    return PlainTextResponse("z" * 300, headers={"Vary": "Cookie"})
