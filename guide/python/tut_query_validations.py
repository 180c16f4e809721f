from typing import Annotated

from fastapi import FastAPI, Query

app = FastAPI()


@app.get("/search/")
async def search(
    q: Annotated[
        str | None, Query(min_length=3, max_length=20, pattern="^[a-z ]+$", title="Search words")
    ] = None,
):
    return {"q": q}


@app.get("/tags/")
async def tags(tag: Annotated[list[str], Query()] = ["poetry", "drama"]):
    return {"tags": tag}


@app.get("/titles/")
async def titles(
    title_part: Annotated[
        str,
        Query(alias="title-part", description="Part of the title.", deprecated=True, min_length=2),
    ],
):
    return {"title_part": title_part}


@app.get("/hidden/")
async def hidden(token: Annotated[str | None, Query(include_in_schema=False)] = None):
    return {"token": token}
