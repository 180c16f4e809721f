"""The second round of hostile clients, measured against a `hostile-target` binary, for
before/after figures (the same script against the binary of two commits):

    cargo build --release -p ferroapi-hostile
    python3 tests/hostile/round2.py target/release/hostile-target

Prints one line per attack. Standard library only; every loop is bounded in count and
time; only the target on 127.0.0.1 is contacted. (The asserting versions are the
Rust tests beside it.)
"""
import socket, subprocess, sys, time, os, struct, threading

BIN = sys.argv[1]

def start(env=None):
    e = dict(os.environ); e.update(env or {})
    p = subprocess.Popen([BIN], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=e)
    addr = p.stdout.readline().decode().split()[-1]
    h, port = addr.split(':')
    return p, (h, int(port))

def status(pid, field):
    for l in open(f"/proc/{pid}/status"):
        if l.startswith(field):
            return int(l.split()[1])

def ws_open(addr):
    s = socket.create_connection(addr)
    s.sendall(b"GET /ws HTTP/1.1\r\nhost: t\r\nupgrade: websocket\r\nconnection: Upgrade\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\nsec-websocket-version: 13\r\n\r\n")
    buf = b""
    while b"\r\n\r\n" not in buf:
        buf += s.recv(1)
    assert buf.startswith(b"HTTP/1.1 101"), buf
    return s

def frame(fin, op, payload):
    f = bytes([(0x80 if fin else 0) | op])
    n = len(payload)
    if n < 126: f += bytes([0x80 | n])
    elif n < 65536: f += bytes([0x80 | 126]) + struct.pack(">H", n)
    else: f += bytes([0x80 | 127]) + struct.pack(">Q", n)
    return f + b"\0\0\0\0" + payload  # mask 0

def ping_flood():
    p, addr = start()
    s = ws_open(addr); s.settimeout(2)
    before = status(p.pid, "VmHWM:")
    data = frame(True, 9, b"p" * 125) * 64
    t = time.time(); cut = None
    try:
        while time.time() - t < 5:
            s.sendall(data)
    except Exception:
        cut = time.time() - t
    grew = (status(p.pid, "VmHWM:") - before) / 1024
    p.kill()
    return f"ping flood, never reading, 5 s: peak RSS +{grew:.0f} MiB, " + (f"closed after {cut:.1f} s" if cut else "still open")

def unfinished():
    p, addr = start({"HOSTILE_WS_MESSAGE_MS": "20000"})
    conns = []
    before = status(p.pid, "VmRSS:")
    for _ in range(8):
        s = ws_open(addr)
        s.sendall(frame(False, 1, b"a" * 65536))
        conns.append(s)
    def feed():
        for _ in range(12):
            for s in conns:
                try: s.sendall(frame(False, 0, b"a" * (1 << 20)))
                except Exception: pass
    th = threading.Thread(target=feed); th.start(); th.join(timeout=30)
    grew = (status(p.pid, "VmRSS:") - before) / 1024
    time.sleep(25)
    after = (status(p.pid, "VmRSS:") - before) / 1024
    closed = 0
    seen = []
    for s in conns:
        s.settimeout(0.5)
        got = b""
        try:
            while True:
                d = s.recv(65536)
                if not d:
                    got += b"<eof>"; break
                got += d
        except Exception as e:
            if not isinstance(e, socket.timeout): got += b"<reset>"
        # a close frame with 1008, or the end of the stream
        if b"\x88" in got or got.endswith((b"<eof>", b"<reset>")): closed += 1
    p.kill()
    return f"8 websockets, each 12 MiB of a message never finished: RSS +{grew:.0f} MiB; 25 s later +{after:.0f} MiB, {closed}/8 closed"

def idle_ws():
    p, addr = start()
    first = ws_open(addr); time.sleep(0.2)
    before = status(p.pid, "VmRSS:")
    socks = [ws_open(addr) for _ in range(300)]
    time.sleep(0.5)
    each = (status(p.pid, "VmRSS:") - before) / 300
    p.kill()
    return f"idle websocket: {each:.1f} KiB of RSS each (300)"

def h2_idle_limit():
    p, addr = start({"HOSTILE_MAX_CONNECTIONS": "50"})
    idle = []
    for _ in range(60):
        s = socket.create_connection(addr)
        s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
        idle.append(s)
    time.sleep(0.3)
    t = time.time()
    s = socket.create_connection(addr); s.settimeout(15)
    s.sendall(b"GET /slow?ms=1 HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n")
    try:
        d = s.recv(100); r = f"answered in {time.time()-t:.3f} s" if d.startswith(b"HTTP/1.1 200") else f"got {d[:20]!r}"
    except socket.timeout:
        r = "no answer in 15 s"
    p.kill()
    return f"60 idle h2c connections on 50 slots, then an honest client: {r}"

def bare_lf():
    p, addr = start()
    s = socket.create_connection(addr); s.settimeout(3)
    s.sendall(b"GET /slow?ms=1 HTTP/1.1\nhost: t\nconnection: close\n\n")
    d = s.recv(100)
    p.kill()
    line = d.split(b"\r\n")[0].decode()
    return "bare LF head: " + line

def declared():
    p, addr = start()
    before = status(p.pid, "VmSize:")
    held = []
    for _ in range(200):
        s = socket.create_connection(addr)
        s.sendall(b"POST /items HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\ncontent-length: 15000000\r\n\r\n[0,")
        held.append(s)
    time.sleep(0.3)
    for s in held: s.sendall(b"0,")
    time.sleep(0.5)
    grew = (status(p.pid, "VmSize:") - before) / 1024
    p.kill()
    return f"200 bodies declared at 15 MB, never sent: virtual memory +{grew:.0f} MiB"

def param_model():
    p, addr = start()
    def t(n):
        q = "&".join(f"k{i}=v" for i in range(n))
        t0 = time.time()
        for _ in range(3):
            s = socket.create_connection(addr)
            s.sendall(f"GET /filter?{q} HTTP/1.1\r\nhost: t\r\nconnection: close\r\n\r\n".encode())
            while s.recv(65536): pass
        return (time.time() - t0) / 3
    t(10); a = t(500); b = t(8000)
    p.kill()
    return f"parameter model: 500 pairs {a*1000:.1f} ms, 8,000 pairs {b*1000:.1f} ms (x{b/a:.0f} for x16)"

def never_reads():
    p, addr = start({"HOSTILE_SEND_MS": "1000"})
    s = socket.create_connection(addr)
    s.sendall(b"GET /big?kb=32768 HTTP/1.1\r\nhost: t\r\n\r\n")
    time.sleep(4)
    s.settimeout(3); total = 0
    try:
        while True:
            d = s.recv(1 << 16)
            if not d: break
            total += len(d)
    except Exception: pass
    p.kill()
    return f"client reading nothing of a 32 MiB answer for 4 s: " + ("closed" if total < 32 << 20 else "kept, answer delivered whole")

for f in [ping_flood, unfinished, idle_ws, h2_idle_limit, bare_lf, declared, param_model, never_reads]:
    try:
        print(f())
    except Exception as e:
        print(f.__name__, "failed:", e)
    sys.stdout.flush()
