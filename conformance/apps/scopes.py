"""OAuth2 scopes (`Security(..., scopes=[...])` and `SecurityScopes`, which
accumulate down the dependency tree), OpenID Connect and the OAuth2
authorization-code bearer."""
from typing import Optional

from fastapi import Depends, FastAPI, HTTPException, Security
from fastapi.security import (
    OAuth2AuthorizationCodeBearer,
    OAuth2PasswordBearer,
    OpenIdConnect,
    SecurityScopes,
)

app = FastAPI()

oauth2 = OAuth2PasswordBearer(
    tokenUrl="token",
    scopes={"me": "Read yourself", "items": "Read items", "admin": "Administer"},
)
oidc = OpenIdConnect(openIdConnectUrl="https://id.example.com/.well-known/openid-configuration")
maybe_oidc = OpenIdConnect(
    openIdConnectUrl="https://id.example.com/.well-known/openid-configuration", auto_error=False
)
code = OAuth2AuthorizationCodeBearer(
    authorizationUrl="https://id.example.com/authorize",
    tokenUrl="https://id.example.com/token",
    refreshUrl="https://id.example.com/refresh",
    scopes={"read": "Read"},
)


def current_user(security_scopes: SecurityScopes, token: str = Depends(oauth2)):
    """The token is `name:scope,scope`: the granted scopes."""
    name, _, granted = token.partition(":")
    granted_scopes = granted.split(",") if granted else []
    if security_scopes.scopes:
        challenge = f'Bearer scope="{security_scopes.scope_str}"'
    else:
        challenge = "Bearer"
    for scope in security_scopes.scopes:
        if scope not in granted_scopes:
            raise HTTPException(
                status_code=401,
                detail="Not enough permissions",
                headers={"WWW-Authenticate": challenge},
            )
    return {"name": name, "required": security_scopes.scopes}


def active_user(user: dict = Security(current_user, scopes=["me"])):
    return user


@app.get("/plain")
def plain(user: dict = Depends(current_user)):
    return user


@app.get("/me")
def me(user: dict = Security(current_user, scopes=["me"])):
    return user


@app.get("/me/items")
def my_items(user: dict = Security(active_user, scopes=["items"])):
    return user


@app.get("/admin")
def admin(user: dict = Security(current_user, scopes=["admin"])):
    return user


@app.get("/route-scopes")
def route_scopes(security_scopes: SecurityScopes):
    return {"scopes": security_scopes.scopes, "scope_str": security_scopes.scope_str}


@app.get("/oidc")
def openid(authorization: str = Depends(oidc)):
    return {"authorization": authorization}


@app.get("/maybe-oidc")
def maybe_openid(authorization: Optional[str] = Depends(maybe_oidc)):
    return {"authorization": authorization}


@app.get("/code")
def code_token(token: str = Depends(code)):
    return {"token": token}
