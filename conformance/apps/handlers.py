"""Custom handlers for FastAPI's own errors: validation errors and
HTTPException rendered by the app's handlers, including 404s."""
from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

app = FastAPI()


@app.exception_handler(RequestValidationError)
def validation_handler(request: Request, exc: RequestValidationError):
    return JSONResponse(status_code=400, content={"errors": len(exc.errors()), "first": exc.errors()[0]["type"]})


@app.exception_handler(StarletteHTTPException)
def http_handler(request: Request, exc: StarletteHTTPException):
    return JSONResponse(status_code=exc.status_code, content={"error": exc.detail, "path": request.url.path})


@app.get("/items/{item_id}")
def read_item(item_id: int, q: int = 0):
    if item_id == 0:
        raise HTTPException(status_code=404, detail="gone")
    return {"item_id": item_id, "q": q}


class Note(BaseModel):
    text: str


@app.post("/notes")
def create_note(note: Note) -> Note:
    return note


def token(x_token: str | None = Header(default=None)):
    if x_token != "s":
        raise HTTPException(status_code=401, detail="no token")
    return x_token


@app.post("/guarded")
def guarded(note: Note, t: str = Depends(token)) -> Note:
    return note
