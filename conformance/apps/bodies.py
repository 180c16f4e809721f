"""JSON bodies: models with constraints, nesting, lists, optional and embedded
bodies, several body parameters merged, strict models."""
from typing import Optional

from fastapi import Body, FastAPI
from pydantic import BaseModel, ConfigDict, Field

app = FastAPI()


class Item(BaseModel):
    name: str = Field(min_length=1, max_length=20)
    price: float = Field(gt=0)
    count: int = Field(0, ge=0, le=1000)
    tags: list[str] = []
    description: Optional[str] = None


class Customer(BaseModel):
    name: str
    email: str = Field(pattern=r"^[^@]+@[^@]+$")


class Order(BaseModel):
    customer: Customer
    items: list[Item] = Field(min_length=1, max_length=3)
    note: Optional[str] = None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")
    a: int
    b: bool = False


class User(BaseModel):
    id: int
    name: str


@app.post("/items")
def create_item(item: Item) -> Item:
    return item


@app.put("/items/{item_id}")
def update_item(item_id: int, item: Item, q: Optional[str] = None):
    return {"item_id": item_id, "item": item, "q": q}


@app.post("/orders")
def create_order(order: Order):
    return {"customer": order.customer.name, "items": len(order.items)}


@app.post("/strict")
def strict(s: Strict) -> Strict:
    return s


@app.post("/embed")
def embed(item: Item = Body(embed=True)) -> Item:
    return item


@app.post("/multi")
def multi(item: Item, user: User):
    return {"item": item.name, "user": user.id}


@app.post("/optional")
def optional(item: Optional[Item] = None):
    return {"item": item}


@app.post("/list")
def list_body(items: list[Item]):
    return {"count": len(items)}


class Tree(BaseModel):
    value: int
    children: list["Tree"] = []


def _depth(t: Tree) -> int:
    return 1 + max((_depth(c) for c in t.children), default=0)


@app.post("/tree")
def tree(t: Tree):
    return {"depth": _depth(t)}


@app.post("/positive")
def positive(n: int = Body(gt=0, le=100)):
    return {"n": n}


@app.post("/code")
def code(code: str = Body(min_length=2, max_length=4, embed=True)):
    return {"code": code}


@app.post("/scores")
def scores(scores: dict[str, int]):
    return {"total": sum(scores.values())}


@app.post("/prices")
def prices(prices: dict[str, float] = Body(min_length=1, max_length=3)):
    return {"count": len(prices)}
