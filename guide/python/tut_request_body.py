from fastapi import FastAPI
from pydantic import BaseModel


class Book(BaseModel):
    title: str
    summary: str | None = None
    price: float
    tax: float | None = None


app = FastAPI()


@app.post("/books/")
async def create_book(book: Book):
    data = book.model_dump()
    if book.tax is not None:
        data["price_with_tax"] = book.price + book.tax
    return data


@app.put("/books/{book_id}")
async def replace_book(book_id: int, book: Book, q: str | None = None):
    out = {"book_id": book_id, **book.model_dump()}
    if q:
        out["q"] = q
    return out
