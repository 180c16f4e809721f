"""A FastAPI app with a table of its own (PostgreSQL or SQLite, as NOTES_DB
names it) and its own pytest suite (test_notes.py), for `ferroapi contract
record --pytest --db` (crates/ferroapi-cli/tests/suite.rs)."""

import os

from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

DB = os.environ["NOTES_DB"]

if DB.startswith("sqlite:"):
    import sqlite3

    PATH = DB[len("sqlite:"):]
    PATH = PATH[2:] if PATH.startswith("//") else PATH
    MARK = "?"
    TABLE = "CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL)"

    def db():
        return sqlite3.connect(PATH, isolation_level=None)
else:
    import psycopg

    MARK = "%s"
    TABLE = "CREATE TABLE IF NOT EXISTS note (id serial PRIMARY KEY, text text NOT NULL)"

    def db():
        return psycopg.connect(DB, autocommit=True)


app = FastAPI(title="Notes")


class NoteIn(BaseModel):
    text: str = Field(min_length=1, max_length=50)


with db() as c:
    c.execute(TABLE)


@app.post("/notes", status_code=201)
def create_note(note: NoteIn):
    with db() as c:
        (id,) = c.execute(f"INSERT INTO note (text) VALUES ({MARK}) RETURNING id", (note.text,)).fetchone()
    return {"id": id, "text": note.text}


@app.get("/notes")
def list_notes():
    with db() as c:
        rows = c.execute("SELECT id, text FROM note ORDER BY id").fetchall()
    return [{"id": i, "text": t} for i, t in rows]


@app.get("/notes/{note_id}")
def read_note(note_id: int):
    with db() as c:
        row = c.execute(f"SELECT id, text FROM note WHERE id = {MARK}", (note_id,)).fetchone()
    if row is None:
        raise HTTPException(404, "Note not found")
    return {"id": row[0], "text": row[1]}
