"""Lifespan: start-up before the first request, once; the state it yields
reachable from routes (request.state), from sync and async routes."""
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request


@asynccontextmanager
async def lifespan(app: FastAPI):
    log = ["startup"]
    yield {"models": {"answer": 42}, "greeting": "hello", "log": log}
    log.append("shutdown")


app = FastAPI(lifespan=lifespan)


@app.get("/predict")
def predict(request: Request, x: int = 1):
    return {"answer": request.state.models["answer"] * x, "log": request.state.log}


@app.get("/greet/{name}")
async def greet(request: Request, name: str):
    if name == "nobody":
        raise HTTPException(status_code=404, detail="Nobody to greet")
    return {"greeting": f"{request.state.greeting}, {name}"}
