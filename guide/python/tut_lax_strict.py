from fastapi import FastAPI
from pydantic import BaseModel, StrictBool, StrictInt

app = FastAPI()


class Order(BaseModel):
    copies: int
    gift: bool
    price: float


class StrictOrder(BaseModel):
    copies: StrictInt
    gift: StrictBool


@app.post("/orders/")
async def order(o: Order) -> Order:
    return o


@app.post("/strict-orders/")
async def strict_order(o: StrictOrder) -> StrictOrder:
    return o
