from typing import Annotated

from fastapi import Body, FastAPI
from pydantic import BaseModel, Field

app = FastAPI()


class Book(BaseModel):
    title: str
    price: float

    model_config = {"json_schema_extra": {"examples": [{"title": "Odes", "price": 9.5}]}}


class Reader(BaseModel):
    name: str = Field(examples=["Ann"])
    age: int = Field(examples=[30])


@app.post("/books/")
async def create_book(
    book: Annotated[
        Book,
        Body(
            openapi_examples={
                "normal": {"summary": "A normal book", "value": {"title": "Odes", "price": 9.5}},
                "text price": {"summary": "Price as text", "value": {"title": "Odes", "price": "9.5"}},
            }
        ),
    ],
) -> Book:
    return book


@app.post("/readers/")
async def create_reader(reader: Reader) -> Reader:
    return reader
