"""The items listing as data grows: GET /api/v1/items/ (the superuser's page of
100, with the total count) at 1k, 10k and 100k items, on SQLite and PostgreSQL.

    python3 apps/fullstack/scripts/growth.py BINARY [POSTGRES_ADMIN_URL]

Items are made through the API (100), then multiplied in SQL (new ids, later
times), so each size is one real table. Prints a markdown table of median
and p95 latency over 200 sequential requests. Only 127.0.0.1 is contacted.
"""
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HOST = "127.0.0.1"


def free_port():
    s = socket.socket()
    s.bind((HOST, 0))
    p = s.getsockname()[1]
    s.close()
    return p


def call(port, method, path, body=b"", headers=()):
    s = socket.create_connection((HOST, port), timeout=60)
    head = f"{method} {path} HTTP/1.1\r\nhost: t\r\nconnection: close\r\ncontent-length: {len(body)}\r\n"
    for k, v in headers:
        head += f"{k}: {v}\r\n"
    s.sendall(head.encode() + b"\r\n" + body)
    data = b""
    while True:
        c = s.recv(1 << 20)
        if not c:
            break
        data += c
    s.close()
    return int(data.split(b" ", 2)[1]), data.split(b"\r\n\r\n", 1)[-1]


def start(binary, db_url, port):
    env = {**os.environ, "DATABASE_URL": db_url, "HOST": HOST, "PORT": str(port), "PROJECT_NAME": "growth",
           "SECRET_KEY": "growth-secret", "FIRST_SUPERUSER": "admin@example.com",
           "FIRST_SUPERUSER_PASSWORD": "growth-password-1"}
    p = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            call(port, "GET", "/api/v1/utils/health-check/")
            return p
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("no server")


def measure(port, auth):
    times = []
    for _ in range(200):
        t = time.perf_counter()
        code, body = call(port, "GET", "/api/v1/items/", headers=[("authorization", auth)])
        times.append((time.perf_counter() - t) * 1000)
        assert code == 200, body[:200]
    count = json.loads(body)["count"]
    times.sort()
    return count, statistics.median(times), times[int(len(times) * 0.95)]


def run(binary, kind, db_url, grow):
    port = free_port()
    p = start(binary, db_url, port)
    try:
        form = urllib.parse.urlencode({"username": "admin@example.com", "password": "growth-password-1"}).encode()
        _, body = call(port, "POST", "/api/v1/login/access-token", form,
                       [("content-type", "application/x-www-form-urlencoded")])
        auth = "Bearer " + json.loads(body)["access_token"]
        for i in range(100):
            call(port, "POST", "/api/v1/items/", json.dumps({"title": f"item {i}", "description": "d"}).encode(),
                 [("content-type", "application/json"), ("authorization", auth)])
        for target in (1_000, 10_000, 100_000):
            grow(target)
            count, p50, p95 = measure(port, auth)
            print(f"| {os.path.basename(os.path.dirname(os.path.dirname(binary)))} | {kind} | {count:,} | {p50:.1f} | {p95:.1f} |",
                  flush=True)
    finally:
        p.kill()
        p.wait()


def main():
    binary = os.path.abspath(sys.argv[1])
    pg = sys.argv[2] if len(sys.argv) > 2 else None
    print("| build | database | items | p50 ms | p95 ms |\n|---|---|---:|---:|---:|")
    d = tempfile.mkdtemp()
    path = os.path.join(d, "growth.db")

    def grow_sqlite(target):
        c = sqlite3.connect(path)
        while c.execute("SELECT count(*) FROM item").fetchone()[0] < target:
            n = c.execute("SELECT count(*) FROM item").fetchone()[0]
            c.execute("INSERT INTO item (description, title, id, owner_id, created_at) "
                      "SELECT description, title, randomblob(16), owner_id, created_at FROM item LIMIT ?",
                      (min(n, target - n),))
            c.commit()
        c.close()
    run(binary, "SQLite", f"sqlite://{path}", grow_sqlite)
    if pg:
        db = f"growth_{os.getpid()}"
        subprocess.run(["psql", pg, "-qc", f"CREATE DATABASE {db}"], check=True, capture_output=True)
        url = pg.rsplit("/", 1)[0] + "/" + db

        def grow_pg(target):
            subprocess.run(["psql", url, "-qc", f"""
                DO $$ BEGIN
                  WHILE (SELECT count(*) FROM item) < {target} LOOP
                    INSERT INTO item (description, title, id, owner_id, created_at)
                    SELECT description, title, gen_random_uuid(), owner_id, created_at + interval '1 second'
                    FROM item LIMIT {target} - (SELECT count(*) FROM item);
                  END LOOP;
                END $$; ANALYZE item;"""], check=True, capture_output=True)
        run(binary, "PostgreSQL", url, grow_pg)


if __name__ == "__main__":
    main()
