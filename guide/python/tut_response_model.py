from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class ReaderIn(BaseModel):
    name: str
    password: str
    email: str | None = None


class ReaderOut(BaseModel):
    name: str
    email: str | None = None


@app.post("/readers/", response_model=ReaderOut)
async def create_reader(reader: ReaderIn) -> Any:
    return reader


@app.get("/readers/{name}", response_model_exclude_none=True)
async def read_reader(name: str) -> ReaderOut:
    return ReaderOut(name=name)


@app.get("/readers/")
async def list_readers() -> list[ReaderOut]:
    return [ReaderOut(name="ann", email="ann@example.com"), ReaderOut(name="bo")]
