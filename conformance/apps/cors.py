"""CORS (Starlette's CORSMiddleware): simple and preflight requests, allowed
and refused origins, methods and headers."""
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

app = FastAPI()
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://app.example.com", "http://localhost:5173"],
    allow_origin_regex=r"https://[a-z0-9-]+\.preview\.example\.com",
    allow_methods=["GET", "POST", "DELETE"],
    allow_headers=["authorization", "content-type"],
    allow_credentials=True,
    expose_headers=["x-total"],
)


@app.get("/items")
def items():
    return ["a"]


@app.post("/items")
def create():
    return {"created": True}
