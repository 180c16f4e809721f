"""Responses: status codes, 204, HTML, plain text, redirects, streaming,
headers and cookies, response models filtering fields, null fields."""
from typing import Optional

from fastapi import FastAPI, HTTPException, Response
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, StreamingResponse
from pydantic import BaseModel

app = FastAPI()


class UserIn(BaseModel):
    username: str
    password: str
    full_name: Optional[str] = None


class UserOut(BaseModel):
    username: str
    full_name: Optional[str] = None


@app.post("/users", status_code=201, response_model=UserOut)
def create_user(user: UserIn):
    return user


@app.delete("/users/{user_id}", status_code=204)
def delete_user(user_id: int):
    return None


@app.get("/html", response_class=HTMLResponse)
def html():
    return "<h1>Hello</h1>"


@app.get("/text", response_class=PlainTextResponse)
def text():
    return "plain words"


@app.get("/redirect")
def redirect():
    return RedirectResponse("/html")


@app.get("/moved")
def moved():
    return RedirectResponse("/text", status_code=301)


@app.get("/stream")
def stream():
    def gen():
        for i in range(3):
            yield f"chunk{i}\n"
    return StreamingResponse(gen(), media_type="text/plain")


@app.get("/headers")
def headers(response: Response):
    response.headers["x-cache"] = "miss"
    response.set_cookie("session", "abc123", max_age=60, httponly=True)
    return {"ok": True}


@app.get("/cookie-value")
def cookie_value(response: Response, v: str):
    # Python's http.cookies quotes a value that is not all legal characters.
    response.set_cookie("k", v)
    return {"ok": True}


@app.get("/nulls")
def nulls():
    return {"a": None, "b": [1, None], "c": {"d": None}}


@app.get("/numbers")
def numbers():
    return {"int": 3, "float": 2.5, "whole": 2.0, "neg": -7, "big": 12345678901234, "small": 0.001}


@app.get("/unicode")
def unicode():
    return {"text": "héllo wörld ✓ 日本"}


@app.get("/none")
def none():
    return None


@app.get("/users-list")
def users_list() -> list[UserOut]:
    return [UserOut(username="ann", full_name=None)]


@app.get("/health")
def health() -> bool:
    return True


class Profile(BaseModel):
    username: str
    email: Optional[str] = None
    nickname: Optional[str] = None
    extra: Optional[UserOut] = None


PROFILES = [
    Profile(username="ann", email="a@x.org", extra=UserOut(username="ann2")),
    Profile(username="bob"),
]


@app.get("/profiles/sparse", response_model=list[Profile], response_model_exclude_none=True)
def profiles_sparse():
    return PROFILES


@app.get("/profiles/names", response_model=Profile, response_model_include={"username", "nickname"})
def profile_names():
    return PROFILES[0]


@app.get("/profiles/public", response_model=Profile, response_model_exclude={"email"})
def profile_public():
    return PROFILES[0]


@app.get("/profiles/missing", response_model=Profile, response_model_exclude_none=True)
def profile_missing():
    raise HTTPException(404, "no profile")
