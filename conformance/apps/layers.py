"""Middleware order as Starlette stacks it: the one added last is outermost.
`inner` is declared before CORS (the preflight never reaches it; its own
403 gets CORS headers), `outer` after CORS (it sees the preflight answers
and the CORS headers), GZip last (outermost: `outer` sees the body
uncompressed)."""
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import PlainTextResponse

app = FastAPI()


@app.middleware("http")
async def inner(request: Request, call_next):
    if request.url.path == "/blocked":
        return PlainTextResponse("blocked by inner", status_code=403)
    response = await call_next(request)
    response.headers["x-inner"] = "1"
    return response


app.add_middleware(CORSMiddleware, allow_origins=["https://a.example"], allow_methods=["GET"],
                   allow_headers=["x-token"])


@app.middleware("http")
async def outer(request: Request, call_next):
    response = await call_next(request)
    response.headers["x-outer-saw-cors"] = response.headers.get("access-control-allow-origin", "none")
    response.headers["x-outer-saw-encoding"] = response.headers.get("content-encoding", "none")
    return response


app.add_middleware(GZipMiddleware, minimum_size=10)


@app.get("/hello")
def hello():
    return {"message": "hello, layered world"}
