"""The items listing as data grows, and bulk changes against the template's
schema.

    python3 apps/fullstack/scripts/growth.py BINARY [POSTGRES_ADMIN_URL]
        [--sizes 1000,10000,100000] [--bulk 100000]

Listing: GET /api/v1/items/ (the superuser's page of 100, with the total
count) at each size, on SQLite and on PostgreSQL when its admin URL is
given. Items are made through the API (100), then multiplied in SQL (new
ids, later times), so each size is one real table. Prints a markdown table
of median and p95 latency over 200 sequential requests.

Bulk (`--bulk N`, 0 to skip): on each database, the template's schema
(migration 0001 alone) against the flagship's (every migration, the
listing totals' triggers included), timed in the same run: N items inserted
in one statement, given to another owner in one statement, then that owner
deleted (the cascade deletes them), and
the totals' table size after autovacuum has had its chance. Only 127.0.0.1
is contacted.
"""
import argparse
import glob
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


def run(binary, kind, db_url, grow, sizes):
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
        for target in sizes:
            grow(target)
            count, p50, p95 = measure(port, auth)
            print(f"| {os.path.basename(os.path.dirname(os.path.dirname(binary)))} | {kind} | {count:,} | {p50:.1f} | {p95:.1f} |",
                  flush=True)
    finally:
        p.kill()
        p.wait()


MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "migrations")


def migrations(kind, all_of_them):
    files = sorted(glob.glob(os.path.join(MIGRATIONS, kind, "*.sql")))
    return files if all_of_them else files[:1]


def bulk_sqlite(n, flagship):
    d = tempfile.mkdtemp()
    c = sqlite3.connect(os.path.join(d, "bulk.db"))
    c.execute("PRAGMA foreign_keys = ON")
    for f in migrations("sqlite", flagship):
        c.executescript(open(f).read())
    c.execute("INSERT INTO user (email, is_active, is_superuser, id, hashed_password) "
              "VALUES ('bulk@example.com', 1, 0, x'01', 'x'), ('other@example.com', 1, 0, x'02', 'x')")
    c.commit()
    t = time.perf_counter()
    c.execute("INSERT INTO item (title, id, owner_id, created_at) "
              "WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ?) "
              "SELECT 'bulk', randomblob(16), x'01', strftime('%Y-%m-%dT%H:%M:%f+00:00') FROM g", (n,))
    c.commit()
    inserted = time.perf_counter() - t
    t = time.perf_counter()
    c.execute("UPDATE item SET owner_id = x'02'")
    c.commit()
    moved = time.perf_counter() - t
    t = time.perf_counter()
    c.execute("DELETE FROM user WHERE id = x'02'")
    c.commit()
    deleted = time.perf_counter() - t
    left = c.execute("SELECT count(*) FROM item").fetchone()[0]
    c.close()
    return inserted, moved, deleted, left, "–"


def bulk_pg(admin, n, flagship):
    db = f"bulk_{os.getpid()}_{int(flagship)}"
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {db}"], check=True, capture_output=True)
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {db}"], check=True, capture_output=True)
    url = admin.rsplit("/", 1)[0] + "/" + db

    def sql(q):
        t = time.perf_counter()
        r = subprocess.run(["psql", "-X", "-qtA", "-v", "ON_ERROR_STOP=1", url, "-c", q],
                           check=True, capture_output=True, text=True)
        return time.perf_counter() - t, r.stdout.strip()

    for f in migrations("postgres", flagship):
        subprocess.run(["psql", "-X", "-q", "-1", "-v", "ON_ERROR_STOP=1", url, "-f", f], check=True,
                       capture_output=True)
    owner, other = "00000000-0000-0000-0000-0000000000b1", "00000000-0000-0000-0000-0000000000b2"
    sql(f"""INSERT INTO "user" (email, is_active, is_superuser, id, hashed_password)
            VALUES ('bulk@example.com', true, false, '{owner}', 'x'),
                   ('other@example.com', true, false, '{other}', 'x')""")
    base, _ = sql("SELECT 1")  # one psql start, taken off each figure
    inserted, _ = sql(f"""INSERT INTO item (title, id, owner_id, created_at)
        SELECT 'bulk', gen_random_uuid(), '{owner}', now() FROM generate_series(1, {n})""")
    moved, _ = sql(f"""UPDATE item SET owner_id = '{other}'""")
    deleted, _ = sql(f"""DELETE FROM "user" WHERE id = '{other}'""")
    left = int(sql("SELECT count(*) FROM item")[1])
    pages = "–"
    if flagship:
        # What autovacuum leaves: a plain VACUUM is what it runs.
        sql("VACUUM item_count")
        pages = sql("SELECT pg_relation_size('item_count') / 8192")[1]
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE {db}"], capture_output=True)
    return inserted - base, moved - base, deleted - base, left, pages


def bulk(n, pg):
    print(f"\n| database | schema | insert {n:,} items (one statement) s | give them to another owner s "
          f"| delete that owner (cascade) s | totals' table pages after VACUUM |\n|---|---|---:|---:|---:|---:|")
    kinds = [("SQLite", lambda flagship: bulk_sqlite(n, flagship))]
    if pg:
        kinds.append(("PostgreSQL", lambda flagship: bulk_pg(pg, n, flagship)))
    for name, run_one in kinds:
        for flagship in (False, True):
            inserted, moved, deleted, left, pages = run_one(flagship)
            assert left == 0, f"{left} items outlived their owner"
            schema = "flagship (all migrations)" if flagship else "template (0001)"
            print(f"| {name} | {schema} | {inserted:.2f} | {moved:.2f} | {deleted:.2f} | {pages} |", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("binary")
    ap.add_argument("pg", nargs="?")
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--bulk", type=int, default=100_000)
    a = ap.parse_args()
    binary = os.path.abspath(a.binary)
    pg = a.pg
    sizes = [int(x) for x in a.sizes.split(",") if x]
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
    run(binary, "SQLite", f"sqlite://{path}", grow_sqlite, sizes)
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
        run(binary, "PostgreSQL", url, grow_pg, sizes)
    if a.bulk:
        bulk(a.bulk, pg)


if __name__ == "__main__":
    main()
