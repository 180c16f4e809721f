"""Errors: HTTPException in its forms, custom exception handlers, 404/405,
HEAD on a GET route, a failing handler, slash redirects."""
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse

app = FastAPI()


class TeapotError(Exception):
    def __init__(self, name: str):
        self.name = name


@app.exception_handler(TeapotError)
def teapot_handler(request: Request, exc: TeapotError):
    return JSONResponse(status_code=418, content={"message": f"{exc.name} is a teapot"})


@app.get("/items/{item_id}")
def read_item(item_id: int):
    if item_id == 0:
        raise HTTPException(status_code=404, detail="Item not found", headers={"x-error": "missing-item"})
    if item_id == 1:
        raise HTTPException(status_code=400, detail={"code": "bad", "fields": ["a", "b"]})
    if item_id == 2:
        raise HTTPException(status_code=409, detail=["conflict", 2])
    if item_id == 3:
        raise HTTPException(status_code=403)
    return {"item_id": item_id}


@app.delete("/items/{item_id}")
def delete_item(item_id: int):
    return {"deleted": item_id}


@app.get("/teapot/{name}")
def teapot(name: str):
    raise TeapotError(name)


@app.get("/boom")
def boom():
    raise RuntimeError("boom")


@app.get("/slash/")
def slash():
    return {"slash": True}


@app.get("/noslash")
def noslash():
    return {"slash": False}
