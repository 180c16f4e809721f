"""Dates, date-times and durations: the forms pydantic reads, and the text it
writes (six fraction digits, `Z` for UTC, ISO 8601 durations)."""
import datetime
from typing import Optional

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Times(BaseModel):
    at: datetime.datetime
    naive: Optional[datetime.datetime] = None
    day: Optional[datetime.date] = None
    wait: Optional[datetime.timedelta] = None


@app.post("/times")
def times(t: Times) -> Times:
    return t


@app.get("/fixed")
def fixed() -> Times:
    return Times(
        at=datetime.datetime(2024, 1, 2, 3, 4, 5, 120000, tzinfo=datetime.timezone.utc),
        naive=datetime.datetime(2024, 1, 2, 3, 4, 5, 7),
        day=datetime.date(2024, 2, 29),
        wait=datetime.timedelta(days=-2, hours=3),
    )
