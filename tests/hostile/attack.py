"""The hostile list measured against running binaries, for before/after tables.

    python3 tests/hostile/attack.py items BINARY        # generic attacks (example-items)
    python3 tests/hostile/attack.py flagship BINARY PG  # flagship attacks (fullstack on PostgreSQL)

Prints one markdown row per attack: status, time, RSS. Standard library only;
every loop is bounded; only 127.0.0.1 is contacted.
"""
import concurrent.futures
import os
import resource
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

HOST = "127.0.0.1"


def free_port():
    s = socket.socket()
    s.bind((HOST, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def status_kib(pid, field):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field):
                    return int(line.split()[1])
    except FileNotFoundError:
        return 0
    return 0


def cpu_seconds(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            parts = f.read().rsplit(")", 1)[1].split()
        return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")
    except FileNotFoundError:
        return 0.0


class Server:
    def __init__(self, argv, env, port, nofile=None, ready_path="/docs"):
        self.port = port
        def limit():
            os.setsid()
            if nofile:
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
        self.proc = subprocess.Popen(argv, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=limit)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                code, _ = request("GET", ready_path, b"", port=port, timeout=2)
                if code:
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.alive():
            self.proc.kill()
        self.proc.wait()


def request(method, path, body=b"", headers=(), port=None, timeout=30):
    s = socket.create_connection((HOST, port), timeout=timeout)
    head = f"{method} {path} HTTP/1.1\r\nhost: t\r\nconnection: close\r\ncontent-length: {len(body)}\r\n"
    for k, v in headers:
        head += f"{k}: {v}\r\n"
    s.sendall(head.encode() + b"\r\n")
    try:
        s.sendall(body)
    except OSError:
        pass
    data = b""
    try:
        while True:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    s.close()
    if not data:
        return 0, b""
    return int(data.split(b" ", 2)[1]), data.split(b"\r\n\r\n", 1)[-1]


def timed(f):
    t = time.time()
    r = f()
    return r, time.time() - t


def closed_after(sock, limit):
    """Seconds until the peer closes `sock`, or None past `limit`."""
    t = time.time()
    sock.setblocking(False)
    while time.time() - t < limit:
        r, _, _ = select.select([sock], [], [], 0.5)
        if r:
            try:
                if not sock.recv(4096):
                    return time.time() - t
            except ConnectionResetError:
                return time.time() - t
            except BlockingIOError:
                pass
    return None


def fmt_closed(v, limit):
    return f"closed after {v:.1f} s" if v is not None else f"open after {limit} s"


def row(name, result):
    print(f"| {name} | {result} |", flush=True)


def items(binary):
    port = free_port()
    env = {"FERROAPI_ADDR": f"{HOST}:{port}"}
    print(f"## {binary}\n\n| attack | result |\n|---|---|")
    srv = Server([binary], env, port)
    pid = srv.proc.pid
    for name, body in [("10,000 `[` (10 KB)", b"[" * 10000),
                       ("`{\"a\":` x 10,000 (60 KB)", b'{"a":' * 10000),
                       ("1,000,000 `[` (1 MB)", b"[" * 1000000)]:
        if not srv.alive():
            srv = Server([binary], env, port)
            pid = srv.proc.pid
        (code, _), t = timed(lambda: request("POST", "/items/", body, [("content-type", "application/json")], port))
        time.sleep(0.3)
        row(name, f"{code or 'connection dropped'} in {t*1000:.0f} ms, server {'alive' if srv.alive() else 'DEAD'}")
    if not srv.alive():
        srv = Server([binary], env, port)
        pid = srv.proc.pid
    request("POST", "/items/", b"[1]", [("content-type", "application/json")], port)
    body = b"[" + b",".join([b"0"] * 7_500_000) + b"]"
    hwm0, cpu0 = status_kib(pid, "VmHWM:"), cpu_seconds(pid)
    (code, out), t = timed(lambda: request("POST", "/items/", body, [("content-type", "application/json")], port))
    hwm1, cpu1 = status_kib(pid, "VmHWM:"), cpu_seconds(pid)
    row("15 MB refused body `[0,0,...]`", f"{code} in {t:.2f} s, CPU {cpu1-cpu0:.2f} s, peak RSS +{(hwm1-hwm0)/1024:.0f} MiB "
        f"({hwm0/1024:.0f} -> {hwm1/1024:.0f}), response {len(out)/1e6:.1f} MB")
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        t = time.time()
        codes = list(ex.map(lambda _: request("POST", "/items/", body, [("content-type", "application/json")], port)[0], range(4)))
        t = time.time() - t
    hwm2 = status_kib(pid, "VmHWM:")
    row("4 x 15 MB at once", f"{codes} in {t:.2f} s, peak RSS {hwm2/1024:.0f} MiB")
    # Slow and idle clients.
    limit = 40
    s = socket.create_connection((HOST, port))
    s.sendall(b"GET /ite")
    row("half a request line, then nothing", fmt_closed(closed_after(s, limit), limit))
    s = socket.create_connection((HOST, port))
    s.sendall(b"GET /items/ HTTP/1.1\r\nhost: t\r\n\r\n")
    time.sleep(0.2)
    s.recv(65536)
    row("idle keep-alive after a response", fmt_closed(closed_after(s, limit), limit))
    s = socket.create_connection((HOST, port))
    head = b"GET /items/ HTTP/1.1\r\nhost: t\r\nx-a: " + b"a" * 100
    t = time.time()
    closed = None
    for b in head:
        try:
            s.sendall(bytes([b]))
        except OSError:
            closed = time.time() - t
            break
        r, _, _ = select.select([s], [], [], 2)
        if r:
            closed = time.time() - t
            break
        if time.time() - t > limit:
            break
    row("headers at one byte per 2 s", fmt_closed(closed, limit))
    s = socket.create_connection((HOST, port))
    s.sendall(b"POST /items/ HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: 999999999\r\nexpect: 100-continue\r\n\r\n")
    s.settimeout(5)
    try:
        first = s.recv(4096).split(b"\r\n", 1)[0].decode()
    except OSError:
        first = "no answer"
    row("`Expect: 100-continue`, `Content-Length: 999999999`", f"`{first}`")
    s.close()
    srv.stop()
    # Open files: the server under `ulimit -n 1024`, 1,100 idle connections.
    srv = Server([binary], env, port, nofile=1024)
    socks = []
    for _ in range(1100):
        try:
            socks.append(socket.create_connection((HOST, port), timeout=2))
        except OSError:
            break
    try:
        (code, _), t = timed(lambda: request("GET", "/items/", port=port, timeout=15))
        res = f"{code} after {t:.1f} s"
    except OSError as e:
        res = f"no answer ({e.__class__.__name__})"
    row(f"{len(socks)} idle connections at `ulimit -n 1024`, then one real client", res)
    for s in socks:
        s.close()
    srv.stop()
    storm(Server([binary], env, port), port, "/items/")


def storm(srv, port, path):
    """5,000 keep-alive connections with one request each: RSS before,
    during and after."""
    pid = srv.proc.pid
    idle = status_kib(pid, "VmRSS:")
    socks = []
    for _ in range(5000):
        try:
            s = socket.create_connection((HOST, port), timeout=5)
            s.sendall(f"GET {path} HTTP/1.1\r\nhost: t\r\n\r\n".encode())
            socks.append(s)
        except OSError:
            break
    for s in socks:
        try:
            s.recv(65536)
        except OSError:
            pass
    during = status_kib(pid, "VmRSS:")
    for s in socks:
        s.close()
    time.sleep(10)
    after = status_kib(pid, "VmRSS:")
    row(f"{len(socks)} keep-alive connections", f"RSS {idle/1024:.0f} -> {during/1024:.0f} MiB, "
        f"{after/1024:.0f} MiB 10 s after they closed")
    srv.stop()


class Relay(threading.Thread):
    """A TCP relay to PostgreSQL that can be cut."""
    def __init__(self, target_port):
        super().__init__(daemon=True)
        self.target_port = target_port
        self.lsock = socket.socket()
        self.lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.lsock.bind((HOST, 0))
        self.lsock.listen(64)
        self.port = self.lsock.getsockname()[1]
        self.links = []
        self.cut = False

    def run(self):
        while not self.cut:
            try:
                c, _ = self.lsock.accept()
            except OSError:
                return
            try:
                u = socket.create_connection((HOST, self.target_port))
            except OSError:
                c.close()
                continue
            self.links += [c, u]
            for a, b in ((c, u), (u, c)):
                threading.Thread(target=self.pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def pipe(a, b):
        try:
            while True:
                d = a.recv(65536)
                if not d:
                    break
                b.sendall(d)
        except OSError:
            pass

    def stop(self):
        self.cut = True
        try:
            # Wakes the accept() blocked in the relay thread (close alone does not).
            self.lsock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.lsock.close()
        for s in self.links:
            try:
                s.shutdown(socket.SHUT_RDWR)
                s.close()
            except OSError:
                pass


def flagship(binary, pg_url):
    import json
    port = free_port()
    pg_port = urllib.parse.urlparse(pg_url).port
    db = f"attack_{os.getpid()}_{int(time.time())}"
    subprocess.run(["psql", pg_url, "-qc", f"CREATE DATABASE {db}"], check=True, capture_output=True)
    relay = Relay(pg_port)
    relay.start()
    front = tempfile.mkdtemp()
    outside = tempfile.mkdtemp()
    open(os.path.join(front, "index.html"), "w").write("<div id=root></div>")
    open(os.path.join(outside, "secret.txt"), "w").write("top secret")
    os.symlink(os.path.join(outside, "secret.txt"), os.path.join(front, "leak.txt"))
    env = {"DATABASE_URL": f"postgresql://postgres@127.0.0.1:{relay.port}/{db}", "HOST": HOST, "PORT": str(port),
           "FRONTEND_DIR": front, "SECRET_KEY": "attack-secret", "FIRST_SUPERUSER": "admin@example.com",
           "FIRST_SUPERUSER_PASSWORD": "attack-password-1", "ENVIRONMENT": "local"}
    print(f"## {binary}\n\n| attack | result |\n|---|---|")
    srv = Server([binary], env, port, ready_path="/api/v1/utils/health-check/")
    form = lambda u, p: urllib.parse.urlencode({"username": u, "password": p}).encode()
    ct_form = [("content-type", "application/x-www-form-urlencoded")]
    ct_json = [("content-type", "application/json")]
    code, body = request("POST", "/api/v1/login/access-token", form("admin@example.com", "attack-password-1"), ct_form, port)
    token = json.loads(body)["access_token"]
    auth = [("authorization", f"Bearer {token}")]
    (code, _), t = timed(lambda: request("POST", "/api/v1/login/access-token", form("a\x00b@example.com", "x"), ct_form, port))
    row("NUL in the login username (PostgreSQL)", f"{code} in {t*1000:.0f} ms")
    (code, _), t = timed(lambda: request("POST", "/api/v1/users/signup", json.dumps(
        {"email": "nul@example.com", "password": "password123", "full_name": "a\x00b"}).encode(), ct_json, port))
    row("NUL in signup `full_name`", f"{code} in {t*1000:.0f} ms")
    (code, _), t = timed(lambda: request("POST", "/api/v1/password-recovery/a%00b@example.com", port=port))
    row("`%00` in the password-recovery path", f"{code} in {t*1000:.0f} ms")
    (code, _), t = timed(lambda: request("POST", "/api/v1/items/", json.dumps({"title": "t\x00"}).encode(), ct_json + auth, port))
    row("NUL in an item title", f"{code} in {t*1000:.0f} ms")
    code, body = request("GET", "/leak.txt", port=port)
    row("symlink in `FRONTEND_DIR` to a file outside it", f"{code}, secret {'SERVED' if b'top secret' in body else 'not served'}")
    # 50 logins at once.
    with concurrent.futures.ThreadPoolExecutor(50) as ex:
        t = time.time()
        codes = list(ex.map(lambda i: request("POST", "/api/v1/login/access-token", form(f"u{i}@example.com", "x"), ct_form, port)[0], range(50)))
        t = time.time() - t
    counts = {c: codes.count(c) for c in sorted(set(codes))}
    row("50 logins at once", f"{counts} in {t:.1f} s")
    # SIGTERM with 20 logins in flight.
    results = []
    def login(i):
        results.append(request("POST", "/api/v1/login/access-token", form("admin@example.com", "attack-password-1"), ct_form, port)[0])
    threads = [threading.Thread(target=login, args=(i,)) for i in range(20)]
    for th in threads:
        th.start()
    time.sleep(0.05)
    srv.proc.send_signal(signal.SIGTERM)
    for th in threads:
        th.join(30)
    srv.proc.wait(30)
    row("SIGTERM with 20 logins in flight", f"{results.count(200)} of 20 answered 200, exit code {srv.proc.returncode}")
    # The database goes away.
    srv = Server([binary], env, port, ready_path="/api/v1/utils/health-check/")
    relay.stop()
    (code, _), t = timed(lambda: request("GET", "/api/v1/users/me", headers=auth, port=port, timeout=60))
    row("database unreachable: `GET /users/me`", f"{code} after {t:.1f} s")
    srv.stop()


if __name__ == "__main__":
    if sys.argv[1] == "items":
        items(sys.argv[2])
    elif sys.argv[1] == "storm":
        # storm BINARY PATH [ENV=VALUE ...]
        port = free_port()
        env = dict(kv.split("=", 1) for kv in sys.argv[4:])
        env.update({"FERROAPI_ADDR": f"{HOST}:{port}", "PORT": str(port), "HOST": HOST})
        print(f"## {sys.argv[2]}\n\n| attack | result |\n|---|---|")
        storm(Server([sys.argv[2]], env, port, ready_path=sys.argv[3]), port, sys.argv[3])
    else:
        flagship(sys.argv[2], sys.argv[3])
