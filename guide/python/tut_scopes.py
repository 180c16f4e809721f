from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Security
from fastapi.security import OAuth2PasswordBearer, SecurityScopes

app = FastAPI()

oauth2_scheme = OAuth2PasswordBearer(
    tokenUrl="token",
    scopes={"books:read": "Read books.", "books:write": "Change books."},
)


async def reader(scopes: SecurityScopes, token: Annotated[str, Depends(oauth2_scheme)]):
    name, _, granted = token.partition(":")
    granted = granted.split(" ")
    authenticate = f'Bearer scope="{scopes.scope_str}"'
    for needed in scopes.scopes:
        if needed not in granted:
            raise HTTPException(status_code=401, detail="Not enough permissions", headers={"WWW-Authenticate": authenticate})
    return name


@app.get("/books/")
async def list_books(who: Annotated[str, Security(reader, scopes=["books:read"])]):
    return {"reader": who, "books": []}


@app.get("/books/edit")
async def edit_books(who: Annotated[str, Security(reader, scopes=["books:read", "books:write"])]):
    return {"editor": who}
