from fastapi import BackgroundTasks, FastAPI

app = FastAPI()
OUTBOX = []


async def send_receipt(email: str, title: str):
    OUTBOX.append(f"{email}: {title}")


@app.post("/orders/")
async def order(tasks: BackgroundTasks, email: str, title: str):
    tasks.add_task(send_receipt, email, title)
    return {"ordered": title}
