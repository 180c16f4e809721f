import pytest
from fastapi.testclient import TestClient
from httpx import ASGITransport, AsyncClient

from notes import app, db

client = TestClient(app)


def test_create_then_list():
    r = client.post("/notes", json={"text": "first"})
    assert r.status_code == 201
    assert client.get("/notes").json()[-1] == r.json()


def test_a_row_the_test_writes_itself():
    with db() as c:
        (id,) = c.execute("INSERT INTO note (text) VALUES ('written by the test') RETURNING id").fetchone()
    assert client.get(f"/notes/{id}").json() == {"id": id, "text": "written by the test"}


def test_missing_and_invalid():
    assert client.get("/notes/999999").status_code == 404
    assert client.post("/notes", json={"text": ""}).status_code == 422


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.mark.anyio
async def test_an_async_client():
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as ac:
        r = await ac.get("/notes")
    assert r.status_code == 200
