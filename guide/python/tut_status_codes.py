from fastapi import FastAPI, status

app = FastAPI()


@app.post("/books/", status_code=201)
async def create_book(title: str):
    return {"title": title}


@app.delete("/books/{book_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_book(book_id: int) -> None:
    return None


@app.get("/teapot", status_code=status.HTTP_418_IM_A_TEAPOT)
async def teapot():
    return {"brew": "tea"}
