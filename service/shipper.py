"""Moving the audit stream into the archive, exactly once, in batches.

The stream ``scr:audit`` has one consumer group, ``archive``. A shipper reads a batch for
itself (XREADGROUP), stores it in the database in one transaction (an id already there is
ignored), and only after the commit acknowledges it (XACK). A shipper killed anywhere in
that sequence loses nothing and doubles nothing:

- killed before the commit: the batch is still pending for it in the group; when it starts
  again it first re-reads its own pending entries, and another shipper takes them over
  (XAUTOCLAIM) once they have been idle ``claim_idle_ms``;
- killed between the commit and the ack: the batch is read again, its inserts find every id
  there and do nothing, then it is acknowledged.

Records trimmed from the stream by its retention before a shipper read them come back from
the group as empty entries: they are acknowledged and counted as ``lost`` (a shipper that was
down longer than the Redis retention), never silently.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import redis

from service.archive import AuditArchive
from service.audit import STREAM

log = logging.getLogger(__name__)

GROUP = "archive"
BATCH = 500
CLAIM_IDLE_MS = 60_000  # a batch pending this long belongs to a dead shipper


def _str(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass
class Shipped:
    batches: int = 0
    read: int = 0  # records read from the stream (again, after a crash: counted again)
    stored: int = 0  # new in the archive
    lost: int = 0  # trimmed from the stream before they were shipped


class Shipper:
    def __init__(
        self,
        client: redis.Redis,
        archive: AuditArchive,
        *,
        consumer: str,
        batch: int = BATCH,
        claim_idle_ms: int = CLAIM_IDLE_MS,
    ) -> None:
        self.redis = client
        self.archive = archive
        self.consumer = consumer
        self.batch = batch
        self.claim_idle_ms = claim_idle_ms
        self.totals = Shipped()
        self._own_pending = True  # re-read what this consumer held when it last stopped

    def ensure_group(self) -> None:
        """The consumer group, from the stream's first record (created with the stream if need be)."""
        try:
            self.redis.xgroup_create(STREAM, GROUP, id="0", mkstream=True)
        except redis.ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    def _read(self, block_ms: int | None) -> list[tuple[str, dict[Any, Any] | None]]:
        if self._own_pending:
            entries = self._group_read("0", None)
            if entries:
                return entries
            self._own_pending = False
        claimed: Any = self.redis.xautoclaim(
            STREAM, GROUP, self.consumer, min_idle_time=self.claim_idle_ms, start_id="0-0", count=self.batch
        )
        if claimed[1]:
            return [(_str(entry_id), fields) for entry_id, fields in claimed[1]]
        deleted = claimed[2] if len(claimed) > 2 else []
        if deleted:  # pending ids whose records were trimmed: nothing to ship, acknowledge them
            return [(_str(entry_id), None) for entry_id in deleted]
        return self._group_read(">", block_ms)

    def _group_read(self, start: str, block_ms: int | None) -> list[tuple[str, dict[Any, Any] | None]]:
        reply: Any = self.redis.xreadgroup(GROUP, self.consumer, {STREAM: start}, count=self.batch, block=block_ms)
        if not reply:
            return []
        _, entries = reply[0]
        return [(_str(entry_id), fields or None) for entry_id, fields in entries]

    def ship_batch(self, block_ms: int | None = None) -> int:
        """Ship one batch: read, store and commit, acknowledge. How many records it held."""
        entries = self._read(block_ms)
        if not entries:
            return 0
        records = []
        for entry_id, fields in entries:
            if fields is None:
                self.totals.lost += 1
                continue
            raw = fields.get(b"record", fields.get("record"))
            if raw is None:  # not an audit record: nothing to keep
                self.totals.lost += 1
                continue
            records.append((entry_id, json.loads(raw)))
        self.totals.stored += self.archive.store(records)  # committed when this returns
        self.redis.xack(STREAM, GROUP, *[entry_id for entry_id, _ in entries])
        self.totals.batches += 1
        self.totals.read += len(entries)
        return len(entries)

    def drain(self) -> Shipped:
        """Ship every record waiting now, batch after batch; then stop."""
        self.ensure_group()
        while self.ship_batch():
            pass
        return self.totals

    def run(
        self,
        stop: threading.Event,
        *,
        block_ms: int = 2000,
        every_batch: Callable[[Shipped], None] | None = None,
        housekeeping: Callable[[], None] | None = None,
        housekeeping_every: float = 3600.0,
    ) -> Shipped:
        """Ship until ``stop`` is set, waiting up to ``block_ms`` for new records; a failed
        batch (database or Redis away) is logged and retried after a pause, never skipped."""
        import time

        self.ensure_group()
        next_housekeeping = 0.0
        while not stop.is_set():
            try:
                if housekeeping is not None and time.monotonic() >= next_housekeeping:
                    housekeeping()
                    next_housekeeping = time.monotonic() + housekeeping_every
                if self.ship_batch(block_ms) and every_batch is not None:
                    every_batch(self.totals)
            except Exception as exc:  # noqa: BLE001 - keep shipping once the store is back
                log.warning("audit shipping failed, retrying in 5s: %s", exc)
                self._own_pending = True  # what this consumer holds is read again first
                stop.wait(5)
        return self.totals
