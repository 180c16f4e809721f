from typing import Annotated

from fastapi import Cookie, FastAPI, Header

app = FastAPI()


@app.get("/visits/")
async def visits(
    user_agent: Annotated[str | None, Header()] = None,
    x_shop: Annotated[list[str] | None, Header()] = None,
    session: Annotated[str | None, Cookie()] = None,
):
    return {"user_agent": user_agent, "x_shop": x_shop, "session": session}


@app.get("/strict/")
async def strict(x_token: Annotated[str, Header()], basket: Annotated[int, Cookie()]):
    return {"x_token": x_token, "basket": basket}
