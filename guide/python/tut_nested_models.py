from fastapi import FastAPI
from pydantic import BaseModel, HttpUrl

app = FastAPI()


class Image(BaseModel):
    url: HttpUrl
    name: str


class Book(BaseModel):
    title: str
    tags: list[str] = []
    cover: Image | None = None


class Shelf(BaseModel):
    name: str
    books: list[Book]


@app.post("/shelves/")
async def create_shelf(shelf: Shelf) -> Shelf:
    return shelf


@app.post("/ratings/")
async def ratings(weights: dict[int, float]) -> dict[int, float]:
    return weights
