"""Wiring bulk screening to the configuration: job stores and worker contexts from Settings."""

from __future__ import annotations

import redis

from service import catalog
from service.audit import AuditTrail
from service.bulk.engine import Engine
from service.bulk.jobs import JobStore, WorkerContext
from service.config import Settings, from_env
from service.redis_client import connect
from service.screening import Screener
from service.store import ListStore


def job_store(settings: Settings, client: redis.Redis) -> JobStore:
    return JobStore(
        client,
        ttl=settings.job_ttl_seconds,
        chunk_rows=settings.job_chunk_rows,
        lease_seconds=settings.job_lease_seconds,
        stall_seconds=settings.job_stall_seconds,
        audit=AuditTrail(client, retention_seconds=settings.audit_retention_seconds),
    )


def screener(settings: Settings, client: redis.Redis) -> Screener:
    """A screener that builds its indexes inline: a batch job waits for them rather than fail."""
    manifests = catalog.load_manifests(settings.manifests_dir)
    enabled = [m.id for m in catalog.enabled(manifests, settings.enabled_lists)]
    store = ListStore(client, grace_seconds=settings.grace_seconds)
    return Screener(store, manifests, enabled, index_dir=settings.index_dir)


def worker_context(settings: Settings | None = None) -> WorkerContext:
    settings = settings or from_env()
    if not settings.redis_url:
        raise SystemExit("bulk workers need REDIS_URL: the Redis that the API and every worker share")
    client = connect(settings.redis_url)
    return WorkerContext(jobs=job_store(settings, client), engine=Engine(screener(settings, client)))
