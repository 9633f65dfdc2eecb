"""`screening serve` as a user runs it: real gunicorn, real HTTP, lists read from a folder."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
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


class Served:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        env = {**os.environ, **env, "PORT": str(self.port), "SCREENING_WORKERS": "2"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", "serve"],
            env=env,
            stdout=open(log, "wb"),
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float) -> requests.Response:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"serve exited {self.process.returncode}:\n{self.log.read_text()}")
            try:
                response = requests.get(self.base + "/readyz", timeout=2)
                if response.status_code == 200:
                    return response
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"not ready after {timeout}s:\n{self.log.read_text()}")

    def get(self, path: str) -> requests.Response:
        return requests.get(self.base + path, timeout=10)

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


def test_serve_with_embedded_redis_loads_the_folder_and_answers_over_http(serve_embedded: Served, tmp_path: Path) -> None:
    ready = serve_embedded.wait_ready(timeout=60)
    assert set(ready.json()["lists"]) == {"us_ofac_sdn", "opensanctions"}
    lists = {entry["id"]: entry for entry in serve_embedded.get("/v1/lists").json()["lists"]}
    assert lists["us_ofac_sdn"]["counts"]["entities"] == 9
    assert lists["us_ofac_sdn"]["format"] == "ofac_csv"
    assert lists["opensanctions"]["loaded"] is True
    entity = serve_embedded.get("/v1/entities/us_ofac_sdn:10278").json()["entity"]
    assert entity["names"][0]["full"] == "LOGAN MOREY, Elvis Angus"
    assert serve_embedded.get("/openapi.yaml").text.startswith("openapi: 3.1.0")
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
