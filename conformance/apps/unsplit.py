"""separate_input_output_schemas=False: a model that reads and writes
differently is documented once, as it is read."""
from typing import Union

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI(separate_input_output_schemas=False)


class Item(BaseModel):
    name: str
    description: Union[str, None] = None


class Only(BaseModel):
    count: int = 0


@app.post("/items/")
def create_item(item: Item) -> Item:
    return item


@app.get("/items/")
def read_items() -> list[Item]:
    return [Item(name="Portal Gun", description="Device to travel through the multi-rick-verse")]


@app.get("/only")
def only() -> Only:
    return Only()
