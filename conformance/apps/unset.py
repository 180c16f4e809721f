"""Fields set or not (pydantic's `model_fields_set`): an answer without the
fields its data left unset (`response_model_exclude_unset=True`, as in
FastAPI's tutorial), and a PATCH that changes only the fields sent
(`model_dump(exclude_unset=True)` into `model_copy(update=...)`)."""
from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Item(BaseModel):
    name: str | None = None
    description: str | None = None
    price: float | None = None
    tax: float = 10.5
    tags: list[str] = []


items = {
    "foo": {"name": "Foo", "price": 50.2},
    "bar": {"name": "Bar", "description": "The bartenders", "price": 62, "tax": 20.2},
    "baz": {"name": "Baz", "description": None, "price": 50.2, "tax": 10.5, "tags": []},
}


@app.get("/items/{item_id}", response_model=Item, response_model_exclude_unset=True)
async def read_item(item_id: str):
    return items[item_id]


@app.patch("/items/{item_id}", response_model=Item)
async def update_item(item_id: str, item: Item):
    stored = Item(**items[item_id])
    update_data = item.model_dump(exclude_unset=True)
    return stored.model_copy(update=update_data)
