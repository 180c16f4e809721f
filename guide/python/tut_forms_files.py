from typing import Annotated

from fastapi import FastAPI, File, Form, UploadFile

app = FastAPI()


@app.post("/login/")
async def login(username: Annotated[str, Form()], password: Annotated[str, Form(min_length=4)]):
    return {"username": username}


@app.post("/covers/")
async def upload_cover(cover: UploadFile, caption: Annotated[str, Form()] = ""):
    data = await cover.read()
    return {"filename": cover.filename, "content_type": cover.content_type, "size": len(data), "caption": caption}


@app.post("/scans/")
async def upload_scans(scans: list[UploadFile]):
    return {"filenames": [s.filename for s in scans]}


@app.post("/raw/")
async def raw_file(blob: Annotated[bytes, File()]):
    return {"size": len(blob)}
