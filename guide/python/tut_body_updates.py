from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

app = FastAPI()


class Book(BaseModel):
    title: str
    price: float
    summary: str | None = None


class BookPatch(BaseModel):
    title: str | None = None
    price: float | None = None
    summary: str | None = None


BOOKS = {"odes": Book(title="Odes", price=9.5)}


@app.patch("/books/{slug}")
async def patch_book(slug: str, patch: BookPatch) -> Book:
    if slug not in BOOKS:
        raise HTTPException(status_code=404, detail="Book not found")
    stored = BOOKS[slug]
    changes = patch.model_dump(exclude_unset=True)
    return stored.model_copy(update=changes)
