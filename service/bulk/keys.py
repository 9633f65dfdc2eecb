"""Every Redis key of bulk jobs, in one place (as ``service.store`` is for the lists).

A job's keys share one hash tag, ``{<job id>}``, so the scripts that touch several of them
run in one Redis Cluster slot::

    scr:job:{<id>}:meta       hash  status, options, totals, progress counters, reason, times
    scr:job:{<id>}:in         hash  chunk number → JSON list of input rows (deleted when done)
    scr:job:{<id>}:out        hash  chunk number → output text of that chunk (CSV)
    scr:job:{<id>}:stats      hash  chunk number → JSON counts of that chunk (its "done" mark)
    scr:job:{<id>}:by_list    hash  list id → rows with a matching hit on it
    scr:job:{<id>}:started    set   chunk numbers a worker has taken and not finished
    scr:job:{<id>}:attempts   hash  chunk number → times a worker took it
    scr:job:{<id>}:lease:<n>  string  the worker screening chunk n; expires unless renewed
    scr:job:{<id>}:sweep      string  held by the worker that checks a stalled job
    scr:job:active            set   ids of jobs not yet finished (what workers sweep)

RQ keeps its own keys under ``rq:``; the queue's name is ``QUEUE``.
"""

from __future__ import annotations

PREFIX = "scr:job"
ACTIVE = f"{PREFIX}:active"
QUEUE = "screening-bulk"
PARTS = ("meta", "in", "out", "stats", "by_list", "started", "attempts")


def job_key(job_id: str, part: str) -> str:
    return f"{PREFIX}:{{{job_id}}}:{part}"


def lease_key(job_id: str, chunk: int) -> str:
    return f"{PREFIX}:{{{job_id}}}:lease:{chunk}"


def sweep_key(job_id: str) -> str:
    return f"{PREFIX}:{{{job_id}}}:sweep"


def job_keys(job_id: str) -> list[str]:
    return [job_key(job_id, part) for part in PARTS]
