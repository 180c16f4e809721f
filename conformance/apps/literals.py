"""`Literal[...]` in parameters, parameter models and bodies (`literal_error`,
values written inline), beside an `Enum` class (`enum`, a component)."""
from enum import Enum
from typing import Annotated, Literal, Optional

from fastapi import FastAPI, Query
from pydantic import BaseModel

app = FastAPI()


class Color(str, Enum):
    red = "red"
    green = "green"


class Order(BaseModel):
    side: Literal["buy", "sell"]
    size: Literal[1, 5, 10] = 1
    tif: Optional[Literal["day", "gtc"]] = None
    color: Color = Color.red


class Listing(BaseModel):
    sort: Literal["asc", "desc"] = "asc"
    limit: int = 10


@app.get("/items")
def items(mode: Literal["fast", "slow"] = "fast", level: Literal[1, 2, 3] = 1):
    return {"mode": mode, "level": level}


@app.get("/kinds/{kind}")
def kinds(kind: Literal["a", "b"]):
    return {"kind": kind}


@app.get("/colors")
def colors(color: Color = Query()):
    return {"color": color}


@app.post("/orders")
def orders(order: Order) -> Order:
    return order


@app.get("/listing")
def listing(q: Annotated[Listing, Query()]):
    return q
