"""The hybrid path end to end: a client -> the FastAPI gateway -> the Rust
service (ferroapi), over REST and over gRPC. Run by ../test.sh, which builds
the Rust service and passes its binary as HYBRID_BIN."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import grpc
import httpx
import pytest

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "generated"))

import textstats_pb2  # noqa: E402
import textstats_pb2_grpc  # noqa: E402
from app import analyze_locally  # noqa: E402

TEXTS = [
    "The quick brown fox jumps over the lazy dog. The dog sleeps.",
    "Été, été! Ça va? 2024 was the year; 2024 again.",
    "numbers_and_underscores: a_b a b 3.14 ÀÉÎ àéî",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args} exited with {proc.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer in {seconds} s")


class Gateway:
    def __init__(self, rust_port: int):
        self.port = free_port()
        self.rust_port = rust_port
        self.proc = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        env = dict(
            os.environ,
            TEXTSTATS_URL=f"http://127.0.0.1:{self.rust_port}",
            TEXTSTATS_GRPC=f"127.0.0.1:{self.rust_port}",
        )
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "app:app", "--app-dir", str(HERE),
             "--port", str(self.port), "--log-level", "warning"],
            env=env,
        )
        wait_for(f"{self.url}/openapi.json", self.proc)

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture(scope="session")
def rust():
    port = free_port()
    proc = subprocess.Popen(
        [os.environ["HYBRID_BIN"]],
        env=dict(os.environ, HYBRID_ADDR=f"127.0.0.1:{port}"),
        stdout=subprocess.DEVNULL,
    )
    wait_for(f"http://127.0.0.1:{port}/openapi.json", proc)
    yield port, proc
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def gateway(rust):
    gw = Gateway(rust[0])
    gw.start()
    yield gw
    gw.stop()


def login(gw: Gateway) -> dict:
    res = httpx.post(f"{gw.url}/token", data={"username": "alice", "password": "wonderland"})
    assert res.status_code == 200, res.text
    return {"Authorization": f"Bearer {res.json()['access_token']}"}


@pytest.fixture()
def auth(gateway):
    return login(gateway)


def test_users_must_log_in(gateway):
    res = httpx.post(f"{gateway.url}/rest/analyze", json={"texts": ["x"]})
    assert res.status_code == 401
    assert res.json() == {"detail": "Not authenticated"}
    bad = httpx.post(f"{gateway.url}/token", data={"username": "alice", "password": "nope"})
    assert bad.status_code == 400


@pytest.mark.parametrize("transport", ["rest", "grpc"])
def test_the_rust_results_reach_the_client(gateway, auth, transport):
    res = httpx.post(f"{gateway.url}/{transport}/analyze", json={"texts": TEXTS, "top": 3}, headers=auth)
    assert res.status_code == 200, res.text
    # Checked against an independent implementation of the contract.
    assert res.json() == analyze_locally(TEXTS, 3)
    again = httpx.get(f"{gateway.url}/{transport}/reports/{res.json()['id']}", headers=auth)
    assert again.json() == res.json()


def test_both_transports_and_python_agree_on_a_large_batch(gateway, auth):
    texts = [" ".join(f"word{(i * j) % 97} Ünïcode{j % 5}" for j in range(3000)) for i in range(8)]
    answers = [
        httpx.post(f"{gateway.url}/{t}/analyze", json={"texts": texts, "top": 20}, headers=auth, timeout=30)
        for t in ("rest", "grpc", "local")
    ]
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert answers[0].json() == answers[1].json() == answers[2].json()


def test_a_rust_422_reaches_the_client_the_same_over_both(gateway, auth):
    bodies = []
    for transport in ("rest", "grpc"):
        res = httpx.post(f"{gateway.url}/{transport}/analyze", json={"texts": [], "top": 21}, headers=auth)
        assert res.status_code == 422, res.text
        bodies.append(res.json())
    assert bodies[0] == bodies[1]
    detail = bodies[0]["detail"]
    assert [(e["type"], e["loc"]) for e in detail] == [
        ("too_short", ["body", "texts"]),
        ("less_than_equal", ["body", "top"]),
    ]
    assert detail[1]["msg"] == "Input should be less than or equal to 20"


@pytest.mark.parametrize("transport", ["rest", "grpc"])
def test_a_rust_404_reaches_the_client(gateway, auth, transport):
    res = httpx.get(f"{gateway.url}/{transport}/reports/0000000000000000", headers=auth)
    assert res.status_code == 404
    assert res.json() == {"detail": "Report not found"}


def test_an_unreachable_service_is_a_503(rust):
    gw = Gateway(free_port())  # nothing listens there
    gw.start()
    try:
        headers = login(gw)
        for transport in ("rest", "grpc"):
            res = httpx.post(f"{gw.url}/{transport}/analyze", json={"texts": ["x"]}, headers=headers)
            assert res.status_code == 503, (transport, res.text)
    finally:
        gw.stop()


def test_the_rust_service_keeps_serving_while_the_gateway_restarts(rust, gateway):
    port, proc = rust
    headers = login(gateway)
    first = httpx.post(f"{gateway.url}/rest/analyze", json={"texts": TEXTS}, headers=headers).json()

    gateway.stop()
    with pytest.raises(httpx.TransportError):
        httpx.get(f"{gateway.url}/openapi.json")
    # The Rust service answers on both transports meanwhile.
    direct = httpx.post(f"http://127.0.0.1:{port}/v1/analyze", json={"texts": ["still here"]})
    assert direct.status_code == 200
    with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
        stub = textstats_pb2_grpc.TextStatsStub(channel)
        reply = stub.Analyze(textstats_pb2.AnalyzeRequest(texts=["still here"]), timeout=10)
        assert reply.id == direct.json()["id"]
    assert proc.poll() is None

    gateway.start()
    headers = login(gateway)
    # Same process, same state: what was stored before the restart is there.
    for transport in ("rest", "grpc"):
        res = httpx.get(f"{gateway.url}/{transport}/reports/{first['id']}", headers=headers)
        assert res.status_code == 200
        assert res.json() == first
