"""gunicorn settings, from the same configuration as the rest of the service."""

from service.config import from_env

_settings = from_env()

bind = _settings.bind
workers = _settings.workers
worker_class = "sync"
# Screening requests are short; a worker stuck this long is killed and replaced.
timeout = 30
graceful_timeout = 20
keepalive = 5
# Each worker builds its app (and Redis connection pool) after the fork.
preload_app = False
# The app writes one structured access line per request (service.observability).
accesslog = None
errorlog = "-"


def child_exit(server, worker):  # type: ignore[no-untyped-def]
    """A worker's metrics files stay for the totals, but its live gauges go with it."""
    import os

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
