"""Body limits at each level (app, router, route: the innermost wins),
strict_content_type=False on a router, form_limits (max_fields, max_files,
max_part_size) with FastAPI's 400 messages."""
from typing import List

from fastapi import APIRouter, Body, FastAPI, File, Form, UploadFile

app = FastAPI(max_body_size=64)
loose = APIRouter(prefix="/loose", strict_content_type=False, max_body_size=32)
roomy = APIRouter(prefix="/roomy", max_body_size=1024)


@app.post("/echo")
def echo(data: dict = Body()):
    return data


@app.post("/small", max_body_size=8)
def small(data: dict = Body()):
    return data


@app.post("/large", max_body_size=4096)
def large(data: dict = Body()):
    return {"keys": len(data)}


@loose.post("/echo")
def loose_echo(data: dict = Body()):
    return data


@roomy.post("/echo")
def roomy_echo(data: dict = Body()):
    return {"keys": len(data)}


@roomy.post("/tiny", max_body_size=4)
def roomy_tiny(data: dict = Body()):
    return data


@app.post("/form", max_body_size=4096, form_limits={"max_fields": 2, "max_part_size": 1024})
def limited_form(a: str = Form(), b: str = Form(default="")):
    return {"a": a, "b": b}


@app.post("/upload", max_body_size=4096, form_limits={"max_files": 1})
def limited_upload(files: List[UploadFile] = File()):
    return {"count": len(files)}


app.include_router(loose)
app.include_router(roomy)
