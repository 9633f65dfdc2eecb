"""Refreshing on a schedule, and what a source that fails or serves garbage leaves serving.

Downloads come from an HTTP server of the test's own; Redis is real.
"""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from service import catalog
from service.app import create_app
from service.config import Settings
from service.refresh import parse_duration, refresh, repeat
from service.store import ListStore
from tests.conftest import FIXTURES, ROOT

UN_SAMPLE = FIXTURES / "un" / "consolidated-sample.xml"
GOOD = UN_SAMPLE.read_bytes()
# A later issue of the list: one name changed, one listing replaced by another.
NEWER = GOOD.replace(b"<FIRST_NAME>INNOCENT</FIRST_NAME>", b"<FIRST_NAME>INNOCENTE</FIRST_NAME>").replace(
    b"<DATAID>690744</DATAID>", b"<DATAID>690745</DATAID>"
)
HTML = b"<html><body>Service temporarily unavailable, try later</body></html>" * 40
TRUNCATED = GOOD[: len(GOOD) * 2 // 3]


class Source(http.server.BaseHTTPRequestHandler):
    """Serves ``body`` (or the status code it is) at any path."""

    body: bytes | int = GOOD

    def do_GET(self) -> None:  # noqa: N802
        answer = type(self).body
        if isinstance(answer, int):
            self.send_error(answer)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def source_url() -> Iterator[str]:
    Source.body = GOOD
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Source)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/consolidated.xml"
    server.shutdown()


@pytest.fixture
def manifests_dir(tmp_path: Path, source_url: str) -> Path:
    folder = tmp_path / "manifests"
    folder.mkdir()
    (folder / "un_sc.toml").write_text(
        f'id = "un_sc"\ntitle = "UN"\nissuer = "UN"\nmax_age_hours = 72\n'
        f'[[sources]]\nformat = "un_xml"\nurls = ["{source_url}"]\nmin_bytes = 1000\n'
    )
    return folder


def wait_for(condition: Callable[[], object], what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# --- durations and the loop ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"), [("1h", 3600), ("30m", 1800), ("90s", 90), ("1h30m", 5400), ("2d", 172800), ("45", 45)]
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "1x", "h", "-5m", "1.5h", "0s"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="duration|at least 1s"):
        parse_duration(text)


def test_the_loop_logs_a_failed_round_and_goes_on_until_stopped() -> None:
    stop = threading.Event()
    lines: list[str] = []
    rounds: list[float] = []

    def update_round() -> None:
        rounds.append(time.monotonic())
        if len(rounds) == 2:
            raise ConnectionError("Redis went away")
        if len(rounds) == 4:
            stop.set()

    assert repeat(update_round, 0.05, stop=stop, log=lines.append) == 4
    assert "update round 2 failed: ConnectionError: Redis went away" in lines
    assert all(later - earlier >= 0.04 for earlier, later in zip(rounds, rounds[1:]))


def test_stopping_ends_the_wait_at_once() -> None:
    stop = threading.Event()
    done: list[int] = []
    thread = threading.Thread(target=lambda: done.append(repeat(lambda: None, 3600, stop=stop, log=lambda _: None)))
    thread.start()
    time.sleep(0.1)
    started = time.monotonic()
    stop.set()
    thread.join(timeout=5)
    assert done == [1] and time.monotonic() - started < 1


def test_the_cli_refuses_a_bad_interval(redis_url: str, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from service.cli import main

    env = {"REDIS_URL": redis_url, "SCREENING_DATA_DIR": str(tmp_path / "var")}
    result = CliRunner().invoke(main, ["lists", "update", "--every", "soon"], env=env)
    assert result.exit_code == 2
    assert "'soon' is not a duration" in result.output


# --- garbage keeps the last good version; its age then turns /readyz ------------------------------


@pytest.mark.parametrize(("garbage", "problem"), [(HTML, "should be un_xml"), (TRUNCATED, "line"), (404, "failed")])
def test_garbage_keeps_the_good_version_serving_until_it_is_too_old(  # type: ignore[no-untyped-def]
    redis_client: redis.Redis,
    settings: Settings,
    manifests_dir: Path,
    tmp_path: Path,
    conforms,
    garbage: bytes | int,
    problem: str,
) -> None:
    store = ListStore(redis_client)
    manifests = list(catalog.load_manifests(manifests_dir).values())

    def update() -> str:
        (outcome,) = refresh(
            store, manifests, lists_dir=None, downloads_dir=tmp_path / "dl", timeout=5, retries=1, backoff=0.01
        )
        return outcome.status

    served = replace(settings, manifests_dir=manifests_dir, enabled_lists=("un_sc",))
    app = create_app(served, redis_client=redis_client)
    http = app.test_client()
    assert update() == "loaded"
    good = store.version("un_sc")
    assert http.get("/readyz").status_code == 200

    Source.body = garbage
    assert update() == "failed"
    assert store.version("un_sc").version == good.version
    (shown,) = http.get("/v1/lists").json["lists"]
    assert shown["version"] == good.version and shown["stale"] is False
    assert problem in shown["last_error"]["message"]
    assert http.get("/readyz").status_code == 200  # still within its maximum age
    assert http.get("/v1/entities/un_sc:6907996").status_code == 200

    # 73 hours without a good download: past the list's 72.
    store.mark_checked("un_sc", at=time.time() - 73 * 3600)
    store.record_error("un_sc", f"the source still fails: {problem}")
    ready = http.get("/readyz")
    assert ready.status_code == 503
    conforms(ready, "/readyz")
    assert "list un_sc is stale" in ready.json["error"]["message"]
    assert http.get("/v1/lists").json["lists"][0]["stale"] is True


# --- the real command on a schedule ---------------------------------------------------------------


def test_lists_update_every_survives_garbage_and_stops_on_sigterm(
    redis_client: redis.Redis, redis_url: str, manifests_dir: Path, tmp_path: Path
) -> None:
    store = ListStore(redis_client)
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "SCREENING_MANIFESTS_DIR": str(manifests_dir),
        "SCREENING_DATA_DIR": str(tmp_path / "var"),
        "SCREENING_LISTS": "un_sc",
        "SCREENING_DOWNLOAD_RETRIES": "1",
        "SCREENING_DOWNLOAD_TIMEOUT": "5",
    }
    env.pop("SCREENING_LISTS_DIR", None)
    log = tmp_path / "refresher.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "lists", "update", "--every", "1s"],
            env=env,
            cwd=ROOT,
            stdout=err,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(lambda: store.version("un_sc") is not None, "the first version")
        first = store.version("un_sc")
        assert first is not None

        def error() -> str:
            return store.errors().get("un_sc", {}).get("message", "")

        Source.body = HTML
        wait_for(lambda: "should be un_xml" in error(), "the garbage to be refused")
        Source.body = TRUNCATED
        wait_for(lambda: "line" in error() and "should be" not in error(), "the truncated file to be refused")
        assert store.version("un_sc").version == first.version

        Source.body = NEWER
        wait_for(lambda: store.version("un_sc").version != first.version, "the newer version")
        (change,) = store.changes("un_sc")
        assert change["previous_version"] == first.version
        assert change["counts"] == {"added": 1, "removed": 1, "changed": 1}
        assert [e["id"] for e in change["removed"]] == ["un_sc:690744"]
        assert [e["id"] for e in change["added"]] == ["un_sc:690745"]
        assert [e["id"] for e in change["changed"]] == ["un_sc:6907996"]
        assert "un_sc" not in store.errors()

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    output = log.read_text()
    assert "SIGTERM: stopping" in output and "stopped after" in output
    assert "un_sc: FAILED" in output and "un_sc: loaded version" in output
    assert "Traceback" not in output
