"""Streaming from generators as FastAPI 0.134+ does: JSON Lines
(`application/jsonl`, one JSON value per line, itemSchema documented) from
sync and async generators, typed or not; server-sent events of models."""
from collections.abc import AsyncIterable, Iterable

from fastapi import FastAPI
from fastapi.sse import EventSourceResponse
from pydantic import BaseModel


class Item(BaseModel):
    name: str
    price: float


app = FastAPI()


@app.get("/items/stream")
async def stream_items() -> AsyncIterable[Item]:
    for i in range(3):
        yield Item(name=f"item{i}", price=i + 0.5)


@app.get("/numbers/stream")
def numbers(n: int = 3) -> Iterable[int]:
    for i in range(n):
        yield i


@app.get("/any/stream")
async def any_stream():
    yield {"a": 1}
    yield [1, "two", None]


@app.get("/events", response_class=EventSourceResponse)
async def events() -> AsyncIterable[Item]:
    yield Item(name="a", price=1)
    yield Item(name="b", price=2.5)
