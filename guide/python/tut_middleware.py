from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware

app = FastAPI()


@app.middleware("http")
async def shop_header(request: Request, call_next):
    response = await call_next(request)
    response.headers["X-Shop"] = "bookshop"
    return response


# ANCHOR: cors
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://shop.example"],
    allow_methods=["GET", "POST"],
    allow_headers=["x-token"],
    allow_credentials=True,
)
# ANCHOR_END: cors
app.add_middleware(GZipMiddleware, minimum_size=1000)


@app.get("/books/")
async def list_books():
    return ["Odes"]
