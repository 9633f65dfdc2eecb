"""gunicorn settings, from the same environment variables as the rest of the service."""

import os

bind = os.environ.get("SCREENING_BIND") or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("SCREENING_WORKERS", "2"))
worker_class = "sync"
# Screening requests are short; a worker stuck this long is killed and replaced.
timeout = 30
graceful_timeout = 20
keepalive = 5
# Each worker builds its app (and Redis connection pool) after the fork.
preload_app = False
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("SCREENING_LOG_LEVEL", "info")
