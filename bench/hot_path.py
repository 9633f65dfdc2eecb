"""One screening of a distinct name, end to end through the WSGI app: where the time goes.

    python -m bench.hot_path --redis-url redis://127.0.0.1:6379/<yours> [--requests 2000] [--profile]

The lists must be loaded in that database already (``python -m bench.screen`` loads them).
The app is the service's own (``create_app``), called through Flask's test client, so every
layer of a request runs: API key check, validation (marshmallow), the screener, the audit
record to the Redis stream, JSON; only the socket and gunicorn are left out (bench/screen.py
measures those). Every request screens a name not screened before in this process
(bench/synthetic_names.py people and companies, and listed names perturbed), so no cache of
repeated queries carries the figure.

Prints per-request latency (p50/p99), Redis round trips per request (counted on the
connection: each pipeline or command sent is one), and with ``--profile`` the functions
that take the time (cProfile, cumulative and own).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from redis.connection import Connection  # noqa: E402

from bench.claim import claim_redis  # noqa: E402
from bench.screen import MARKER, pct, query_mix  # noqa: E402
from service.auth import KeyStore  # noqa: E402
from service.screening import Screener  # noqa: E402
from service.store import ListStore  # noqa: E402

ROUND_TRIPS = [0]
SCREENER_CPU = [0.0]  # process time inside Screener.screen_many: the matching itself


def _timed(screen_many):  # type: ignore[no-untyped-def]
    def timed(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        started = time.process_time()
        try:
            return screen_many(self, *args, **kwargs)
        finally:
            SCREENER_CPU[0] += time.process_time() - started

    return timed


def _counting(send):  # type: ignore[no-untyped-def]
    def counted(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        ROUND_TRIPS[0] += 1
        return send(self, *args, **kwargs)

    return counted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis-url", default=os.environ.get("SCREENING_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profile", action="store_true", help="print the cProfile of the timed requests")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    store = ListStore(claim_redis(args.redis_url, MARKER, empty=False))
    list_ids = sorted(store.current())
    if not list_ids:
        sys.exit(f"no list loaded in {args.redis_url}: run python -m bench.screen --redis-url {args.redis_url} first")
    _, token = KeyStore(store.redis, default_rate_limit=0).create("bench/hot_path.py", ["screen"])
    os.environ.update(
        {"REDIS_URL": args.redis_url, "SCREENING_LISTS": ",".join(list_ids), "SCREENING_INDEX_BUILD": "inline"}
    )
    import logging

    from service.app import create_app
    from service.config import from_env

    app = create_app(from_env())
    logging.getLogger("service.access").setLevel(logging.WARNING)  # the access lines, not printed here
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    probes = query_mix(store, list_ids, args.requests + 200, seed=args.seed)
    bodies = [p.body() for p in probes]
    distinct = len(set(bodies)) / len(bodies)
    for body in bodies[:200]:  # warm: the index is built, the code paths run once
        response = client.post("/v1/screen", data=body, headers=headers, content_type="application/json")
        assert response.status_code == 200, response.data[:300]
    timed = bodies[200:]

    Connection.send_packed_command = _counting(Connection.send_packed_command)  # type: ignore[method-assign]
    Screener.screen_many = _timed(Screener.screen_many)  # type: ignore[method-assign]
    ROUND_TRIPS[0] = 0
    cpu_started = time.process_time()
    profiler = cProfile.Profile() if args.profile else None
    latencies = []
    for body in timed:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        response = client.post("/v1/screen", data=body, headers=headers, content_type="application/json")
        if profiler:
            profiler.disable()
        latencies.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            sys.exit(f"answered {response.status_code}: {response.data[:300]!r}")
    cpu = (time.process_time() - cpu_started) * 1000 / len(timed)
    screener_cpu = SCREENER_CPU[0] * 1000 / len(timed)
    print(
        f"POST /v1/screen through the WSGI app, {len(timed):,} requests, {distinct:.0%} distinct bodies,"
        f" {len(list_ids)} lists:\n  p50 {pct(latencies, 50):.3f} ms  p99 {pct(latencies, 99):.3f} ms"
        f"  mean {sum(latencies) / len(latencies):.3f} ms;"
        f"  Redis round trips per request {ROUND_TRIPS[0] / len(timed):.2f}\n"
        f"  CPU per request {cpu:.3f} ms: screener {screener_cpu:.3f} ms, the rest (key check, validation,"
        f" audit record, JSON, logging, Flask) {cpu - screener_cpu:.3f} ms"
    )
    if profiler:
        profiler.dump_stats("/tmp/hp_hot.prof")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
