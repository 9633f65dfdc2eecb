"""Large files as jobs on RQ workers, resumable chunk by chunk.

The API reads an upload once, as it arrives, and stores it in Redis as chunks of
``chunk_rows`` parsed rows (with the job's TTL), enqueuing one RQ task per chunk as soon
as the chunk is stored: workers on any machine that reaches the Redis start screening
before the upload ends, and several workers share one file.

A chunk's output is written once and for all by one script that also marks the chunk done
and adds its counts: a chunk screened a second time (its worker was thought dead, a task
was enqueued twice) finds its mark and changes nothing. That is the checkpoint: whatever
happens to workers, the results hold each input row exactly once, in input order.

A worker that takes a chunk holds a lease on it (a key with a short TTL it keeps renewing)
and lists it in the job's ``started`` set. Every worker sweeps the unfinished jobs every
few seconds: a started chunk whose lease has lapsed belonged to a worker that died, and is
enqueued again (the ``SREM`` that takes it off ``started`` lets one sweeper do so). A job
that makes no progress for ``stall_seconds`` has each unfinished, unleased chunk enqueued
again, which also covers a task RQ lost between dequeuing and starting it. A chunk taken
``MAX_ATTEMPTS`` times fails the job rather than kill workers forever.

Failing closed: when the lists cannot be screened (``Unavailable``), the job fails with the
reason and nothing of that chunk is written; it never reports rows as clear.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

import redis

from service.audit import AuditTrail
from service.bulk import keys
from service.bulk.engine import BATCH_ROWS, Engine, render
from service.bulk.reader import CsvInput, QueryOptions, Row
from service.bulk.summary import Summary
from service.bulk.writer import Writer
from service.errors import NotFound, ScreeningError, Unavailable, failure_message

log = logging.getLogger(__name__)

CHUNK_ROWS = 1000
MAX_ATTEMPTS = 3
TASK = "service.bulk.jobs.run_chunk"
ACTIVE_STATES = ("queued", "running")
FINAL_STATES = ("done", "failed", "cancelled")

# KEYS: meta, out, stats, by_list. ARGV: chunk, text, stats JSON, rows, hits, reviews, clears, errors, now,
# then list id, count pairs. Returns -1 (job not active: nothing written), 0 (chunk already done),
# 1 (written), 2 (written, and it was the last chunk: the job is done).
_COMMIT = """
local status = redis.call('hget', KEYS[1], 'status')
if status ~= 'queued' and status ~= 'running' then return -1 end
if redis.call('hexists', KEYS[3], ARGV[1]) == 1 then return 0 end
redis.call('hset', KEYS[2], ARGV[1], ARGV[2])
redis.call('hset', KEYS[3], ARGV[1], ARGV[3])
redis.call('hincrby', KEYS[1], 'rows_done', ARGV[4])
redis.call('hincrby', KEYS[1], 'hits', ARGV[5])
redis.call('hincrby', KEYS[1], 'reviews', ARGV[6])
redis.call('hincrby', KEYS[1], 'clears', ARGV[7])
redis.call('hincrby', KEYS[1], 'errors', ARGV[8])
redis.call('hset', KEYS[1], 'progress_at', ARGV[9])
for i = 10, #ARGV, 2 do redis.call('hincrby', KEYS[4], ARGV[i], ARGV[i + 1]) end
local done = redis.call('hincrby', KEYS[1], 'chunks_done', 1)
local total = redis.call('hget', KEYS[1], 'total_chunks')
if total and tonumber(total) == done then
    redis.call('hset', KEYS[1], 'status', 'done', 'finished_at', ARGV[9])
    return 2
end
return 1
"""

# KEYS: meta. ARGV: total chunks, total rows, now. Returns 2 when every chunk is already done.
_UPLOADED = """
redis.call('hset', KEYS[1], 'total_chunks', ARGV[1], 'total_rows', ARGV[2], 'uploaded_at', ARGV[3])
local status = redis.call('hget', KEYS[1], 'status')
local done = tonumber(redis.call('hget', KEYS[1], 'chunks_done') or '0')
if (status == 'queued' or status == 'running') and done == tonumber(ARGV[1]) then
    redis.call('hset', KEYS[1], 'status', 'done', 'finished_at', ARGV[3])
    if not redis.call('hget', KEYS[1], 'started_at') then redis.call('hset', KEYS[1], 'started_at', ARGV[3]) end
    return 2
end
return 1
"""

# KEYS: meta. ARGV: new status, now, reason, field-for-time. Only an active job changes; returns 1 if it did.
_END = """
local status = redis.call('hget', KEYS[1], 'status')
if status ~= 'queued' and status ~= 'running' then return 0 end
redis.call('hset', KEYS[1], 'status', ARGV[1], 'finished_at', ARGV[2], 'reason', ARGV[3])
return 1
"""

# KEYS: meta. ARGV: now. A queued job becomes running; returns the status.
_START = """
local status = redis.call('hget', KEYS[1], 'status')
if status == 'queued' then
    redis.call('hset', KEYS[1], 'status', 'running', 'started_at', ARGV[1])
    return 'running'
end
return status
"""


@dataclass(frozen=True)
class JobOptions:
    """How a job's rows are read, screened and written; stored with the job."""

    lists: tuple[str, ...] | None = None
    threshold: float | None = None
    review_threshold: float | None = None
    per_hit: bool = False
    columns: dict[str, str] = field(default_factory=dict)
    filename: str | None = None

    def query_options(self) -> QueryOptions:
        return QueryOptions(lists=self.lists, threshold=self.threshold)

    def writer(self) -> Writer:
        return Writer(fmt="csv", per_hit=self.per_hit, review_threshold=self.review_threshold)

    def as_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> JobOptions:
        data = json.loads(text)
        lists = data.get("lists")
        return cls(**{**data, "lists": tuple(lists) if lists else None})


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _float(meta: dict[str, str], key: str) -> float | None:
    value = meta.get(key)
    return float(value) if value not in (None, "") else None


class JobStore:
    """Bulk jobs in Redis: create and fill one, read its progress and results, cancel it."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        ttl: int = 7 * 86400,
        chunk_rows: int = CHUNK_ROWS,
        lease_seconds: int = 30,
        stall_seconds: int = 120,
        queue_name: str = keys.QUEUE,
        audit: AuditTrail | None = None,
    ) -> None:
        self.redis = client
        self.audit = audit  # records each chunk's rows; None: rows get no screening id
        self.ttl = ttl
        self.chunk_rows = chunk_rows
        self.lease_seconds = lease_seconds
        self.stall_seconds = stall_seconds
        self.queue_name = queue_name
        self._commit = client.register_script(_COMMIT)
        self._uploaded = client.register_script(_UPLOADED)
        self._end = client.register_script(_END)
        self._start = client.register_script(_START)
        self._queue: Any = None

    # --- queue ---------------------------------------------------------------------------

    def queue(self) -> Any:
        if self._queue is None:
            from rq import Queue

            self._queue = Queue(self.queue_name, connection=self.redis)
        return self._queue

    def enqueue(self, job_id: str, chunk: int) -> None:
        self.queue().enqueue(
            TASK, job_id, chunk, result_ttl=0, failure_ttl=self.ttl, job_timeout=3600, description=f"{job_id}/{chunk}"
        )

    # --- creating ------------------------------------------------------------------------

    def create(
        self, options: JobOptions, owner: str | None = None, audit_context: dict[str, Any] | None = None
    ) -> str:
        """A new job; ``owner``: the id of the API key that made it (None: authentication off);
        ``audit_context`` (key id, request id …) goes into the records of its rows."""
        job_id = secrets.token_hex(12)
        meta = keys.job_key(job_id, "meta")
        now = time.time()
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(
            meta,
            mapping={"status": "queued", "created_at": repr(now), "options": options.as_json(), "rows_received": 0,
                     "owner": owner or "", "audit": json.dumps(audit_context or {})},
        )  # fmt: skip
        pipe.expire(meta, self.ttl)
        pipe.sadd(keys.ACTIVE, job_id)
        pipe.execute()
        return job_id

    def ingest(self, job_id: str, source: CsvInput) -> int:
        """Store the rows of ``source`` chunk by chunk, enqueuing each; returns the number of rows."""
        total = 0
        chunk: list[dict[str, Any]] = []
        number = 0
        try:
            for row in source:
                chunk.append(row.as_json())
                if len(chunk) == self.chunk_rows:
                    self._store_chunk(job_id, number, chunk)
                    total += len(chunk)
                    number += 1
                    chunk = []
            if chunk:
                self._store_chunk(job_id, number, chunk)
                total += len(chunk)
                number += 1
        except Exception as exc:
            self.fail(job_id, f"the upload could not be read to its end: {failure_message(exc)}")
            raise
        if self._uploaded(keys=[keys.job_key(job_id, "meta")], args=[number, total, repr(time.time())]) == 2:
            self._finished(job_id)
        return total

    def _store_chunk(self, job_id: str, number: int, rows: list[dict[str, Any]]) -> None:
        pipe = self.redis.pipeline(transaction=True)
        for part in keys.PARTS:
            pipe.expire(keys.job_key(job_id, part), self.ttl)  # keys made by now, and the input
        pipe.hset(keys.job_key(job_id, "in"), str(number), json.dumps(rows, ensure_ascii=False))
        pipe.expire(keys.job_key(job_id, "in"), self.ttl)
        pipe.hincrby(keys.job_key(job_id, "meta"), "rows_received", len(rows))
        pipe.execute()
        self.enqueue(job_id, number)

    # --- reading -------------------------------------------------------------------------

    def meta(self, job_id: str) -> dict[str, str]:
        raw = self.redis.hgetall(keys.job_key(job_id, "meta"))
        if not raw:
            raise NotFound(f"no job {job_id!r} (unknown, or its results have expired)")
        return {_text(k): _text(v) for k, v in raw.items()}

    def owner(self, job_id: str) -> str | None:
        """The id of the API key that made the job (None: made with authentication off); NotFound if no such job."""
        return self.meta(job_id).get("owner") or None

    def status(self, job_id: str) -> dict[str, Any]:
        meta = self.meta(job_id)
        now = time.time()
        options = JobOptions.from_json(meta["options"])
        done = int(meta.get("rows_done", 0))
        total = int(meta["total_rows"]) if "total_rows" in meta else None
        started = _float(meta, "started_at")
        finished = _float(meta, "finished_at")
        elapsed = ((finished or now) - started) if started else None
        rate = done / elapsed if elapsed and done else None
        eta = None
        if meta["status"] in ACTIVE_STATES and rate and total is not None:
            eta = round((total - done) / rate, 1)
        by_list = {_text(k): int(v) for k, v in self.redis.hgetall(keys.job_key(job_id, "by_list")).items()}
        body: dict[str, Any] = {
            "job_id": job_id,
            "status": meta["status"],
            "filename": options.filename,
            "created_at": float(meta["created_at"]),
            "started_at": started,
            "finished_at": finished,
            "rows_received": int(meta.get("rows_received", 0)),
            "rows_total": total,
            "rows_done": done,
            "hits": int(meta.get("hits", 0)),
            "reviews": int(meta.get("reviews", 0)),
            "errors": int(meta.get("errors", 0)),
            "hits_by_list": dict(sorted(by_list.items())),
            "rows_per_second": round(rate, 1) if rate else None,
            "eta_seconds": eta,
            "reason": meta.get("reason") or None,
            "summary": None,
        }
        if meta["status"] == "done":
            summary = Summary(
                rows=done,
                hits=body["hits"],
                reviews=body["reviews"],
                clears=int(meta.get("clears", 0)),
                errors=body["errors"],
            )
            summary.hits_by_list.update(by_list)
            body["summary"] = summary.as_dict(elapsed or 0.0)
        return body

    def results(self, job_id: str) -> Iterator[str]:
        """The output of a finished job, chunk by chunk, header first (never all in memory)."""
        meta = self.meta(job_id)
        options = JobOptions.from_json(meta["options"])
        yield options.writer().header()
        out = keys.job_key(job_id, "out")
        for number in range(int(meta.get("total_chunks", 0))):
            text = self.redis.hget(out, str(number))
            if text is None:
                raise Unavailable(f"job {job_id}: the results of chunk {number} are missing (expired?)")
            yield _text(text)

    # --- ending --------------------------------------------------------------------------

    def cancel(self, job_id: str) -> bool:
        """Stop an unfinished job: workers skip its chunks. False if it had already ended."""
        self.meta(job_id)
        ended = self._end(keys=[keys.job_key(job_id, "meta")], args=["cancelled", repr(time.time()), "cancelled"])
        if ended:
            self._finished(job_id)
        return bool(ended)

    def fail(self, job_id: str, reason: str) -> bool:
        ended = self._end(keys=[keys.job_key(job_id, "meta")], args=["failed", repr(time.time()), reason])
        if ended:
            log.warning("bulk job %s failed: %s", job_id, reason)
            self._finished(job_id)
        return bool(ended)

    def _finished(self, job_id: str) -> None:
        """The input is no longer needed; the results are kept for the TTL from now."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.delete(keys.job_key(job_id, "in"))
        for key in keys.job_keys(job_id):
            pipe.expire(key, self.ttl)
        pipe.srem(keys.ACTIVE, job_id)
        pipe.execute()

    # --- working -------------------------------------------------------------------------

    def run_chunk(self, job_id: str, chunk: int, engine: Engine, worker: str) -> str:
        """Screen one chunk and write its output once. Returns what happened, for the log."""
        meta_key = keys.job_key(job_id, "meta")
        lease = keys.lease_key(job_id, chunk)
        started = keys.job_key(job_id, "started")
        # First of all, one round trip: the chunk is never taken without a lease, and a
        # worker that dies from here on leaves it to the sweepers.
        pipe = self.redis.pipeline(transaction=True)
        pipe.set(lease, worker, ex=self.lease_seconds)
        pipe.sadd(started, str(chunk))
        pipe.execute()
        try:
            if not self.redis.exists(meta_key):
                return "gone"
            if self.redis.hexists(keys.job_key(job_id, "stats"), str(chunk)):
                return "already done"
            status = _text(self._start(keys=[meta_key], args=[repr(time.time())]))
            if status not in ACTIVE_STATES:
                return status
            attempts = self.redis.hincrby(keys.job_key(job_id, "attempts"), str(chunk), 1)
            if attempts > MAX_ATTEMPTS:
                where = f"rows from {chunk * self.chunk_rows + 1}"
                self.fail(job_id, f"chunk {chunk} ({where}) was taken {attempts - 1} times without finishing")
                return "failed"
            return self._run_leased(job_id, chunk, engine, lease, worker, attempts)
        finally:
            pipe = self.redis.pipeline(transaction=False)
            pipe.srem(started, str(chunk))
            pipe.delete(lease)
            pipe.execute()

    def _run_leased(self, job_id: str, chunk: int, engine: Engine, lease: str, worker: str, attempts: int) -> str:
        stop = threading.Event()
        renewer = threading.Thread(target=self._renew, args=(lease, worker, stop), daemon=True)
        renewer.start()
        try:
            return self._screen_chunk(job_id, chunk, engine)
        except ScreeningError as exc:  # Unavailable above all: fail closed, with the reason
            self.fail(job_id, exc.message)
            return "failed"
        except Exception as exc:
            if attempts >= MAX_ATTEMPTS:
                self.fail(job_id, f"chunk {chunk} failed {attempts} times: {failure_message(exc)}")
                return "failed"
            log.exception("bulk job %s chunk %d failed; enqueued again", job_id, chunk)
            self.enqueue(job_id, chunk)
            return "retried"
        finally:
            stop.set()
            renewer.join()

    def _renew(self, lease: str, worker: str, stop: threading.Event) -> None:
        while not stop.wait(max(self.lease_seconds / 3, 0.2)):
            try:
                self.redis.set(lease, worker, ex=self.lease_seconds)
            except redis.RedisError as exc:
                log.warning("cannot renew the lease %s: %s", lease, exc)

    def _screen_chunk(self, job_id: str, chunk: int, engine: Engine) -> str:
        raw = self.redis.hget(keys.job_key(job_id, "in"), str(chunk))
        meta = self.meta(job_id)
        if raw is None:
            if meta["status"] in ACTIVE_STATES:
                self.fail(job_id, f"the input of chunk {chunk} is missing from Redis (expired?)")
            return "input missing"
        options = JobOptions.from_json(meta["options"])
        query_options = options.query_options()
        rows = [Row.from_json(item, query_options) for item in json.loads(raw)]
        writer = options.writer()
        recorder = None
        if self.audit is not None:
            context = {**json.loads(meta.get("audit") or "{}"), "job_id": job_id}
            recorder = partial(self.audit.bulk_rows, context=context)
        texts = []
        counts = Summary()
        for start in range(0, len(rows), BATCH_ROWS):
            text, _ = render(engine, writer, rows[start : start + BATCH_ROWS], counts, recorder)
            texts.append(text)
        pairs: list[Any] = []
        for list_id, n in counts.hits_by_list.items():
            pairs += [list_id, n]
        c = counts.counts()
        outcome = self._commit(
            keys=[keys.job_key(job_id, part) for part in ("meta", "out", "stats", "by_list")],
            args=[chunk, "".join(texts), json.dumps(counts.as_dict()), c["rows"], c["hits"], c["reviews"], c["clears"],
                  c["errors"], repr(time.time()), *pairs],
        )  # fmt: skip
        if outcome == 2:
            self._finished(job_id)
            status = self.status(job_id)
            log.info("bulk job %s done: %s", job_id, status["summary"])
        return {-1: "job ended meanwhile", 0: "already done", 1: "done", 2: "done; job finished"}[int(outcome)]

    def sweep(self, now: float | None = None) -> list[tuple[str, int]]:
        """Enqueue again the chunks of dead workers and of stalled jobs; returns them."""
        now = time.time() if now is None else now
        requeued: list[tuple[str, int]] = []
        for raw in self.redis.smembers(keys.ACTIVE):
            job_id = _text(raw)
            raw_meta = self.redis.hgetall(keys.job_key(job_id, "meta"))
            meta = {_text(k): _text(v) for k, v in raw_meta.items()}
            if meta.get("status") not in ACTIVE_STATES:
                self.redis.srem(keys.ACTIVE, job_id)  # ended, or expired
                continue
            started = keys.job_key(job_id, "started")
            for member in self.redis.smembers(started):
                chunk = int(_text(member))
                if not self.redis.exists(keys.lease_key(job_id, chunk)) and self.redis.srem(started, member):
                    log.warning("bulk job %s: chunk %d lost its worker; enqueued again", job_id, chunk)
                    self.enqueue(job_id, chunk)
                    requeued.append((job_id, chunk))
            last = _float(meta, "progress_at") or _float(meta, "uploaded_at")
            if last is None or "total_chunks" not in meta or now - last < self.stall_seconds:
                continue
            if not self.redis.set(keys.sweep_key(job_id), "1", nx=True, ex=self.stall_seconds):
                continue
            done = {int(_text(n)) for n in self.redis.hkeys(keys.job_key(job_id, "stats"))}
            for chunk in range(int(meta["total_chunks"])):
                if chunk not in done and not self.redis.exists(keys.lease_key(job_id, chunk)):
                    log.warning("bulk job %s stalled: chunk %d enqueued again", job_id, chunk)
                    self.enqueue(job_id, chunk)
                    requeued.append((job_id, chunk))
        return requeued


# --- the worker side -------------------------------------------------------------------------


@dataclass
class WorkerContext:
    jobs: JobStore
    engine: Engine
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")


_context: WorkerContext | None = None


def bind(context: WorkerContext) -> None:
    """Give this process's RQ tasks their job store and screening engine (``screening worker`` does)."""
    global _context
    _context = context


def _worker_context() -> WorkerContext:
    if _context is None:  # a plain `rq worker`: build what `screening worker` would
        from service.bulk.runtime import worker_context

        bind(worker_context())
    assert _context is not None
    return _context


def run_chunk(job_id: str, chunk: int) -> str:
    """The RQ task: screen chunk ``chunk`` of job ``job_id``."""
    context = _worker_context()
    started = time.perf_counter()
    outcome = context.jobs.run_chunk(job_id, chunk, context.engine, context.name)
    log.info("bulk job %s chunk %d: %s in %.2fs", job_id, chunk, outcome, time.perf_counter() - started)
    return outcome


def sweep_forever(jobs: JobStore, stop: threading.Event, every: float) -> None:
    while not stop.wait(every):
        try:
            jobs.sweep()
        except Exception:  # Redis away for a moment: the next sweep tries again
            log.exception("sweeping bulk jobs failed")
