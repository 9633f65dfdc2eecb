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
accesslog = "-"
errorlog = "-"
