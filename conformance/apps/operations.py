"""Path operation configuration and the document's options: `name`,
`operation_id`, `response_description`, `responses=` with models, media types,
examples, "4XX"/"default" keys, `openapi_extra`, `openapi_examples` and
`examples` on parameters and bodies, `json_schema_extra` and field examples,
response classes, tag metadata with externalDocs, servers, webhooks."""
from typing import Union

from fastapi import Body, FastAPI, Header, Query
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse
from pydantic import BaseModel, Field

tags_metadata = [
    {"name": "users", "description": "Operations with users. The **login** logic is also here."},
    {
        "name": "items",
        "description": "Manage items. So _fancy_ they have their own docs.",
        "externalDocs": {"description": "Items external docs", "url": "https://example.com/items"},
    },
]

app = FastAPI(
    title="Operations",
    version="2.1.0",
    openapi_tags=tags_metadata,
    servers=[
        {"url": "https://stag.example.com", "description": "Staging environment"},
        {"url": "https://prod.example.com", "description": "Production environment"},
    ],
)


class Item(BaseModel):
    name: str = Field(examples=["Foo"])
    description: Union[str, None] = Field(default=None, description="What it is", max_length=300)
    price: float = Field(gt=0, description="The price must be greater than zero", examples=[35.4])
    tax: Union[float, None] = None

    model_config = {
        "json_schema_extra": {
            "examples": [{"name": "Foo", "description": "A very nice Item", "price": 35.4, "tax": 3.2}]
        }
    }


class Message(BaseModel):
    message: str


class Problem(BaseModel):
    detail: str
    code: int


class Subscription(BaseModel):
    username: str
    monthly_fee: float


@app.get(
    "/items/{item_id}",
    tags=["items"],
    name="fetch_item",
    response_model=Item,
    responses={
        404: {"model": Message, "description": "The item was not found"},
        200: {"content": {"image/png": {}}, "description": "Return the JSON item or an image."},
    },
)
def read_item(item_id: int):
    if item_id == 0:
        return JSONResponse(status_code=404, content={"message": "Item not found"})
    return {"name": "Foo", "price": 1.5}


@app.post(
    "/items/",
    tags=["items"],
    status_code=201,
    summary="Create an item",
    response_description="The created item",
    responses={
        400: {"model": Problem},
        409: {"description": "Conflict", "content": {"application/json": {"example": {"detail": "exists"}}}},
        "4XX": {"description": "Client trouble"},
    },
)
def create_item(item: Item):
    """Create an item with all the information."""
    return item


@app.put("/items/{item_id}", tags=["items"], responses={"default": {"model": Message}})
def update_item(
    item_id: int,
    item: Item = Body(
        openapi_examples={
            "normal": {
                "summary": "A normal example",
                "description": "A **normal** item works correctly.",
                "value": {"name": "Foo", "price": 35.4},
            },
            "invalid": {"summary": "Invalid data is rejected", "value": {"name": "Baz", "price": "thirty five"}},
        }
    ),
):
    return {"item_id": item_id, **item.model_dump()}


@app.patch("/items/{item_id}", tags=["items"])
def patch_item(item_id: int, name: str = Body(examples=["Bar"], embed=True)):
    return {"item_id": item_id, "name": name}


@app.get(
    "/search",
    tags=["items"],
    openapi_extra={
        "x-aperture-labs-portal": "blue",
        "parameters": [{"name": "x-trace", "in": "header", "required": False, "schema": {"type": "string"}}],
        "responses": {"200": {"headers": {"X-Rate": {"schema": {"type": "integer"}}}}},
    },
)
def search(
    q: str = Query(
        examples=["foo"],
        openapi_examples={
            "simple": {"summary": "Simple", "value": "foo"},
            "long": {"summary": "Long", "description": "A long query", "value": "foo bar baz"},
        },
    ),
    x_client: Union[str, None] = Header(default=None, openapi_examples={"curl": {"value": "curl/8"}}),
):
    return {"q": q, "client": x_client}


@app.get("/legacy", tags=["users"], deprecated=True, operation_id="legacy_op")
def legacy():
    return {"legacy": True}


@app.get("/hidden", include_in_schema=False)
def hidden():
    return {"hidden": True}


@app.get("/page", tags=["users"], response_class=HTMLResponse)
def page():
    return "<h1>Hello</h1>"


@app.get("/text", response_class=PlainTextResponse, response_description="Plain words")
def text():
    return "hello"


@app.get("/go", response_class=RedirectResponse, status_code=302)
def go():
    return "https://example.com/there"


@app.get("/moved", response_class=RedirectResponse, status_code=301)
def moved():
    return "/page"


@app.get("/teapot", status_code=418, description="Short and stout.", responses={418: {"description": "A teapot"}})
def teapot():
    return {"teapot": True}


@app.delete("/items/{item_id}", tags=["items"], status_code=204, responses={404: {"model": Message}})
def delete_item(item_id: int):
    return None


@app.webhooks.post("new-subscription")
def new_subscription(body: Subscription):
    """When a new user subscribes to your service we'll send you a POST request."""


@app.webhooks.put("subscription-renewed", tags=["users"], summary="Renewed")
def renewed(body: Subscription):
    pass
