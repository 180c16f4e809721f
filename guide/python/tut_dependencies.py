from typing import Annotated

from fastapi import Depends, FastAPI, Header, HTTPException, Query

app = FastAPI()


async def paging(
    skip: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(gt=0, le=100)] = 10,
):
    return (skip, limit)


@app.get("/books/")
async def list_books(page: Annotated[tuple, Depends(paging)]):
    skip, limit = page
    return {"skip": skip, "limit": limit}


class Search:
    def __init__(self, q: str | None = None, exact: bool = False):
        self.q = q
        self.exact = exact


@app.get("/search/")
async def search(search: Annotated[Search, Depends()]):
    return {"q": search.q, "exact": search.exact}


async def api_token(x_token: Annotated[str | None, Header()] = None):
    if x_token is None:
        raise HTTPException(status_code=401, detail="Missing token")
    return x_token


async def current_reader(token: Annotated[str, Depends(api_token)]):
    return f"reader-{token}"


@app.get("/me/")
async def me(reader: Annotated[str, Depends(current_reader)], token: Annotated[str, Depends(api_token)]):
    return {"reader": reader, "token": token}
