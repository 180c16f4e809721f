from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request


@asynccontextmanager
async def lifespan(app: FastAPI):
    catalogue = {"odes": "Odes", "fables": "Fables"}
    yield {"catalogue": catalogue}


app = FastAPI(lifespan=lifespan)


@app.get("/books/{slug}")
async def read_book(request: Request, slug: str) -> str:
    title = request.state.catalogue.get(slug)
    if title is None:
        raise HTTPException(status_code=404, detail="Book not found")
    return title
