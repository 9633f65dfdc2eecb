"""Why gunicorn runs gthread workers: /healthz and screening under slow clients, sync against gthread.

    python -m bench.slow_clients [--redis-url redis://127.0.0.1:6379/9] [--seconds 40]
                                 [--classes sync,gthread] [--slow 4]

The lists must already be in --redis-url (``python -m bench.screen`` or ``bench.inline``
load them). For each worker class, gunicorn is started with the service's own settings
(service/gunicorn_conf.py, 2 workers, its worker timeout of 30 s) but that class, and:

1. one client screens 200 distinct names (listed, perturbed, made up) in a row: p50 and p99
   of /v1/screen, so the cost of threads on plain traffic shows;
2. --slow sockets send a request's header lines one a second for --seconds (past the worker
   timeout), while /healthz is asked twice a second with a 5 s timeout: answered, failed,
   the slowest answer, and how many workers the arbiter killed (WORKER TIMEOUT).
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.screen import claim, free_port, pct, perturb, sample_listed  # noqa: E402
from bench.synthetic_names import Generator  # noqa: E402


def names(url: str, count: int) -> list[str]:
    store = claim(url, empty=False)
    rng = random.Random(5)
    listed = [name for name, _, _ in sample_listed(store, sorted(store.current()), count // 2, rng)]
    out = [perturb(rng, n) if rng.random() < 0.5 else n for n in listed]
    generator = Generator(6)
    while len(out) < count:
        out.append(generator.person_name()[1].primary)
    return list(dict.fromkeys(out))


def trickle(port: int, seconds: int, stop: threading.Event) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")
        for n in range(seconds):
            if stop.wait(1.0):
                return
            try:
                sock.sendall(f"X-Slow-{n}: 1\r\n".encode())
            except OSError:
                return


def run(worker_class: str, args: argparse.Namespace, queries: list[str]) -> None:
    port = free_port()
    log = Path(tempfile.mkstemp(prefix=f"slow-{worker_class}-", suffix=".log")[1])
    env = {**os.environ, "REDIS_URL": args.redis_url, "PORT": str(port), "SCREENING_AUTH": "off",
           "SCREENING_WORKERS": "2"}  # fmt: skip
    # gunicorn quietly runs gthread when a sync worker is given threads: sync gets one.
    threads = ["--threads", "1"] if worker_class == "sync" else []
    cmd = [sys.executable, "-m", "gunicorn", "--config", "python:service.gunicorn_conf",
           "--worker-class", worker_class, *threads, "service.wsgi:app"]  # fmt: skip
    server = subprocess.Popen(cmd, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        ready = 0
        while ready < 4 and time.monotonic() < deadline:  # several 200s in a row: both workers built
            try:
                ready = ready + 1 if requests.get(base + "/readyz", timeout=5).status_code == 200 else 0
            except requests.RequestException:
                ready = 0
            time.sleep(0.5)
        latencies = []
        with requests.Session() as session:
            for name in queries:
                began = time.perf_counter()
                session.post(base + "/v1/screen", json={"name": name}, timeout=30).raise_for_status()
                latencies.append((time.perf_counter() - began) * 1000)
        print(f"{worker_class:8} /v1/screen, one client, {len(queries)} distinct names:"
              f" p50 {pct(latencies, 50):.1f} ms, p99 {pct(latencies, 99):.1f} ms")  # fmt: skip

        stop = threading.Event()
        slow = [threading.Thread(target=trickle, args=(port, args.seconds, stop)) for _ in range(args.slow)]
        for thread in slow:
            thread.start()
        answered, failed, slowest = 0, 0, 0.0
        ended = time.monotonic() + args.seconds
        while time.monotonic() < ended:
            began = time.perf_counter()
            try:
                requests.get(base + "/healthz", timeout=5).raise_for_status()
                answered += 1
                slowest = max(slowest, time.perf_counter() - began)
            except requests.RequestException:
                failed += 1
            time.sleep(0.5)
        stop.set()
        for thread in slow:
            thread.join()
        killed = log.read_text(errors="replace").count("WORKER TIMEOUT")
        print(f"{worker_class:8} {args.slow} slow clients for {args.seconds} s: /healthz answered {answered},"
              f" failed {failed} (5 s timeout), slowest {slowest * 1000:.0f} ms; workers killed: {killed}")  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.unlink()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis-url", default=os.environ.get("SCREENING_BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--seconds", type=int, default=40)
    parser.add_argument("--slow", type=int, default=4)
    parser.add_argument("--classes", default="sync,gthread")
    args = parser.parse_args()
    queries = names(args.redis_url, 200)
    print(f"{len(queries)} distinct names")
    for worker_class in args.classes.split(","):
        run(worker_class, args, queries)


if __name__ == "__main__":
    main()
