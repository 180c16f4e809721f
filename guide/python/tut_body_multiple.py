from typing import Annotated

from fastapi import Body, FastAPI
from pydantic import BaseModel

app = FastAPI()


class Book(BaseModel):
    title: str
    price: float


class Reader(BaseModel):
    name: str
    email: str | None = None


@app.put("/loans/{book_id}")
async def lend(
    book_id: int,
    book: Book,
    reader: Reader,
    weeks: Annotated[int, Body(gt=0, le=8)],
):
    return {"book_id": book_id, "book": book, "reader": reader, "weeks": weeks}


@app.post("/wrapped/")
async def wrapped(book: Annotated[Book, Body(embed=True)]) -> Book:
    return book
