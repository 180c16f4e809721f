"""Routers: prefixes, nesting, tags, several methods on one path, path
converters, 404 and 405 inside routers, slash redirects under a prefix."""
from fastapi import APIRouter, FastAPI

app = FastAPI()

items = APIRouter(prefix="/items", tags=["items"])
admin = APIRouter(prefix="/admin", tags=["admin"])
v1 = APIRouter(prefix="/v1")


@items.get("/")
def list_items():
    return ["a", "b"]


@items.get("/{item_id}")
def get_item(item_id: int):
    return {"item_id": item_id}


@items.put("/{item_id}")
def put_item(item_id: int):
    return {"put": item_id}


@items.post("/{item_id}/archive")
def archive_item(item_id: int):
    return {"archived": item_id}


@admin.get("/stats")
def stats():
    return {"users": 3}


@admin.api_route("/reset", methods=["POST", "DELETE"])
def reset():
    return {"reset": True}


@v1.get("/files/{file_path:path}")
def files(file_path: str):
    return {"file_path": file_path}


v1.include_router(admin)
app.include_router(items)
app.include_router(v1)


@app.get("/")
def root():
    return {"root": True}
