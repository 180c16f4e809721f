from enum import Enum

from fastapi import FastAPI


class Genre(str, Enum):
    poetry = "poetry"
    drama = "drama"
    essay = "essay"


app = FastAPI()


@app.get("/books/{book_id}")
async def read_book(book_id: int):
    return {"book_id": book_id}


@app.get("/authors/me")
async def read_author_me():
    return {"author": "the signed-in author"}


@app.get("/authors/{name}")
async def read_author(name: str):
    return {"author": name}


@app.get("/genres/{genre}")
async def read_genre(genre: Genre):
    if genre is Genre.poetry:
        return {"genre": genre, "shelf": "upstairs"}
    return {"genre": genre, "shelf": "ground floor"}


@app.get("/files/{file_path:path}")
async def read_file(file_path: str):
    return {"file_path": file_path}
