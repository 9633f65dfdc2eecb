"""gunicorn settings, from the same configuration as the rest of the service.

Worker model: ``gthread``, a few processes of ``SCREENING_THREADS`` threads each. With
``sync`` workers a request held up anywhere (a client trickling its headers, a stalled
Redis) held a whole worker: four slow sockets starved both workers, /healthz timed out and
the arbiter killed them (WORKER TIMEOUT), each replacement then rebuilding its index. A
gthread worker's main loop keeps beating while its threads wait, waits for a new
connection's first bytes in its poller, and hands a request to a thread only once it has
started; a client slow past that holds one thread of eight. Screening is CPU work under
the GIL, so threads add no throughput (processes do, SCREENING_WORKERS): they add
availability. Everything a worker shares between threads is safe for it: the index is
built in one thread under a lock and replaced whole, caches are lru_cache or dict
get/set under the GIL, the redis-py pool hands each thread its own connection, and Flask
keeps each request's state apart.

Measured on this 2-core box (bench/screen.py --http-only, wrk 8 connections, mostly distinct
names, the hello-world under the same model in the same run; the box shared, so ratios count):
gthread × 8: 2,949-3,111 screens/s, server CPU 0.45-0.48 ms a screening against 0.26-0.27 ms
a hello (0.56-0.57); gthread × 2: 1,118-3,684 screens/s, CPU 0.41-0.49 ms (0.55-0.65), the
workers idle while a request waits on Redis; sync: 805 screens/s and 1,469 hello/s (no
keep-alive: a connection per request), CPU 0.53 ms (0.55). No model spends less CPU a
screening; gthread × 8 serves the most and keeps the slow-client robustness: it stays.
"""

from service.config import from_env

_settings = from_env()

bind = _settings.bind
workers = _settings.workers
worker_class = "gthread"
threads = _settings.threads
# The main loop of a worker that stops beating this long is taken for hung and replaced.
timeout = _settings.worker_timeout
graceful_timeout = 20
keepalive = 5
# Each worker builds its app (and Redis connection pool) after the fork.
preload_app = False
# The app writes one structured access line per request (service.observability).
accesslog = None
errorlog = "-"


def pre_request(worker, req):  # type: ignore[no-untyped-def]
    """A body its endpoint will refuse unread (413): with ``Expect: 100-continue`` it is not
    invited (gunicorn would answer "100 Continue" itself), so the client reads the 413 without
    sending it, and the connection closes; one too large to drain (service.api.drain) closes
    the connection too. Any other unread body is drained after the answer."""
    from service.api.drain import DRAIN_BYTES
    from service.api.security import refuses_body

    length = _length(req)
    if length is None or not refuses_body(worker.wsgi, req.method, req.path, length):
        return
    if getattr(req, "_expected_100_continue", False):
        req._expected_100_continue = False
        req.must_close = True
    elif length > DRAIN_BYTES:
        req.must_close = True


def _length(req):  # type: ignore[no-untyped-def]
    for name, value in req.headers:
        if name == "CONTENT-LENGTH":
            return int(value) if value.isdigit() else None
    return None


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """A worker's metrics files stay for the totals, but its live gauges go with it."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
