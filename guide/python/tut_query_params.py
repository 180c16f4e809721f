from fastapi import FastAPI

app = FastAPI()

TITLES = ["Odes", "Fables", "Sonnets", "Essays", "Letters"]


@app.get("/books/")
async def list_books(skip: int = 0, limit: int = 2) -> list[str]:
    return TITLES[skip : skip + limit]


@app.get("/books/{book_id}")
async def read_book(book_id: str, q: str | None = None, short: bool = False):
    book = {"book_id": book_id}
    if q:
        book["q"] = q
    if not short:
        book["blurb"] = "A long and careful description."
    return book


@app.get("/reviews/{review_id}")
async def read_review(review_id: str, reviewer: str, stars: int = 3):
    return {"review_id": review_id, "reviewer": reviewer, "stars": stars}
