"""`screening serve` as a user runs it: real gunicorn, real HTTP, lists read from a folder."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.conftest import FIXTURES


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(base: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> requests.Response:
    """/readyz's first 200 within ``timeout`` seconds. Any failed attempt (refused, reset, or a
    worker too busy to answer within the attempt's time) is retried until the deadline: on a
    loaded 2-core box a worker building its index took longer than one attempt allows, and a
    ReadTimeout failed the suite."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited {process.returncode}:\n{log.read_text()}")
        try:
            response = requests.get(base + "/readyz", timeout=min(5.0, max(deadline - time.monotonic(), 0.1)))
            if response.status_code == 200:
                return response
        except requests.RequestException as exc:
            last = exc
        time.sleep(0.1)
    raise AssertionError(f"not ready after {timeout}s (last error: {last}):\n{log.read_text()}")


class Served:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {**os.environ, **env, "PORT": str(self.port), "SCREENING_WORKERS": "2"}
        self.env = env
        self.headers = {"Authorization": f"Bearer {self.new_key()}"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve"],
            env=env,
            stdout=open(log, "wb"),
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float) -> requests.Response:
        return wait_ready(self.base, self.process, self.log, timeout)

    def new_key(self) -> str:
        """An admin key made as an operator would, with the CLI, in the Redis the service uses."""
        created = subprocess.run(
            [sys.executable, "-m", "service.cli", "keys", "create", "--name", "tests", "--scope", "admin"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        token = created.stdout.strip()
        self.headers = {"Authorization": f"Bearer {token}"}
        return token

    def get(self, path: str) -> requests.Response:
        # a worker may still be building its index
        return requests.get(self.base + path, headers=self.headers, timeout=30)

    def post(self, path: str, body: dict) -> requests.Response:
        return requests.post(self.base + path, json=body, headers=self.headers, timeout=30)

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


@pytest.fixture
def fixture_lists(tmp_path: Path) -> Path:
    """A folder like ../shared/lists, of hand-made files: an OFAC SDN CSV set and an FtM cluster."""
    folder = tmp_path / "lists"
    shutil.copytree(FIXTURES / "ofac_csv", folder / "ofac")
    shutil.copy(FIXTURES / "ftm" / "cluster.ftm.json", folder / "cluster.ftm.json")
    return folder


@pytest.fixture
def serve_embedded(tmp_path: Path, fixture_lists: Path) -> Iterator[Served]:
    env = {
        "REDIS_URL": "",
        "SCREENING_DATA_DIR": str(tmp_path / "var"),
        "SCREENING_LISTS_DIR": str(fixture_lists),
        "SCREENING_LISTS": "us_ofac_sdn,opensanctions",
    }
    served = Served(env, tmp_path / "serve.log")
    yield served
    if served.process.poll() is None:
        served.process.kill()


def test_serve_with_embedded_redis_loads_the_folder_and_answers_over_http(
    serve_embedded: Served, tmp_path: Path
) -> None:
    ready = serve_embedded.wait_ready(timeout=60)
    assert set(ready.json()["lists"]) == {"us_ofac_sdn", "opensanctions"}
    lists = {entry["id"]: entry for entry in serve_embedded.get("/v1/lists").json()["lists"]}
    assert lists["us_ofac_sdn"]["counts"]["entities"] == 9
    assert lists["us_ofac_sdn"]["format"] == "ofac_csv"
    assert lists["opensanctions"]["loaded"] is True
    entity = serve_embedded.get("/v1/entities/us_ofac_sdn:10278").json()["entity"]
    assert entity["names"][0]["full"] == "LOGAN MOREY, Elvis Angus"
    # Ready means every worker's index is built: a misspelt name in another order is found.
    for _ in range(4):  # reach both workers
        screened = serve_embedded.post("/v1/screen", {"name": "Elvis Logan Morrey"})
        assert screened.status_code == 200, screened.text
        assert screened.json()["hits"][0]["entity_id"] == "us_ofac_sdn:10278"
        assert screened.json()["hits"][0]["match"] is True
    assert serve_embedded.get("/openapi.yaml").text.startswith("openapi: 3.1.0")
    # Metrics of both workers, gathered from their files, whichever worker answers the scrape.
    metrics = serve_embedded.get("/metrics").text
    screens = [
        line for line in metrics.splitlines() if line.startswith("screening_requests_total") and '"/v1/screen"' in line
    ]
    assert screens and float(screens[0].rsplit(" ", 1)[1]) == 4.0, metrics
    assert 'screening_list_info{list="us_ofac_sdn"' in metrics
    assert (tmp_path / "var" / "redis.db").exists() or (tmp_path / "var").is_dir()
    assert serve_embedded.stop() == 0


def test_serve_again_finds_the_lists_unchanged(tmp_path: Path, fixture_lists: Path) -> None:
    env = {
        "REDIS_URL": "",
        "SCREENING_DATA_DIR": str(tmp_path / "var"),
        "SCREENING_LISTS_DIR": str(fixture_lists),
        "SCREENING_LISTS": "us_ofac_sdn",
    }
    first = Served(env, tmp_path / "first.log")
    first.wait_ready(timeout=60)
    version = first.get("/v1/lists").json()["lists"][0]["version"]
    assert first.stop() == 0
    second = Served(env, tmp_path / "second.log")
    try:
        second.wait_ready(timeout=60)
        assert second.get("/v1/lists").json()["lists"][0]["version"] == version
        assert "unchanged" in second.log.read_text()
    finally:
        second.stop()


# The figures of ../shared/lists/MANIFEST.md, as /v1/lists must report them.
MANIFEST_COUNTS = {
    # The newest publication in the folder: sdn-only-2024-05-03.csv (the 2021 set has 8,976).
    "us_ofac_sdn": {"entities": 14965},
    "us_ofac_cons": {"entities": 442},
    "un_sc": {"entities": 1003, "person": 730, "organization": 273},
    "gb_hmt": {"entities": 4688, "person": 3663, "organization": 1010, "vessel": 15},
    "eu_fsf": {"entities": 595},
    # MANIFEST's 91 counts FtM records of every schema: 17 of them are people and companies,
    # the rest addresses, sanctions and the 21 links between them.
    "opensanctions": {"entities": 17, "links": 21},
    "us_trade_csl": {"entities": 13},
    # 665 rows: the DPL repeats a party once per address.
    "us_bis_dpl": {"entities": 547},
}


@pytest.mark.shared_lists
@pytest.mark.slow
def test_serve_the_shared_lists_with_manifest_counts(
    shared_lists: Path, redis_client, redis_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    env = {
        "REDIS_URL": redis_url,
        "SCREENING_LISTS_DIR": str(shared_lists),
        "SCREENING_DATA_DIR": str(tmp_path / "var"),
    }
    served = Served(env, tmp_path / "serve.log")
    try:
        # A deadline, not a duration: loading every real list, then two workers building their
        # indexes, took more than 300 s on a loaded 2-core box (quiet: about 90 s).
        served.wait_ready(timeout=900)
        lists = {entry["id"]: entry for entry in served.get("/v1/lists").json()["lists"]}
        assert set(lists) == set(MANIFEST_COUNTS)
        for list_id, expected in MANIFEST_COUNTS.items():
            counts = lists[list_id]["counts"]
            assert {k: counts.get(k, 0) for k in expected} == expected, list_id
            assert lists[list_id]["stale"] is False
        assert lists["un_sc"]["published"] == "2026-02-27"
        assert lists["gb_hmt"]["published"] == "2025-04-14"
        assert lists["us_ofac_sdn"]["published"] == "2024-05-03"
        assert lists["us_ofac_sdn"]["published_from"] == "file name"
        # An entity with a link resolved to a name, one hop out.
        # (SDN 2024-05-03, ent_num 2686 NASRALLAH, Hasan: "Linked To: HIZBALLAH.", ent_num 4697)
        related = served.get("/v1/entities/us_ofac_sdn:2686").json()["related"]
        assert "HIZBALLAH" in {r["name"] for r in related if r["direction"] == "out"}
    finally:
        served.stop()


def test_gunicorn_workers_ride_out_a_redis_restart(tmp_path: Path, fixture_lists: Path) -> None:
    """Real HTTP while Redis dies and returns empty: 503s with the reason, never a 200 without data."""
    from tests.conftest import RedisServer

    server = RedisServer(tmp_path, persist=False)
    server.start()
    env = {
        "REDIS_URL": server.url,
        "SCREENING_LISTS_DIR": str(fixture_lists),
        "SCREENING_LISTS": "us_ofac_sdn",
        "SCREENING_DATA_DIR": str(tmp_path / "var"),
    }
    served = Served(env, tmp_path / "serve.log")
    try:
        served.wait_ready(timeout=60)
        server.stop()
        for _ in range(4):  # every worker, whichever answers
            down = served.get("/readyz")
            assert down.status_code == 503
            assert "Redis is unreachable" in down.json()["error"]["message"]
            assert served.get("/v1/entities/us_ofac_sdn:10278").status_code == 503
        assert served.get("/healthz").status_code == 200

        server.start()  # back, but empty
        for _ in range(4):
            empty = served.get("/readyz")
            assert empty.status_code == 503
            assert empty.json()["error"]["details"]["reasons"] == ["list us_ofac_sdn is not loaded"]
        update = subprocess.run(
            [sys.executable, "-m", "service.cli", "lists", "update"],
            env={**os.environ, **env},
            capture_output=True,
            text=True,
        )
        assert update.returncode == 0, update.stderr
        assert served.wait_ready(timeout=30).status_code == 200
        assert served.get("/v1/entities/us_ofac_sdn:10278").status_code == 401, "its API keys went with its data"
        served.new_key()
        assert served.get("/v1/entities/us_ofac_sdn:10278").status_code == 200
    finally:
        served.stop()
        server.stop()


# --- availability: slow clients, stalls, bodies refused ------------------------------------


@pytest.fixture
def serve_quick(tmp_path: Path, fixture_lists: Path) -> Iterator[Served]:
    """The service on the small fixture list, with a short worker timeout so that a worker a
    slow client holds too long would be killed (WORKER TIMEOUT) within the test."""
    env = {
        "REDIS_URL": "",
        "SCREENING_DATA_DIR": str(tmp_path / "var"),
        "SCREENING_LISTS_DIR": str(fixture_lists),
        "SCREENING_LISTS": "us_ofac_sdn",
        "SCREENING_WORKER_TIMEOUT": "8",
        "SCREENING_BULK_INLINE_SECONDS": "1",
    }
    served = Served(env, tmp_path / "serve.log")
    try:
        served.wait_ready(timeout=120)
        yield served
    finally:
        if served.process.poll() is None:
            served.stop()


def _trickle(port: int, lines: int, stop: threading.Event) -> None:
    """A slow client: a request's header lines, one a second, never finished."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        for n in range(lines):
            if stop.wait(1.0):
                return
            try:
                sock.sendall(f"X-Slow-{n}: {'x' * 20}\r\n".encode())
            except OSError:
                return


def test_slow_clients_starve_neither_healthz_nor_the_workers(serve_quick: Served) -> None:
    """Four sockets trickling a header line a second, for longer than the worker timeout: /healthz
    keeps answering, and no worker is killed."""
    stop = threading.Event()
    seconds = 12  # past the worker timeout of 8 s
    slow = [threading.Thread(target=_trickle, args=(serve_quick.port, seconds, stop)) for _ in range(4)]
    for thread in slow:
        thread.start()
    try:
        time.sleep(1.5)  # every slow client connected and holding what it holds
        ended = time.monotonic() + seconds - 1
        answered = 0
        while time.monotonic() < ended:
            # Generous on a loaded box: a starved service does not answer at all.
            response = requests.get(serve_quick.base + "/healthz", timeout=5)
            assert response.status_code == 200
            answered += 1
            time.sleep(0.5)
        assert answered >= 5
    finally:
        stop.set()
        for thread in slow:
            thread.join(timeout=30)
    assert serve_quick.wait_ready(timeout=30).status_code == 200
    log = serve_quick.log.read_text()
    assert "WORKER TIMEOUT" not in log, log


def test_healthz_answers_while_redis_stalls(tmp_path: Path, fixture_lists: Path) -> None:
    """Redis frozen (SIGSTOP: connections open, nothing answers): requests that need Redis wait on
    it, /healthz does not, and /readyz gives up with a 503."""
    from tests.conftest import RedisServer

    server = RedisServer(tmp_path, persist=False)
    server.start()
    env = {
        "REDIS_URL": server.url,
        "SCREENING_LISTS_DIR": str(fixture_lists),
        "SCREENING_LISTS": "us_ofac_sdn",
        "SCREENING_DATA_DIR": str(tmp_path / "var"),
    }
    served = Served(env, tmp_path / "serve.log")
    stalled: list[threading.Thread] = []
    try:
        served.wait_ready(timeout=120)
        assert server.process is not None
        server.process.send_signal(signal.SIGSTOP)
        # As many requests waiting on Redis as a sync worker pool has workers, and more.
        for _ in range(4):
            thread = threading.Thread(target=lambda: requests.get(served.base + "/readyz", timeout=30))
            thread.start()
            stalled.append(thread)
        time.sleep(0.5)
        for _ in range(3):
            started = time.monotonic()
            assert requests.get(served.base + "/healthz", timeout=4).status_code == 200
            assert time.monotonic() - started < 3
        down = requests.get(served.base + "/readyz", timeout=30)
        assert down.status_code == 503 and "Redis" in down.json()["error"]["message"]
    finally:
        if server.process is not None:
            server.process.send_signal(signal.SIGCONT)
        for thread in stalled:
            thread.join(timeout=30)
        served.stop()
        server.stop()


def _post_too_large(port: int, token: str, size: int, *, pause: float) -> bytes:
    """POST ``size`` bytes to /v1/screen as a client on a slower link would: headers and the first
    megabyte, a pause (the server has its answer ready by then), the rest; then read the answer."""
    head = (
        f"POST /v1/screen HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {size}\r\n\r\n"
    ).encode()
    chunk = b" " * (1024 * 1024)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head + chunk)
        time.sleep(pause)
        sent = len(chunk)
        while sent < size:
            piece = chunk[: min(len(chunk), size - sent)]
            sock.sendall(piece)
            sent += len(piece)
        answer = b""
        while b"\r\n\r\n" not in answer:
            got = sock.recv(65536)
            if not got:
                break
            answer += got
        return answer


def test_a_body_too_large_gets_a_413_the_client_reads(serve_quick: Served) -> None:
    """30 MB to /v1/screen (2 MB at most): every client reads the 413, none a broken pipe."""
    token = serve_quick.headers["Authorization"].split()[1]
    for attempt in range(4):
        answer = _post_too_large(serve_quick.port, token, 30 * 1024 * 1024, pause=0.5)
        assert answer.startswith(b"HTTP/1.1 413"), (attempt, answer[:200])
    for attempt in range(3):  # as an everyday client sends it, all at once
        response = requests.post(
            serve_quick.base + "/v1/screen", data=b" " * (30 * 1024 * 1024), headers=serve_quick.headers, timeout=60
        )
        assert response.status_code == 413, attempt
        assert "2,097,152 bytes" in response.json()["error"]["message"]


def test_expect_100_continue_gets_the_413_before_sending_the_body(serve_quick: Served) -> None:
    """A client that asks first is not invited to send a body its endpoint refuses: it reads the
    413 straight away, and the connection closes. One the endpoint takes is invited."""
    token = serve_quick.headers["Authorization"].split()[1]

    def ask(path: str, size: int) -> bytes:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n"
            f"Content-Type: text/csv\r\nContent-Length: {size}\r\nExpect: 100-continue\r\n\r\n"
        ).encode()
        with socket.create_connection(("127.0.0.1", serve_quick.port), timeout=30) as sock:
            sock.sendall(head)
            answer = sock.recv(65536)
            if answer.startswith(b"HTTP/1.1 413"):
                while got := sock.recv(65536):  # closed by the server: recv ends
                    answer += got
            return answer

    refused = ask("/v1/screen/csv", 30 * 1024 * 1024)
    assert refused.startswith(b"HTTP/1.1 413"), refused[:200]
    assert b"connection: close" in refused.lower() and b"/v1/jobs" in refused
    assert ask("/v1/screen/csv", 1000).startswith(b"HTTP/1.1 100 Continue")


def test_waiting_for_readiness_rides_out_a_server_too_busy_to_answer(tmp_path: Path) -> None:
    """The first /readyz answers only after the attempt's time (a ReadTimeout), the next one 200."""
    import http.server
    import threading

    calls = []

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            calls.append(time.monotonic())
            if len(calls) == 1:
                time.sleep(6)  # past the attempt's 5 s
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        response = wait_ready(f"http://127.0.0.1:{server.server_address[1]}", alive, tmp_path / "log", timeout=30)
        assert response.status_code == 200 and len(calls) >= 2
    finally:
        alive.kill()
        alive.wait()
        server.shutdown()
