"""The flagship against the Full Stack FastAPI Template's own backend, side by
side on one PostgreSQL: requests a second and CPU a request (the server's and
PostgreSQL's), for every authenticated database row at several sizes, and
logins under overload.

    python3 apps/fullstack/bench/versus.py --template DIR [options]

DIR is a local copy of github.com/fastapi/full-stack-fastapi-template (its
root, or its `backend/`); it is copied, never changed, and never committed.
Its dependencies are installed from PyPI into target/versus/venv (once; again
when they change). On a Python older than the template's 3.14 the copy gets
the two spellings 3.14 made optional (a parenthesised `except` with two
classes, a quoted forward reference). Both servers run against databases of
one throwaway cluster (scripts/postgres, port FULLSTACK_PG_PORT or 55700); the
template is migrated by its alembic and seeded by its initial_data.py, the
flagship by itself. Both get the same users through their API and the same
items through SQL. Rounds interleave the servers row by row; each figure is
the median of the rounds. `--flagship-only` measures ours alone (no template
needed).

Options: --binary PATH (target/release/fullstack, built when missing),
--rounds N (3), --seconds S (5), --sizes 100,10000,100000,
--connections 64, --logins 64,256, --login-seconds 15, --workers 2
(uvicorn's), --json FILE. Logins count only successes as served (a 503 is
counted as refused); the CPU a request is over all answers.
Needs wrk (Debian's package; installed when missing, as bench/run does).
Only 127.0.0.1 is contacted, and PyPI by pip.
"""
import argparse
import atexit
import hashlib
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
WORK = os.path.join(ROOT, "target", "versus")
HOST = "127.0.0.1"
TICK = os.sysconf("SC_CLK_TCK")
SUPERUSER = ("admin@example.com", "versus-admin-password")
USER = ("user@example.com", "versus-user-password")
SECRET = "versus-secret-key-not-for-production"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# ---- processes and their CPU -------------------------------------------------

def children():
    """ppid -> [pid] for every process now."""
    out = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                out.setdefault(int(fields[1]), []).append(int(d))
            except OSError:
                pass
    return out


def cpu_ticks(root):
    """CPU of `root` and all its descendants, in clock ticks: each one's own
    (utime + stime) and what its children that ended took (cutime + cstime),
    so a connection or worker that ends between two readings is not lost."""
    tree = children()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += sum(int(x) for x in fields[11:15])
        except OSError:
            continue
        todo.extend(tree.get(pid, []))
    return total


def free_port():
    s = socket.socket()
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def call(port, method, path, body=b"", headers=()):
    s = socket.create_connection((HOST, port), timeout=120)
    head = f"{method} {path} HTTP/1.1\r\nhost: {HOST}\r\nconnection: close\r\ncontent-length: {len(body)}\r\n"
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


def wait_up(port, proc, what):
    for _ in range(1200):
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited ({proc.returncode}); see its log in {WORK}")
        try:
            if call(port, "GET", "/api/v1/utils/health-check/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{what} did not answer on {port}")


def psql(url, *sql):
    """Each statement in its own transaction (VACUUM needs that)."""
    args = [x for s in sql for x in ("-c", s)]
    r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url, *args], capture_output=True, text=True)
    if r.returncode:
        raise SystemExit(f"psql: {r.stderr.strip()}")


def psql_value(url, sql):
    r = subprocess.run(["psql", "-X", "-qtA", url, "-c", sql], check=True, capture_output=True, text=True)
    return r.stdout.strip()


# ---- the template ------------------------------------------------------------

def template_copy(src):
    backend = src if os.path.exists(os.path.join(src, "app", "main.py")) else os.path.join(src, "backend")
    if not os.path.exists(os.path.join(backend, "app", "main.py")):
        raise SystemExit(f"{src}: not the template (no backend/app/main.py)")
    dst = os.path.join(WORK, "template-backend")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(backend, dst, ignore=shutil.ignore_patterns(".venv", "__pycache__", "tests"))
    # The built frontend it serves at / (its Dockerfile builds one): a
    # placeholder, as no row measures it.
    front = os.path.join(dst, "app", "frontend")
    if not os.path.isdir(front):
        os.makedirs(front)
        open(os.path.join(front, "index.html"), "w").write("<!doctype html><title>frontend</title>\n")
    if sys.version_info < (3, 14):
        # `except A, B:` (PEP 758) and an unquoted forward reference
        # (PEP 649) are 3.14's: spelled as every Python reads them.
        for dirpath, _, files in os.walk(os.path.join(dst, "app")):
            for name in files:
                if not name.endswith(".py"):
                    continue
                path = os.path.join(dirpath, name)
                text = open(path).read()
                new = re.sub(r"^(\s*)except ([\w.]+(?:, [\w.]+)+):", r"\1except (\2):", text, flags=re.M)
                if name == "models.py":
                    new = re.sub(r"list\[(\w+)\] = Relationship", r'list["\1"] = Relationship', new)
                if new != text:
                    open(path, "w").write(new)
    return dst


def template_venv(backend):
    import tomllib
    deps = tomllib.load(open(os.path.join(backend, "pyproject.toml"), "rb"))["project"]["dependencies"]
    venv = os.path.join(WORK, "venv")
    stamp = os.path.join(venv, "versus-deps")
    want = hashlib.sha256(json.dumps(deps).encode()).hexdigest()
    if os.path.exists(stamp) and open(stamp).read() == want:
        return venv
    log("== installing the template's dependencies from PyPI into", venv)
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", venv], check=True)
    subprocess.run([os.path.join(venv, "bin", "pip"), "install", "-q", "--disable-pip-version-check", *deps],
                   check=True)
    open(stamp, "w").write(want)
    return venv


def env_for(db_url, port, project):
    return {**os.environ, "DATABASE_URL": db_url, "SECRET_KEY": SECRET, "FIRST_SUPERUSER": SUPERUSER[0],
            "FIRST_SUPERUSER_PASSWORD": SUPERUSER[1], "PROJECT_NAME": project, "HOST": HOST, "PORT": str(port),
            "FRONTEND_HOST": "http://localhost:5173", "ENVIRONMENT": "local"}


def start_template(backend, venv, db_url, workers):
    port = free_port()
    env = env_for(db_url, port, "versus")
    env.pop("FASTAPI_ENV", None)
    # The template is installed as the package `app` (uv sync); a copy is on the path instead.
    env["PYTHONPATH"] = backend
    py = os.path.join(venv, "bin", "python")
    out = open(os.path.join(WORK, "template.log"), "w")
    subprocess.run([os.path.join(venv, "bin", "alembic"), "upgrade", "head"], cwd=backend, env=env, check=True,
                   stdout=out, stderr=out)
    subprocess.run([py, "app/initial_data.py"], cwd=backend, env=env, check=True, stdout=out, stderr=out)
    p = subprocess.Popen([os.path.join(venv, "bin", "uvicorn"), "app.main:app", "--host", HOST, "--port",
                          str(port), "--workers", str(workers)], cwd=backend, env=env, stdout=out, stderr=out)
    wait_up(port, p, "the template")
    return p, port


def start_flagship(binary, db_url):
    port = free_port()
    out = open(os.path.join(WORK, "flagship.log"), "w")
    p = subprocess.Popen([binary], env=env_for(db_url, port, "versus"), stdout=out, stderr=out)
    wait_up(port, p, "the flagship")
    return p, port


# ---- seeding -----------------------------------------------------------------

def login(port, who):
    form = urllib.parse.urlencode({"username": who[0], "password": who[1]}).encode()
    code, body = call(port, "POST", "/api/v1/login/access-token", form,
                      [("content-type", "application/x-www-form-urlencoded")])
    assert code == 200, (code, body[:300])
    return json.loads(body)["access_token"]


def seed_users(port):
    admin = login(port, SUPERUSER)
    body = json.dumps({"email": USER[0], "password": USER[1]}).encode()
    code, text = call(port, "POST", "/api/v1/users/", body,
                      [("content-type", "application/json"), ("authorization", f"Bearer {admin}")])
    assert code in (200, 400), (code, text[:300])
    return admin, login(port, USER)


def set_items(db_url, n):
    """Exactly `n` items, all the user's, one a millisecond back from now."""
    psql(db_url, f"""
        DELETE FROM item;
        INSERT INTO item (title, description, id, owner_id, created_at)
          SELECT 'item ' || g, 'seeded', gen_random_uuid(),
                 (SELECT id FROM "user" WHERE email = '{USER[0]}'),
                 now() - g * interval '1 millisecond'
          FROM generate_series(1, {n}) g;""", "VACUUM ANALYZE item")


# ---- load --------------------------------------------------------------------

_scripts = []


def scripts_dir():
    """This run's wrk scripts, removed when it ends."""
    if not _scripts:
        os.makedirs(WORK, exist_ok=True)
        _scripts.append(tempfile.mkdtemp(prefix="scripts-", dir=WORK))
        atexit.register(shutil.rmtree, _scripts[0], True)
    return _scripts[0]


def lua(method, path, token=None, body=None, ctype=None):
    lines = [f'wrk.method = "{method}"', f'wrk.path = "{path}"']
    if token:
        lines.append(f'wrk.headers["Authorization"] = "Bearer {token}"')
    if body is not None:
        lines.append(f"wrk.body = {json.dumps(body)}")
        lines.append(f'wrk.headers["Content-Type"] = "{ctype}"')
    f = tempfile.NamedTemporaryFile("w", suffix=".lua", dir=scripts_dir(), delete=False)
    f.write("\n".join(lines) + "\n")
    f.close()
    return f.name


def wrk(port, script, connections, seconds):
    r = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "30s", "-s", script,
                        f"http://{HOST}:{port}"], capture_output=True, text=True, check=True)
    total = int(re.search(r"(\d+) requests in", r.stdout).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", r.stdout)
    bad = int(bad.group(1)) if bad else 0
    return total, bad


def measure(server, pg_pid, port, script, connections, seconds):
    s0, p0, t0 = cpu_ticks(server.pid), cpu_ticks(pg_pid), time.perf_counter()
    total, bad = wrk(port, script, connections, seconds)
    s1, p1, t1 = cpu_ticks(server.pid), cpu_ticks(pg_pid), time.perf_counter()
    took = t1 - t0
    per = max(total, 1)
    return {"ok_per_s": (total - bad) / took, "refused_per_s": bad / took,
            "server_us": (s1 - s0) / TICK * 1e6 / per, "pg_us": (p1 - p0) / TICK * 1e6 / per}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--template")
    ap.add_argument("--flagship-only", action="store_true")
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "fullstack"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--sizes", default="100,10000,100000")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--logins", default="64,256")
    ap.add_argument("--login-seconds", type=int, default=15)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json")
    a = ap.parse_args()
    if not a.flagship_only and not a.template:
        ap.error("--template DIR (a local copy of the template), or --flagship-only")
    os.makedirs(WORK, exist_ok=True)
    if not shutil.which("wrk"):
        subprocess.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk",
                       shell=True, check=True, stdout=subprocess.DEVNULL)
    if not os.path.exists(a.binary):
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "fullstack"], cwd=ROOT, check=True)

    sides = [] if a.flagship_only else ["template"]
    sides.append("flagship")
    if "template" in sides:
        backend = template_copy(os.path.abspath(a.template))
        venv = template_venv(backend)

    env = {**os.environ, "FULLSTACK_PG_PORT": os.environ.get("FULLSTACK_PG_PORT", "55700")}
    pg_dir, pg_url = subprocess.run([os.path.join(ROOT, "scripts", "postgres"), "start"], env=env, check=True,
                                    capture_output=True, text=True).stdout.split()
    procs = []
    try:
        pg_pid = int(open(os.path.join(pg_dir, "data", "postmaster.pid")).readline())
        base = pg_url.rsplit("/", 1)[0]
        servers = {}
        for side in sides:
            psql(pg_url, f"CREATE DATABASE {side}")
            url = f"{base}/{side}"
            if side == "template":
                p, port = start_template(backend, venv, url, a.workers)
            else:
                p, port = start_flagship(a.binary, url)
            procs.append(p)
            admin, user = seed_users(port)
            servers[side] = {"proc": p, "port": port, "url": url, "admin": admin, "user": user}
            log(f"== {side} on {port}")

        results = {}

        def run(row, size, connections, script_for, after=None, seconds=a.seconds):
            for side in sides:
                s = servers[side]
                m = measure(s["proc"], pg_pid, s["port"], script_for(s), connections, seconds)
                results.setdefault((row, size, side), []).append(m)
                if after:
                    after(s)

        def drop_posted(s):
            psql(s["url"], "DELETE FROM item WHERE title = 'versus'", "VACUUM ANALYZE item")

        for size in [int(x) for x in a.sizes.split(",")]:
            for s in servers.values():
                set_items(s["url"], size)
            log(f"== {size:,} items")
            for _ in range(a.rounds):
                run("GET /users/me", size, a.connections,
                    lambda s: lua("GET", "/api/v1/users/me", s["user"]))
                run("GET /items/ (owner)", size, a.connections,
                    lambda s: lua("GET", "/api/v1/items/", s["user"]))
                run("GET /items/ (superuser)", size, a.connections,
                    lambda s: lua("GET", "/api/v1/items/", s["admin"]))
                run("POST /items/", size, a.connections,
                    lambda s: lua("POST", "/api/v1/items/", s["user"], json.dumps(
                        {"title": "versus", "description": "d"}), "application/json"), drop_posted)
        form = urllib.parse.urlencode({"username": USER[0], "password": USER[1]})
        for c in [int(x) for x in a.logins.split(",") if x]:
            log(f"== logins, {c} connections")
            for _ in range(a.rounds):
                run(f"login, {c} connections", None, c,
                    lambda s: lua("POST", "/api/v1/login/access-token", None, form,
                                  "application/x-www-form-urlencoded"), seconds=a.login_seconds)
    finally:
        for p in procs:
            p.terminate()
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        subprocess.run([os.path.join(ROOT, "scripts", "postgres"), "stop", pg_dir], env=env)

    med = {k: {f: statistics.median(m[f] for m in v) for f in v[0]} for k, v in results.items()}
    rows = list(dict.fromkeys((r, s) for r, s, _ in results))
    print(f"Rounds: {a.rounds} × {a.seconds} s, medians; wrk -c{a.connections} (logins: as named); "
          f"CPU µs a request = server + PostgreSQL.\n")
    if "template" in sides:
        print("| row | items | template req/s | flagship req/s | ratio | CPU µs/request template → flagship "
              "| cost ratio |\n|---|---:|---:|---:|---:|---|---:|")
    else:
        print("| row | items | flagship req/s | refused/s | CPU µs/request server + PostgreSQL |\n"
              "|---|---:|---:|---:|---|")
    out = []
    for row, size in rows:
        f = med[(row, size, "flagship")]
        cost_f = f["server_us"] + f["pg_us"]
        items = f"{size:,}" if size is not None else "–"
        entry = {"row": row, "items": size, "flagship": f}
        if "template" in sides:
            t = med[(row, size, "template")]
            cost_t = t["server_us"] + t["pg_us"]
            entry["template"] = t
            refused = f" ({f['refused_per_s']:,.0f} refused/s)" if f["refused_per_s"] >= 1 else ""
            # A template that served none (logins at 256 connections): no ratio.
            speed = f"{f['ok_per_s'] / t['ok_per_s']:.1f}×" if t["ok_per_s"] >= 0.05 else "–"
            print(f"| {row} | {items} | {t['ok_per_s']:,.1f} | {f['ok_per_s']:,.1f}{refused} | "
                  f"{speed} | "
                  f"{t['server_us']:,.0f} + {t['pg_us']:,.0f} → {f['server_us']:,.0f} + {f['pg_us']:,.0f} | "
                  f"1/{cost_t / max(cost_f, 1e-9):.1f} |")
        else:
            print(f"| {row} | {items} | {f['ok_per_s']:,.1f} | {f['refused_per_s']:,.0f} | "
                  f"{f['server_us']:,.0f} + {f['pg_us']:,.0f} |")
        out.append(entry)
    if a.json:
        json.dump(out, open(a.json, "w"), indent=1)


if __name__ == "__main__":
    main()
