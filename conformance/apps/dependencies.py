"""Dependencies: own parameters validated with the route's, sub-dependencies,
a raising dependency answering before the 422, route and router
dependencies, `yield` dependencies and background tasks."""
from typing import Optional

from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Header, HTTPException, Query

app = FastAPI()
LOG: list[str] = []


def paging(skip: int = Query(0, ge=0), limit: int = Query(10, gt=0, le=100)):
    return (skip, limit)


def token(x_token: Optional[str] = Header(None)):
    if x_token != "secret":
        raise HTTPException(status_code=401, detail="Not authenticated", headers={"WWW-Authenticate": "Bearer"})
    return x_token


def user(t: str = Depends(token)):
    return f"user-of-{t}"


def verify_key(x_key: str = Header()):
    if x_key != "k":
        raise HTTPException(status_code=400, detail="X-Key header invalid")


@app.get("/items")
def items(n: int, p: tuple = Depends(paging), u: str = Depends(user)):
    return {"n": n, "skip": p[0], "limit": p[1], "user": u}


@app.get("/pages")
def pages(p: tuple = Depends(paging), q: Optional[str] = None):
    return {"skip": p[0], "limit": p[1], "q": q}


@app.get("/guarded", dependencies=[Depends(verify_key)])
def guarded():
    return {"guarded": True}


router = APIRouter(prefix="/r", dependencies=[Depends(token)])


@router.get("/admin")
def admin(n: int):
    return {"n": n}


app.include_router(router)


@app.post("/notify")
def notify(background: BackgroundTasks, who: str = "ann"):
    background.add_task(LOG.append, f"notified {who}")
    return {"queued": True}


def tracked():
    """A `yield` dependency: set-up, then teardown after the response."""
    LOG.append("open")
    try:
        yield "res"
    except Exception:
        LOG.append("error")
        raise
    finally:
        LOG.append("close")


@app.get("/tracked")
def tracked_ok(r: str = Depends(tracked)):
    LOG.append("handler")
    return {"r": r}


@app.get("/tracked/fail")
def tracked_fail(r: str = Depends(tracked)):
    LOG.append("handler")
    raise HTTPException(status_code=409, detail="Conflict")


@app.get("/tracked/invalid")
def tracked_invalid(n: int, r: str = Depends(tracked)):
    LOG.append("handler")
    return {"n": n}


@app.get("/log")
def log():
    return LOG


class CommonQueryParams:
    def __init__(self, q: Optional[str] = None, skip: int = Query(0, ge=0), limit: int = 100):
        self.q = q
        self.skip = skip
        self.limit = limit


@app.get("/class")
def class_dep(commons: CommonQueryParams = Depends()):
    return {"q": commons.q, "skip": commons.skip, "limit": commons.limit}


COUNTER = {"n": 0}


def counted():
    COUNTER["n"] += 1
    return COUNTER["n"]


def counted_again(first: int = Depends(counted), again: int = Depends(counted, use_cache=False)):
    return [first, again]


@app.get("/counts")
def counts(
    pair: list = Depends(counted_again),
    cached: int = Depends(counted),
    fresh: int = Depends(counted, use_cache=False),
):
    COUNTER["n"] = 0
    return {"pair": pair, "cached": cached, "fresh": fresh}


@app.get("/limited")
def limited(u: str = Depends(user, max_concurrency=2)):
    return {"user": u}
