from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException


async def verify_key(x_key: Annotated[str, Header()]):
    if x_key != "shop-key":
        raise HTTPException(status_code=400, detail="X-Key header invalid")


async def verify_agent(user_agent: Annotated[str | None, Header()] = None):
    if user_agent is not None and "bot" in user_agent:
        raise HTTPException(status_code=403, detail="No robots")


app = FastAPI(dependencies=[Depends(verify_agent)])


@app.get("/stock/", dependencies=[Depends(verify_key)])
async def stock():
    return {"stock": 12}


admin = APIRouter(prefix="/admin", dependencies=[Depends(verify_key)])


@admin.get("/orders/")
async def orders():
    return []


app.include_router(admin)
