from fastapi import FastAPI

app = FastAPI()


@app.get(
    "/books/",
    tags=["books"],
    summary="List the books",
    response_description="Every book on the shelves",
)
async def list_books():
    """
    List every book, **newest first**.

    - paging is not needed: the shop is small
    """
    return []


@app.get("/authors/", tags=["authors"], deprecated=True, operation_id="authors")
async def list_authors():
    return []


@app.get("/internal/", include_in_schema=False)
async def internal():
    return {"ok": True}
