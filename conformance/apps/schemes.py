"""Every security class's options: scheme_name, description, auto_error,
HTTPBasic's realm, HTTPBearer's bearerFormat, API key names as declared,
OAuth2's refreshUrl and description, Bearer credentials stripped."""
from typing import Union

from fastapi import Depends, FastAPI, Security
from fastapi.security import (
    APIKeyCookie,
    APIKeyHeader,
    APIKeyQuery,
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
    OAuth2PasswordBearer,
)

app = FastAPI()

bearer = HTTPBearer(scheme_name="JWT", description="A JWT from /token", bearerFormat="JWT")
basic = HTTPBasic(realm="simple", scheme_name="Basic auth", description="Username and password")
plain_basic = HTTPBasic(auto_error=False)
key = APIKeyHeader(name="X-API-Key", description="Your key", scheme_name="ApiKeyAuth")
maybe_key = APIKeyQuery(name="Token", auto_error=False)
cookie = APIKeyCookie(name="Session-Id", scheme_name="session")
oauth = OAuth2PasswordBearer(
    tokenUrl="token", scheme_name="Password", description="OAuth2 password flow", refreshUrl="refresh",
    scopes={"read": "Read things"},
)


@app.get("/bearer")
def with_bearer(c: HTTPAuthorizationCredentials = Depends(bearer)):
    return {"scheme": c.scheme, "credentials": c.credentials}


@app.get("/basic")
def with_basic(c: HTTPBasicCredentials = Depends(basic)):
    return {"username": c.username, "password": c.password}


@app.get("/maybe-basic")
def maybe_basic(c: Union[HTTPBasicCredentials, None] = Depends(plain_basic)):
    return {"username": c.username if c else None}


@app.get("/key")
def with_key(k: str = Security(key)):
    return {"key": k}


@app.get("/maybe-key")
def with_maybe_key(k: Union[str, None] = Depends(maybe_key)):
    return {"key": k}


@app.get("/cookie")
def with_cookie(k: str = Depends(cookie)):
    return {"key": k}


@app.get("/oauth")
def with_oauth(t: str = Security(oauth, scopes=["read"])):
    return {"token": t}
