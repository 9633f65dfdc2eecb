"""schemathesis against openapi.yaml and a real gunicorn: the spec and the server agree.

Requests generated from the spec (its examples, its boundaries, then fuzzing) are sent to
`screening serve` on 127.0.0.1, authentication off, with the small fixture lists loaded in
the tests' Redis. Every answer must be documented and conform to its schema; every request
the spec allows must be accepted and every one it forbids refused; a 405 must say which
methods are allowed. Bounded (a few examples per operation, a fixed seed) so that it takes
a minute or so; tests/schemathesis.toml says what the spec cannot.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests

from tests.bulk_helpers import OFAC_CSV, UN_XML, load_fixture_lists
from tests.conftest import ROOT
from tests.test_serve import free_port

pytestmark = pytest.mark.slow
ST = Path(sys.executable).parent / "st"


@pytest.fixture
def served(redis_url: str, redis_client: redis.Redis, tmp_path: Path) -> Iterator[str]:
    load_fixture_lists(redis_client)
    folder = tmp_path / "lists"  # what a reload reads: the same files (never a download from the internet)
    folder.mkdir()
    for path in (*OFAC_CSV, *UN_XML):
        shutil.copy(path, folder / path.name)
    port = free_port()
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "PORT": str(port),
        "SCREENING_WORKERS": "2",
        "SCREENING_AUTH": "off",
        "SCREENING_LISTS": "us_ofac_sdn,un_sc",
        "SCREENING_LISTS_DIR": str(folder),
        "SCREENING_DATA_DIR": str(tmp_path / "var"),
        "SCREENING_RATE_LIMIT": "0",
    }
    log = tmp_path / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "serve", "--no-update"], env=env, stdout=open(log, "wb"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, process, log, timeout=120)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_ready(base: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited {process.returncode}:\n{log.read_text()}")
        try:
            if requests.get(base + "/readyz", timeout=5).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or busy building its index
            pass
        time.sleep(0.2)
    raise AssertionError(f"not ready after {timeout}s:\n{log.read_text()}")


def test_the_server_does_what_openapi_yaml_says(served: str, tmp_path: Path) -> None:
    if not ST.exists():
        pytest.fail("schemathesis is not installed: pip install -e '.[test]'")
    run = subprocess.run(
        [
            str(ST), "--config-file", str(ROOT / "tests" / "schemathesis.toml"), "--no-color",
            "run", str(ROOT / "openapi.yaml"), "--url", served,
            "--phases", "examples,coverage,fuzzing", "--max-examples", "5", "--seed", "1", "--workers", "2",
            "--request-timeout", "30",
            # Authentication is off here (tests/test_auth.py tests it on): that the spec asks for a key
            # and this server takes none is no finding.
            "--exclude-checks", "ignored_auth",
        ],
        capture_output=True, text=True, timeout=600, cwd=tmp_path,  # its cache (.schemathesis/) goes there
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-5000:]
