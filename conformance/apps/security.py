"""Security helpers: OAuth2 password bearer (and its form), HTTP Bearer and
Basic, API keys in header, query and cookie, optional (auto_error=False)."""
from typing import Optional

from fastapi import Depends, FastAPI
from fastapi.security import (
    APIKeyCookie,
    APIKeyHeader,
    APIKeyQuery,
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
    OAuth2PasswordBearer,
    OAuth2PasswordRequestForm,
)

app = FastAPI()

oauth2 = OAuth2PasswordBearer(tokenUrl="token")
bearer = HTTPBearer()
maybe_bearer = HTTPBearer(auto_error=False)
basic = HTTPBasic()
key_header = APIKeyHeader(name="x-api-key")
key_query = APIKeyQuery(name="api_key")
key_cookie = APIKeyCookie(name="session")


@app.post("/token")
def login(form: OAuth2PasswordRequestForm = Depends()):
    return {"access_token": form.username, "token_type": "bearer", "scopes": form.scopes}


@app.get("/oauth")
def oauth(token: str = Depends(oauth2)):
    return {"token": token}


@app.get("/bearer")
def http_bearer(creds: HTTPAuthorizationCredentials = Depends(bearer)):
    return {"scheme": creds.scheme, "credentials": creds.credentials}


@app.get("/maybe-bearer")
def maybe(creds: Optional[HTTPAuthorizationCredentials] = Depends(maybe_bearer)):
    return {"credentials": creds.credentials if creds else None}


@app.get("/basic")
def http_basic(creds: HTTPBasicCredentials = Depends(basic)):
    return {"username": creds.username, "password": creds.password}


@app.get("/key-header")
def api_key_header(key: str = Depends(key_header)):
    return {"key": key}


@app.get("/key-query")
def api_key_query(key: str = Depends(key_query)):
    return {"key": key}


@app.get("/key-cookie")
def api_key_cookie(key: str = Depends(key_cookie)):
    return {"key": key}
