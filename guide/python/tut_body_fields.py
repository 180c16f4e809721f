from fastapi import FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class Book(BaseModel):
    title: str = Field(min_length=1, max_length=100, description="The title on the cover.")
    price: float = Field(gt=0, description="In euros.")
    pages: int = Field(default=100, ge=1, le=5000)
    isbn: str | None = Field(default=None, pattern=r"^[0-9]{13}$")


@app.post("/books/")
async def create_book(book: Book) -> Book:
    return book
