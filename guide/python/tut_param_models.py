from typing import Annotated, Literal

from fastapi import Cookie, FastAPI, Header, Query
from pydantic import BaseModel, Field

app = FastAPI()


class Listing(BaseModel):
    model_config = {"extra": "forbid"}

    limit: int = Field(20, gt=0, le=100)
    offset: int = Field(0, ge=0)
    order_by: Literal["title", "price"] = "title"
    tags: list[str] = []


class Client(BaseModel):
    x_shop: str
    x_trace: str | None = None


class Prefs(BaseModel):
    theme: str = "light"
    basket: int | None = None


@app.get("/books/")
async def list_books(listing: Annotated[Listing, Query()]) -> Listing:
    return listing


@app.get("/client/")
async def client(headers: Annotated[Client, Header()]) -> Client:
    return headers


@app.get("/prefs/")
async def prefs(cookies: Annotated[Prefs, Cookie()]) -> Prefs:
    return cookies
