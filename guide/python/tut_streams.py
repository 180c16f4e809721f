from collections.abc import AsyncIterable

from fastapi import FastAPI
from fastapi.sse import EventSourceResponse, ServerSentEvent
from pydantic import BaseModel

app = FastAPI()


class Arrival(BaseModel):
    title: str
    copies: int


ARRIVALS = [Arrival(title="Odes", copies=2), Arrival(title="Fables", copies=1)]


@app.get("/arrivals.jsonl")
async def arrivals_jsonl() -> AsyncIterable[Arrival]:
    """One JSON document per line (`application/jsonl`)."""
    for a in ARRIVALS:
        yield a


@app.get("/arrivals/events", response_class=EventSourceResponse)
async def arrivals_events():
    """Server-sent events, one per arrival."""
    for i, a in enumerate(ARRIVALS):
        yield ServerSentEvent(event="arrival", raw_data=f"{a.title} x{a.copies}", id=str(i))
