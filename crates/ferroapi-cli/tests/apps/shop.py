"""A small FastAPI service for `ferroapi port inspect`'s tests: a router with
a prefix and a dependency, parameters with constraints, a model with
validators, a yield dependency, OAuth2 scopes, an exception handler,
middleware and a lifespan."""

from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, Query, Security, WebSocket
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.security import OAuth2PasswordBearer, SecurityScopes
from pydantic import BaseModel, Field, field_validator, model_validator


@asynccontextmanager
async def lifespan(app):
    yield


app = FastAPI(title="Shop", version="2.0.0", lifespan=lifespan)
app.add_middleware(CORSMiddleware, allow_origins=["https://shop.example"], allow_methods=["GET"])

oauth2 = OAuth2PasswordBearer(tokenUrl="token", scopes={"items:read": "Read items"})


class OutOfStock(Exception):
    pass


@app.exception_handler(OutOfStock)
async def out_of_stock(request, exc):
    return JSONResponse(status_code=409, content={"detail": "out of stock"})


async def session():
    yield "session"


def current_user(scopes: SecurityScopes, token: Annotated[str, Depends(oauth2)]):
    return token


def verify_key(x_key: Annotated[str, Header(min_length=4)]):
    return x_key


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=50, description="What it is called")
    price: float = Field(gt=0)
    tags: list[str] = Field(default_factory=list)
    sku: str | None = None

    @field_validator("name")
    @classmethod
    def name_is_trimmed(cls, v):
        if v != v.strip():
            raise ValueError("name has spaces around it")
        return v

    @model_validator(mode="after")
    def cheap_things_have_tags(self):
        return self


class ItemOut(BaseModel):
    id: int
    item: Item


router = APIRouter(prefix="/items", tags=["items"], dependencies=[Depends(verify_key)])


@router.get("/{item_id}", response_model=ItemOut, response_model_exclude_unset=True)
async def read_item(
    item_id: int,
    q: Annotated[str | None, Query(max_length=10, alias="query")] = None,
    db: Annotated[str, Depends(session)] = "",
    user: Annotated[str, Security(current_user, scopes=["items:read"])] = "",
):
    """Read one item.

    Its whole record."""
    raise HTTPException(404, "no such item")


@router.post("/", status_code=201, operation_id="make_item")
def create_item(item: Item) -> ItemOut:
    return ItemOut(id=1, item=item)


app.include_router(router)


@app.websocket("/feed")
async def feed(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_text("hello")
