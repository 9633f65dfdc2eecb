"""The audit archive: screenings kept for years in the relational database.

The Redis stream (``service.audit``) stays the synchronous record, written before each
answer; ``service.shipper`` moves its records here in batches. A record is stored under its
stream id (the screening id): inserting one that is already there does nothing, so a batch
shipped twice (a shipper killed between its commit and its acknowledgement) is stored once.

``recorded_at`` comes from the id itself (its millisecond part), not from the clock of the
shipper: the same record always lands in the same monthly partition, and a lookup by id
goes straight to it.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from service import database
from service.database import Database, audit_records

_ID = re.compile(r"^(\d{1,15})-(\d{1,20})$")
EXPORT_BATCH = 1000


def moment_of(screening_id: str) -> dt.datetime | None:
    """The time a stream id was recorded, or None for a string that is not a stream id."""
    found = _ID.match(screening_id)
    if found is None:
        return None
    try:
        return dt.datetime.fromtimestamp(int(found.group(1)) / 1000, dt.UTC)
    except (OverflowError, ValueError, OSError):
        return None


def order_key(screening_id: str) -> tuple[int, int]:
    """Stream ids in stream order ("…-10" after "…-9")."""
    ms, _, seq = screening_id.partition("-")
    return int(ms), int(seq)


def _row(screening_id: str, record: dict[str, Any]) -> dict[str, Any] | None:
    moment = moment_of(screening_id)
    if moment is None:
        return None
    body = {k: v for k, v in record.items() if k != "screening_id"}
    return {
        "recorded_at": moment,
        "screening_id": screening_id,
        "key_id": body.get("key_id"),
        "endpoint": body.get("endpoint"),
        "record": body,
    }


class AuditArchive:
    def __init__(self, db: Database) -> None:
        self.db = db

    def store(self, records: Sequence[tuple[str, dict[str, Any]]]) -> int:
        """Store (screening id, record) pairs in one transaction; how many were new."""
        rows = [row for screening_id, record in records if (row := _row(screening_id, record)) is not None]
        if not rows:
            return 0
        with self.db.reached() as engine, engine.begin() as connection:
            database.ensure_month_partitions(
                connection, audit_records.name, {database.month_start(row["recorded_at"]) for row in rows}
            )
            insert: Any = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(
                audit_records
            )
            # RETURNING tells what was new: rowcount of a multi-row insert is not reliable across drivers.
            statement = insert.on_conflict_do_nothing().returning(audit_records.c.screening_id)
            return len(connection.execute(statement, rows).all())

    def get(self, screening_id: str) -> dict[str, Any] | None:
        moment = moment_of(screening_id)
        if moment is None:
            return None
        query = sa.select(audit_records.c.record).where(
            audit_records.c.recorded_at == moment, audit_records.c.screening_id == screening_id
        )
        with self.db.reached() as engine, engine.connect() as connection:
            record = connection.execute(query).scalar_one_or_none()
        return {"screening_id": screening_id, **record} if record is not None else None

    def count(self) -> int:
        with self.db.ready().connect() as connection:
            return int(connection.execute(sa.select(sa.func.count()).select_from(audit_records)).scalar_one())

    def export(
        self, since_ms: int | None = None, until_ms: int | None = None, batch: int = EXPORT_BATCH
    ) -> Iterator[dict[str, Any]]:
        """Every record from ``since_ms`` to ``until_ms`` (unix milliseconds, inclusive), in
        stream order, read a batch at a time (keyset pages: no offset scans)."""
        c = audit_records.c
        # Within one millisecond, ids differ by their sequence: the shorter string first, then
        # by text, is numeric order.
        order = (c.recorded_at, sa.func.length(c.screening_id), c.screening_id)
        conditions = []
        if since_ms is not None:
            conditions.append(c.recorded_at >= dt.datetime.fromtimestamp(since_ms / 1000, dt.UTC))
        if until_ms is not None:
            conditions.append(c.recorded_at < dt.datetime.fromtimestamp((until_ms + 1) / 1000, dt.UTC))
        after: tuple[Any, ...] | None = None
        engine = self.db.ready()
        while True:
            query = sa.select(c.recorded_at, c.screening_id, c.record).where(*conditions)
            if after is not None:
                query = query.where(sa.tuple_(*order) > sa.tuple_(*(sa.literal(v) for v in after)))
            with engine.connect() as connection:
                rows = connection.execute(query.order_by(*order).limit(batch)).all()
            for _, screening_id, record in rows:
                yield {"screening_id": screening_id, **record}
            if len(rows) < batch:
                return
            last = rows[-1]
            after = (last.recorded_at, len(last.screening_id), last.screening_id)

    def prune(self, retention_days: int, now: dt.datetime | None = None) -> int:
        """Forget records older than the retention: whole monthly partitions dropped on
        PostgreSQL (no row-by-row delete of years of data), then the rows of the month the
        limit falls in. How many rows went (partitions dropped count as their rows)."""
        limit = (now or dt.datetime.now(dt.UTC)) - dt.timedelta(days=retention_days)
        removed = 0
        with self.db.ready().begin() as connection:
            for name, month in database.month_partitions(connection, audit_records.name):
                if database.next_month(month) <= limit:
                    removed += int(connection.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar_one())
                    database.drop_partition(connection, name)
            result = connection.execute(audit_records.delete().where(audit_records.c.recorded_at < limit))
            removed += max(result.rowcount, 0)
        return removed


def merged(*sources: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Records of several sources in stream order, each id once (a record shipped to the
    archive stays in Redis until its retention ends: both hold it meanwhile)."""
    last: str | None = None
    for record in heapq.merge(*sources, key=lambda r: order_key(r["screening_id"])):
        if record["screening_id"] != last:
            last = record["screening_id"]
            yield record
