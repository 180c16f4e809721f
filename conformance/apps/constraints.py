"""Declared constraints on parameters: numeric bounds, multiples, lengths,
patterns, list sizes."""
from typing import Optional

from fastapi import FastAPI, Path, Query

app = FastAPI()


@app.get("/bounded/{n}")
def bounded(n: int = Path(gt=0, le=100), m: int = Query(5, ge=1, lt=10)):
    return {"n": n, "m": m}


@app.get("/ratio/{x}")
def ratio(x: float = Path(gt=0, lt=1), step: float = Query(0.5, multiple_of=0.25)):
    return {"x": x, "step": step}


@app.get("/even")
def even(n: int = Query(multiple_of=2)):
    return {"n": n}


@app.get("/names")
def names(name: str = Query(min_length=2, max_length=8), code: Optional[str] = Query(None, pattern=r"^[A-Z]{3}$")):
    return {"name": name, "code": code}


@app.get("/tags")
def tags(t: list[str] = Query(min_length=1, max_length=3)):
    return {"t": t}


@app.get("/username/{username}")
def username(username: str = Path(pattern=r"^[a-z0-9_]{3,16}$")):
    return {"username": username}
