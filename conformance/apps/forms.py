"""Forms and files: urlencoded and multipart fields, empty fields counted as
missing, typed fields, uploaded files, optional and repeated files."""
from typing import Annotated, Optional

from fastapi import FastAPI, File, Form, UploadFile
from pydantic import BaseModel, Field

app = FastAPI()


@app.post("/login")
def login(username: str = Form(), password: str = Form(min_length=3), remember: bool = Form(False)):
    return {"username": username, "password_len": len(password), "remember": remember}


@app.post("/profile")
def profile(age: int = Form(), height: float = Form(1.7), nickname: Optional[str] = Form(None)):
    return {"age": age, "height": height, "nickname": nickname}


@app.post("/upload")
async def upload(file: UploadFile, note: str = Form("none")):
    data = await file.read()
    return {"filename": file.filename, "content_type": file.content_type, "size": len(data), "note": note}


@app.post("/maybe-upload")
async def maybe_upload(file: Optional[UploadFile] = None):
    if file is None:
        return {"file": None}
    data = await file.read()
    return {"file": file.filename, "size": len(data)}


@app.post("/uploads")
async def uploads(files: list[UploadFile]):
    names = [f.filename for f in files]
    return {"names": names}


class Signup(BaseModel):
    username: str = Field(min_length=3, max_length=8)
    age: int = Field(ge=18)


@app.post("/signup")
def signup(data: Annotated[Signup, Form()]):
    return data.model_dump()


@app.post("/described")
async def described(
    file: UploadFile = File(description="The document to store"),
    title: str = Form(description="Its title", max_length=20),
):
    return {"file": file.filename, "title": title}


@app.post("/form-bytes")
async def form_bytes(data: Annotated[bytes, Form(max_length=5)]):
    return {"size": len(data)}
