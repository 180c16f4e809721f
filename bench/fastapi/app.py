"""The showdown's endpoints in FastAPI, written the way the FastAPI docs teach.

Run by the harness as
``uvicorn app:app --workers $(nproc) --loop uvloop --http httptools --no-access-log``.
The Rust twins are in ../src/bin/; the contract is ../src/lib.rs.
"""

import hashlib
import os
import sqlite3
import threading
from typing import Annotated

import jwt
from fastapi import Depends, FastAPI, HTTPException, Path, Query
from fastapi.responses import PlainTextResponse
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel, Field

JWT_SECRET = "showdown-secret-not-for-production"
DB = os.environ.get("SHOWDOWN_DB", "showdown.db")
PAGE = 20
MAX_START = 10_000 - PAGE + 1

app = FastAPI(title="showdown")


class Product(BaseModel):
    id: int
    name: str
    price: float
    tags: list[str]
    in_stock: bool


CATALOGUE = [
    Product(
        id=i,
        name=f"product-{i}",
        price=(i * 37 % 1000) / 4,
        tags=[f"tag-{i % 7}", "sale"],
        in_stock=i % 3 != 0,
    )
    for i in range(1000)
]


@app.get("/plaintext", response_class=PlainTextResponse)
async def plaintext():
    return "Hello, World!"


@app.get("/json")
async def hello_json():
    return {"message": "Hello, World!"}


@app.get("/items/{item_id}")
async def read_item(
    item_id: Annotated[int, Path(ge=1)],
    q: Annotated[str | None, Query(max_length=20)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
):
    return {"item_id": item_id, "q": q, "limit": limit}


class Line(BaseModel):
    sku: str = Field(pattern=r"^[A-Z]{3}-\d{4}$")
    quantity: int = Field(ge=1, le=1000)
    unit_price: float = Field(gt=0)


class Order(BaseModel):
    customer: str = Field(min_length=1, max_length=50)
    lines: list[Line] = Field(min_length=1, max_length=50)
    coupon: str | None = Field(default=None, max_length=16)


class Receipt(BaseModel):
    customer: str
    lines: int
    total: float


@app.post("/orders")
async def create_order(order: Order) -> Receipt:
    total = 0.0
    for line in order.lines:
        total += line.quantity * line.unit_price
    return Receipt(customer=order.customer, lines=len(order.lines), total=total)


@app.get("/large")
async def large() -> list[Product]:
    return CATALOGUE


oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token")


async def current_user(token: Annotated[str, Depends(oauth2_scheme)]) -> str:
    try:
        claims = jwt.decode(token, JWT_SECRET, algorithms=["HS256"])
    except jwt.PyJWTError:
        raise HTTPException(
            status_code=401,
            detail="Could not validate credentials",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return claims["sub"]


@app.get("/me")
async def me(sub: Annotated[str, Depends(current_user)]):
    return {"sub": sub}


class Row(BaseModel):
    id: int
    name: str
    score: int


_local = threading.local()


def _connection() -> sqlite3.Connection:
    # One read-only connection per threadpool thread.
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(f"file:{DB}?mode=ro", uri=True)
        _local.conn = conn
    return conn


@app.get("/rows")
def rows(start: Annotated[int, Query(ge=1, le=MAX_START)]) -> list[Row]:
    cursor = _connection().execute(
        "SELECT id, name, score FROM rows WHERE id >= ? AND id < ? + ? ORDER BY id",
        (start, start, PAGE),
    )
    return [Row(id=i, name=n, score=s) for i, n, s in cursor]


@app.get("/cpu/{word}")
def cpu(word: str):
    # A plain `def`: FastAPI runs it in its threadpool, hashlib releases the GIL.
    digest = hashlib.pbkdf2_hmac("sha256", word.encode(), b"showdown", 5000)
    return {"word": word, "digest": digest.hex()}
