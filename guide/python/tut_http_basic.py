from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import APIKeyHeader, HTTPBasic, HTTPBasicCredentials

app = FastAPI()

basic = HTTPBasic(realm="shop")
api_key = APIKeyHeader(name="X-API-Key")


@app.get("/back-office/")
async def back_office(credentials: Annotated[HTTPBasicCredentials, Depends(basic)]):
    if credentials.username == "clerk" and credentials.password == "open sesame":
        return {"clerk": credentials.username}
    raise HTTPException(status_code=401, detail="Incorrect username or password", headers={"WWW-Authenticate": "Basic"})


@app.get("/feed/")
async def feed(key: Annotated[str, Depends(api_key)]):
    if key == "k-123":
        return {"feed": []}
    raise HTTPException(status_code=403, detail="Unknown key")
