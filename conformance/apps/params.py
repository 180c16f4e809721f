"""Path, query, header and cookie parameters: scalar types, optionals, defaults,
lists, enums, aliases, and all errors gathered at once."""
from datetime import date, datetime
from enum import Enum, IntEnum
from typing import Annotated, Optional
from uuid import UUID

from fastapi import Cookie, FastAPI, Header, Path, Query
from pydantic import BaseModel, ConfigDict, Field

app = FastAPI()


class Color(str, Enum):
    red = "red"
    green = "green"
    blue = "blue"


class Level(IntEnum):
    low = 1
    mid = 2
    high = 3


class Filters(BaseModel):
    model_config = ConfigDict(extra="forbid")
    limit: int = 10
    offset: int = 0
    order: Color = Color.red
    tags: list[str] = []


@app.get("/items/{item_id}")
def read_item(item_id: int, q: Optional[str] = None, limit: int = 10, flag: bool = False):
    return {"item_id": item_id, "q": q, "limit": limit, "flag": flag}


@app.get("/floats/{x}")
def floats(x: float, y: float = 1.5):
    return {"x": x, "y": y}


@app.get("/colors/{color}")
def colors(color: Color, level: Level = Level.low):
    return {"color": color, "level": level}


@app.get("/uuids/{u}")
def uuids(u: UUID):
    return {"u": str(u)}


@app.get("/dates")
def dates(d: date, dt: Optional[datetime] = None):
    return {"d": d.isoformat(), "dt": dt.isoformat() if dt else None}


@app.get("/aware")
def aware(dt: datetime):
    return {"dt": dt.isoformat()}


@app.get("/multi")
def multi(ids: list[int] = Query([]), tags: Optional[list[str]] = Query(None)):
    return {"ids": ids, "tags": tags}


@app.get("/headers")
def headers(x_token: str = Header(), x_count: Optional[int] = Header(None)):
    return {"x_token": x_token, "x_count": x_count}


@app.get("/cookies")
def cookies(session: str = Cookie(), theme: str = Cookie("light")):
    return {"session": session, "theme": theme}


@app.get("/alias")
def alias(item_label: str = Query(alias="item-label")):
    return {"item_label": item_label}


@app.get("/all/{a}")
def all_sources(a: int, b: int, x_b: int = Header(), c: int = Cookie()):
    return {"a": a, "b": b, "x_b": x_b, "c": c}


@app.get("/filters")
def filters(f: Annotated[Filters, Query()]) -> Filters:
    return f.model_dump()


class Paging(BaseModel):
    limit: int = Field(100, gt=0, le=100)
    offset: int = Field(0, ge=0)
    q: str = Field("", max_length=5)
    ratio: float = Field(0.5, le=1)
    tags: list[str] = Field([], max_length=2)


@app.get("/paging")
def paging(p: Annotated[Paging, Query()]):
    return p.model_dump()


@app.get("/unicode/{name}")
def unicode(name: str):
    return {"name": name, "len": len(name)}


@app.get("/raw-headers")
def raw_headers(
    x_raw: Optional[str] = Header(None, convert_underscores=False),
    x_alias: Optional[str] = Header(None, alias="X_Under"),
    plain_name: Optional[int] = Header(None),
):
    return [x_raw, x_alias, plain_name]
