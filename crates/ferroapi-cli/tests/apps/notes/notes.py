"""A FastAPI app with a PostgreSQL table and its own pytest suite
(test_notes.py), for `ferroapi contract record --pytest --db`
(crates/ferroapi-cli/tests/contract.rs). NOTES_DB names its database."""

import os

import psycopg
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

app = FastAPI(title="Notes")


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=50)


def db():
    return psycopg.connect(os.environ["NOTES_DB"], autocommit=True)


with db() as c:
    c.execute("CREATE TABLE IF NOT EXISTS note (id serial PRIMARY KEY, text text NOT NULL)")


@app.post("/notes", status_code=201)
def create_note(note: NoteIn):
    with db() as c:
        (id,) = c.execute("INSERT INTO note (text) VALUES (%s) RETURNING id", (note.text,)).fetchone()
    return {"id": id, "text": note.text}


@app.get("/notes")
def list_notes():
    with db() as c:
        rows = c.execute("SELECT id, text FROM note ORDER BY id").fetchall()
    return [{"id": i, "text": t} for i, t in rows]


@app.get("/notes/{note_id}")
def read_note(note_id: int):
    with db() as c:
        row = c.execute("SELECT id, text FROM note WHERE id = %s", (note_id,)).fetchone()
    if row is None:
        raise HTTPException(404, "Note not found")
    return {"id": row[0], "text": row[1]}
