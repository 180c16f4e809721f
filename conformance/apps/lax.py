"""pydantic's lax mode inside JSON bodies (its conversion table: numeric
strings, whole floats, bools as numbers, words as bools, timestamps), strict
fields (`StrictInt`...) and strict models (`ConfigDict(strict=True)`)."""
import datetime
import uuid
from typing import Annotated, Optional

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt

app = FastAPI()


class Numbers(BaseModel):
    i: int = 0
    f: float = 0.0
    b: bool = False
    s: str = ""
    n: Optional[int] = None
    bounded: Annotated[int, Field(ge=1, le=10)] = 1
    tags: list[int] = []
    scores: dict[str, float] = {}


class Strictly(BaseModel):
    i: StrictInt = 0
    f: StrictFloat = 0.0
    b: StrictBool = False
    lax: int = 0


class Keyed(BaseModel):
    by_id: dict[int, float] = {}
    counts: dict[str, int] = {}


class Inner(BaseModel):
    i: int = 0


class StrictModel(BaseModel):
    model_config = ConfigDict(strict=True)
    i: int = 0
    f: float = 0.0
    b: bool = False
    inner: Optional[Inner] = None


class When(BaseModel):
    at: Optional[datetime.datetime] = None
    day: Optional[datetime.date] = None
    id: Optional[uuid.UUID] = None


@app.post("/numbers")
def numbers(body: Numbers) -> Numbers:
    return body


@app.post("/strict-fields")
def strict_fields(body: Strictly) -> Strictly:
    return body


@app.post("/strict-model")
def strict_model(body: StrictModel) -> StrictModel:
    return body


@app.post("/when")
def when(body: When):
    return {
        "at": body.at.timestamp() if body.at else None,
        "offset": body.at.utcoffset().total_seconds() if body.at else None,
        "day": body.day.toordinal() if body.day else None,
        "id": str(body.id) if body.id else None,
    }


@app.post("/keyed")
def keyed(body: Keyed) -> Keyed:
    return body
