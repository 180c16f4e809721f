from fastapi import FastAPI

app = FastAPI(
    title="Bookshop",
    summary="Books, readers and loans.",
    description="The bookshop's API. **Markdown** works here.",
    version="2.1.0",
    terms_of_service="https://shop.example/terms",
    contact={"name": "Shop desk", "url": "https://shop.example/desk", "email": "desk@shop.example"},
    license_info={"name": "Apache 2.0", "identifier": "Apache-2.0"},
    openapi_tags=[{"name": "books", "description": "Everything on the shelves."}],
    openapi_url="/api/v1/openapi.json",
    docs_url="/documentation",
    redoc_url=None,
)


@app.get("/books/", tags=["books"])
async def list_books():
    return []
