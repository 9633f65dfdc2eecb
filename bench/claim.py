"""The benchmarks' Redis database: claimed with a marker key, never one holding someone else's data.

Each benchmark names its own marker, so that one benchmark's database is not taken for another's.
"""

from __future__ import annotations

import sys

import redis


def claim_redis(url: str, marker: str, *, empty: bool = True) -> redis.Redis:
    """The Redis at ``url``, refusing (exit) a database that holds keys without ``marker``;
    ``empty`` flushes it first (the benchmark's own data from an earlier run)."""
    client = redis.Redis.from_url(url)
    if client.dbsize() and not client.exists(marker):
        sys.exit(f"{url} holds data this benchmark did not write; give it an empty database")
    if empty:
        client.flushdb()
    client.set(marker, "1")
    return client
