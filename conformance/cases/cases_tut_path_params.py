from _lib import get

CASES = [
    get("int", "/books/3"),
    get("int bad", "/books/three", bad=True),
    get("int float", "/books/3.5", bad=True),
    get("int huge", "/books/99999999999999999999999", bad=True),
    get("me first", "/authors/me"),
    get("author", "/authors/sappho"),
    get("genre", "/genres/poetry"),
    get("genre other", "/genres/essay"),
    get("genre bad", "/genres/opera", bad=True),
    get("genre case", "/genres/Poetry", bad=True),
    get("path", "/files/a/b/c.txt"),
    get("path absolute", "/files//etc/passwd"),
    get("path empty", "/files/", bad=True),
]
