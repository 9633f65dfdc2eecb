"""Screening the whole book again as a background job on RQ (the bulk workers' queue).

Needed when the matcher's version changes (every score may move) or when the deltas cannot
say what changed. The job is resumable: ``Rescreener.rescreen_all`` records, after each
batch, the last client id done; a job whose worker died is enqueued again by the next round
of ``screening monitored rescreen`` and carries on from there. One job at a time (a fixed id).
"""

from __future__ import annotations

from typing import Any

import redis

from service.bulk.keys import QUEUE

JOB_ID = "monitor-rescreen-book"
TASK = "service.monitoring.jobs.rescreen_book"
ACTIVE = ("queued", "started", "deferred", "scheduled")


def enqueue(client: redis.Redis) -> bool:
    """Queue the whole-book job unless it is queued or running already; whether it was queued."""
    from rq import Queue
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        job = Job.fetch(JOB_ID, connection=client)
        status = job.get_status(refresh=True)
        if status is not None and str(getattr(status, "value", status)) in ACTIVE:
            return False
        job.delete()
    except NoSuchJobError:
        pass
    Queue(QUEUE, connection=client).enqueue(
        TASK, job_id=JOB_ID, job_timeout=-1, result_ttl=7 * 86400, failure_ttl=7 * 86400, description="whole book"
    )
    return True


def rescreen_book() -> dict[str, Any]:
    """The RQ task: wires itself from the environment, as the worker command does."""
    from service import database
    from service.bulk.runtime import screener
    from service.config import from_env
    from service.monitoring.monitor import Monitor
    from service.monitoring.rescreen import Report, Rescreener
    from service.redis_client import connect

    settings = from_env()
    if not settings.redis_url:
        raise SystemExit("the whole-book job needs REDIS_URL: the Redis the API and workers share")
    client = connect(settings.redis_url)
    found = screener(settings, client)
    db = database.from_settings(settings.database_url, settings.data_dir)
    rescreener = Rescreener(Monitor(db, found, found.store), found.store, found.enabled)
    report = Report()
    rescreener.rescreen_all(report)
    db.dispose()
    return {"screened": report.screened, "opened": report.opened, "reopened": report.reopened, "closed": report.closed}
