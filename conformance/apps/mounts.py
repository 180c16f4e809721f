"""Sub-applications mounted with app.mount: their own routes, handlers,
document (with the mount path as root_path) and middleware that sees the
full URL (HTTPS redirect, slash redirect)."""
from fastapi import FastAPI, HTTPException
from fastapi.middleware.httpsredirect import HTTPSRedirectMiddleware
from fastapi.responses import JSONResponse

app = FastAPI()


@app.get("/app")
def read_main():
    return {"message": "Hello World from main app"}


subapi = FastAPI()


class Teapot(Exception):
    pass


@subapi.exception_handler(Teapot)
async def teapot_handler(request, exc):
    return JSONResponse(status_code=418, content={"detail": "sub teapot"})


@subapi.get("/sub")
def read_sub():
    return {"message": "Hello World from sub API"}


@subapi.get("/items/{item_id}")
def read_sub_item(item_id: int):
    if item_id == 0:
        raise Teapot()
    if item_id == 1:
        raise HTTPException(status_code=404, detail="No such item")
    return {"item_id": item_id}


@subapi.get("/slash/")
def slash():
    return {"slash": True}


secure = FastAPI()
secure.add_middleware(HTTPSRedirectMiddleware)


@secure.get("/data")
def data():
    return {"secure": True}


app.mount("/subapi", subapi)
app.mount("/secure", secure)
