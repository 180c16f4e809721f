"""pydantic's special string types: SecretStr (masked out, writeOnly in the
document) and versioned UUIDs (uuid_version)."""
import datetime
from typing import Annotated, Optional

from fastapi import FastAPI
from pydantic import UUID1, UUID4, UUID5, AnyUrl, BaseModel, Field, HttpUrl, SecretStr, computed_field

app = FastAPI()


class Account(BaseModel):
    login: str
    password: SecretStr
    token: Optional[SecretStr] = None


class Ids(BaseModel):
    v4: Optional[UUID4] = None
    v1: Optional[UUID1] = None
    v5: Optional[UUID5] = None


@app.post("/accounts")
def accounts(a: Account) -> Account:
    return a


@app.post("/accounts/length")
def length(a: Account):
    return {"length": len(a.password.get_secret_value())}


@app.post("/ids")
def ids(i: Ids) -> Ids:
    return i


class Links(BaseModel):
    site: HttpUrl
    other: Optional[AnyUrl] = None


@app.post("/links")
def links(links: Links) -> Links:
    return links


class Rect(BaseModel):
    w: float
    h: float

    @computed_field
    @property
    def area(self) -> float:
        return self.w * self.h


@app.post("/rects")
def rects(r: Rect) -> Rect:
    return r


class Blob(BaseModel):
    data: bytes
    short: Optional[Annotated[bytes, Field(max_length=3)]] = None


@app.post("/blobs")
def blobs(b: Blob) -> Blob:
    return b


@app.get("/go")
def go(url: HttpUrl, id: Optional[UUID4] = None, wait: Optional[datetime.timedelta] = None):
    return {"url": url, "id": id, "seconds": wait.total_seconds() if wait else None}
