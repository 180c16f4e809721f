from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException

books = APIRouter()


@books.get("/")
async def list_books():
    return [{"slug": "odes"}]


@books.get("/{slug}")
async def read_book(slug: str):
    if slug != "odes":
        raise HTTPException(status_code=404, detail="Book not found")
    return {"slug": "odes", "title": "Odes"}


async def admin_token(x_token: Annotated[str, Header()]):
    if x_token != "admin":
        raise HTTPException(status_code=403, detail="Admins only")


admin = APIRouter()


@admin.post("/restock")
async def restock():
    return {"restocked": True}


app = FastAPI()
app.include_router(books, prefix="/books", tags=["books"])
app.include_router(
    admin,
    prefix="/admin",
    tags=["admin"],
    dependencies=[Depends(admin_token)],
    responses={418: {"description": "I'm a teapot"}},
)
