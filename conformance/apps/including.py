"""include_router's options (prefix, tags, dependencies, responses with models,
deprecated, include_in_schema, generate_unique_id_function) and the same
options on APIRouter itself; one router included twice."""
from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException
from fastapi.routing import APIRoute
from pydantic import BaseModel


class Message(BaseModel):
    message: str


def tag_and_name(route: APIRoute) -> str:
    return f"{route.tags[0]}-{route.name}"


def short(route: APIRoute) -> str:
    return f"short_{route.name}"


async def verify_token(x_token: str = Header()):
    if x_token != "secret":
        raise HTTPException(status_code=400, detail="X-Token header invalid")


items = APIRouter()


@items.get("/")
def list_items():
    return ["a", "b"]


@items.get("/{item_id}", responses={403: {"description": "Operation forbidden"}, 404: {"description": "No such item"}})
def read_item(item_id: str):
    if item_id != "a":
        raise HTTPException(status_code=404, detail="Item not found")
    return {"item_id": item_id}


legacy = APIRouter(tags=["legacy"])


@legacy.get("/old")
def old():
    return {"old": True}


@legacy.get("/older", deprecated=True)
def older():
    return {"older": True}


internal = APIRouter()


@internal.get("/stats")
def stats():
    return {"stats": 1}


named = APIRouter(tags=["named"], generate_unique_id_function=short)


@named.get("/one")
def one():
    return 1


@named.get("/two", generate_unique_id_function=tag_and_name)
def two():
    return 2


@named.get("/three", operation_id="third")
def three():
    return 3


people = APIRouter(prefix="/users", tags=["people"], responses={410: {"model": Message}})


@people.get("/{user_id}")
def read_user(user_id: int):
    return {"user_id": user_id}


v2 = APIRouter(prefix="/v2", tags=["v2"], deprecated=True, responses={500: {"description": "Boom"}})
v2.include_router(people, prefix="/people", tags=["humans"], responses={410: {"description": "Gone for good"}})

hidden_router = APIRouter(include_in_schema=False)


@hidden_router.get("/secret")
def secret():
    return {"secret": True}


app = FastAPI()
app.include_router(
    items,
    prefix="/items",
    tags=["items"],
    dependencies=[Depends(verify_token)],
    responses={418: {"description": "I'm a teapot"}, 404: {"model": Message}},
)
app.include_router(items, prefix="/v1/items", tags=["v1"])
app.include_router(legacy, prefix="/legacy", deprecated=True)
app.include_router(internal, prefix="/internal", include_in_schema=False)
app.include_router(named, prefix="/named", generate_unique_id_function=tag_and_name)
app.include_router(v2, prefix="/api")
app.include_router(hidden_router)


@app.get("/")
def root():
    return {"root": True}
