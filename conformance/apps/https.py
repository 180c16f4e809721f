"""HTTPSRedirect: every plain-HTTP request is sent to its https URL."""
from fastapi import FastAPI
from fastapi.middleware.httpsredirect import HTTPSRedirectMiddleware

app = FastAPI()
app.add_middleware(HTTPSRedirectMiddleware)


@app.get("/x")
def x():
    return {"ok": True}
