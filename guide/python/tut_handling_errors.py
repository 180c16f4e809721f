from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

app = FastAPI()

BOOKS = {"odes": "Odes"}


class OutOfStock(Exception):
    def __init__(self, title: str):
        self.title = title


@app.exception_handler(OutOfStock)
async def out_of_stock_handler(request: Request, exc: OutOfStock):
    return JSONResponse(status_code=409, content={"message": f"{exc.title} is out of stock"})


@app.get("/books/{slug}")
async def read_book(slug: str):
    if slug not in BOOKS:
        raise HTTPException(status_code=404, detail="Book not found", headers={"X-Error": "missing"})
    return {"title": BOOKS[slug]}


@app.post("/orders/{slug}")
async def order(slug: str):
    raise OutOfStock(slug)
