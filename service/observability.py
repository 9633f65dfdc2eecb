"""What operators see: request ids, structured JSON logs, Prometheus metrics.

* **Request ids**: a caller's ``X-Request-ID`` (letters, digits and ``._:-``, at most 128)
  is kept, otherwise one is made; it is returned in the response, put on every log line
  of the request and in the audit record.
* **Logs**: one JSON object a line on stderr (``SCREENING_LOG_FORMAT=text`` for people),
  and one access line per request: method, path, status, milliseconds, API key id. Never
  a header, a body or a secret.
* **Metrics** at ``/metrics``: requests by endpoint and status, latency histograms, hits by
  list (direct and linked), candidates scored per screening, and each list's version and
  age read from Redis at scrape time. Under gunicorn the workers' metrics are gathered with
  prometheus_client's multiprocess mode: ``screening serve`` gives them a fresh
  ``PROMETHEUS_MULTIPROC_DIR``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from flask import Flask, Response, g, has_request_context, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from service.matching.types import ScreenResult
from service.store import ListStore

log = logging.getLogger("service.access")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

REQUESTS = Counter("screening_requests_total", "HTTP requests", ["endpoint", "method", "status"])
LATENCY = Histogram(
    "screening_request_seconds",
    "HTTP request latency",
    ["endpoint"],
    buckets=(0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30),
)
HITS = Counter("screening_hits_total", "Matching hits", ["list", "kind"])
SCREENINGS = Counter("screening_screenings_total", "Counterparties screened")
CANDIDATES = Histogram(
    "screening_candidates_scored", "Entities scored per screening", buckets=(0, 1, 2, 5, 10, 20, 40, 60, 100)
)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, request id, and any extras."""

    STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            out["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in self.STANDARD and key != "request_id" and not key.startswith("_"):
                out[key] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False, default=str)


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and not getattr(record, "request_id", None):
            record.request_id = getattr(g, "request_id", None)
        return True


def configure_logging(fmt: str) -> None:
    """The root logger writes to stderr, as JSON lines or as text; set once per process."""
    root = logging.getLogger()
    if getattr(root, "_screening_configured", None) == fmt:
        return
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for old in [h for h in root.handlers if getattr(h, "_screening", False)]:
        root.removeHandler(old)
    handler._screening = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root._screening_configured = fmt  # type: ignore[attr-defined]


def observe_screenings(results: Iterable[ScreenResult]) -> None:
    for result in results:
        SCREENINGS.inc()
        CANDIDATES.observe(result.candidates)
        for hit in result.hits:
            if hit.match:
                HITS.labels(hit.list_id, "direct").inc()
        for linked in result.linked_hits:
            if linked.match:
                HITS.labels(linked.list_id, "linked").inc()


class ListCollector:
    """Each list's served version and age, read from Redis when Prometheus scrapes."""

    def __init__(self, store: ListStore) -> None:
        self.store = store

    def collect(self) -> Iterator[Metric]:
        info = GaugeMetricFamily(
            "screening_list_info", "The version of each list being served", labels=["list", "version"]
        )
        age = GaugeMetricFamily(
            "screening_list_age_seconds", "Seconds since each list was last confirmed current", labels=["list"]
        )
        entities = GaugeMetricFamily("screening_list_entities", "Entities in the version served", labels=["list"])
        now = time.time()
        try:
            versions = self.store.versions()
        except Exception:  # noqa: BLE001 - Redis down: scrape the rest; /readyz says why
            versions = {}
        for list_id, version in sorted(versions.items()):
            if version is None:
                continue
            info.add_metric([list_id, version.version], 1)
            age.add_metric([list_id], now - (version.checked_at or version.loaded_at))
            entities.add_metric([list_id], version.counts.get("entities", 0))
        yield from (info, age, entities)


def install(app: Flask, store: ListStore) -> None:
    lists = ListCollector(store)

    @app.before_request
    def start() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def finish(response: Response) -> Response:
        response.headers["X-Request-ID"] = getattr(g, "request_id", "")
        started = getattr(g, "started", None)
        if started is None or request.endpoint == "metrics":
            return response
        elapsed = time.perf_counter() - started
        endpoint = request.url_rule.rule if request.url_rule is not None else "unmatched"
        REQUESTS.labels(endpoint, request.method, str(response.status_code)).inc()
        LATENCY.labels(endpoint).observe(elapsed)
        key = getattr(g, "api_key", None)
        log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "request_id": getattr(g, "request_id", None),
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round(elapsed * 1000, 2),
                "key_id": key.id if key is not None else g.get("refused_key_id"),  # a refused key too
            },
        )
        return response

    @app.get("/metrics")
    def metrics():  # type: ignore[no-untyped-def]
        """Prometheus metrics of every worker, and the lists' versions and ages.
        ---
        get:
          tags: [health]
          summary: Metrics
          security: []
          responses:
            200:
              description: Prometheus text exposition format
              content:
                text/plain:
                  schema: {type: string}
        """
        registry = CollectorRegistry()
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            MultiProcessCollector(registry)
        else:
            from prometheus_client import REGISTRY

            registry = REGISTRY  # one process: its own metrics
        text = generate_latest(registry) + generate_latest(_Only(lists))
        return Response(text, headers={"Content-Type": CONTENT_TYPE_LATEST})


class _Only:
    """A registry of one collector, for generate_latest."""

    def __init__(self, collector: ListCollector) -> None:
        self.collector = collector

    def collect(self) -> Iterator[Metric]:
        return self.collector.collect()
