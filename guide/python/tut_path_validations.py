from typing import Annotated

from fastapi import FastAPI, Path, Query

app = FastAPI()


@app.get("/books/{book_id}")
async def read_book(
    book_id: Annotated[int, Path(ge=1, le=1000, description="The id of the book.")],
    size: Annotated[float, Query(gt=0, lt=10.5)] = 1.0,
):
    return {"book_id": book_id, "size": size}


@app.get("/pages/{page}")
async def read_page(page: Annotated[int, Path(gt=0, multiple_of=2)]):
    return {"page": page}
