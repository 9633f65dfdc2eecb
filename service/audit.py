"""The audit trail: what the service answered, to whom, and why — one record per screening.

Records go to one Redis stream, ``scr:audit``; the stream entry id *is* the screening id the
API returns ("1764463200123-0": the millisecond it was recorded, and a sequence), so a
record is found again by id in O(log n) and the trail is in time order. Each append also
trims records older than the retention (``XADD … MINID``), so the stream holds a bounded
window; ``screening audit export`` writes it out as JSON lines for keeping longer.

A record holds: time, API key id, request id, endpoint, the input as given and as
normalised, the list versions screened against, the algorithm and threshold, and every
hit and linked hit with its score. No secret is ever recorded: the key's id, never its token.

A screening is recorded before it is answered, in the same request: if the record cannot
be written the request fails (503), so nothing is ever answered that was not recorded.

Bulk rows (a CSV streamed back, a job's chunks) are recorded the same way, a batch of rows
to a record of type ``bulk_rows`` written before the batch's output; a row's screening id
is "<batch record id>:<row number>" and ``get`` answers it as a screening of its own.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import redis

from service.matching.score import prepare_query
from service.matching.types import Query, ScreenResult
from service.redis_client import failure
from service.timestamps import rfc3339

STREAM = "scr:audit"
_ID = re.compile(r"^(\d{1,20})-(\d{1,20})$")
_MAX_ID_PART = 2**64 - 1  # each half of a stream id is an unsigned 64-bit number
_ROW_ID = re.compile(r"^(\d{1,20}-\d{1,20}):(\d{1,12})$")  # a bulk row: "<batch record id>:<row number>"
_SHARED = ("lists", "algorithm", "threshold")  # what the rows of one batch almost always share
BulkRow = tuple[int, str, Query, ScreenResult, str]  # row number, row id, query, result, decision


def _normalised(query: Query) -> dict[str, Any]:
    pq = prepare_query(query)
    out: dict[str, Any] = {}
    if pq.name is not None:
        out["name_tokens"] = list(pq.name.tokens)
    if pq.address is not None:
        out["address_tokens"] = list(pq.address.tokens)
    if pq.identifiers:
        out["identifiers"] = [key for key, _ in pq.identifiers]
    return out


def _given(query: Query) -> dict[str, Any]:
    """The query as given, without what it left out (dataclasses.asdict deep-copies: slow)."""
    out: dict[str, Any] = {}
    for name in query.__dataclass_fields__:
        value = getattr(query, name)
        if value in (None, ()):
            continue
        if name == "address":
            value = {k: v for k, v in vars(value).items() if v}
        elif name == "identifiers":
            value = [{"value": i.value, "type": i.type} for i in value]
        out[name] = value
    return out


def record_of(
    query: Query,
    result: ScreenResult,
    context: dict[str, Any],
    cleaned: Sequence[dict[str, Any]] = (),
    decision: str | None = None,
) -> dict[str, Any]:
    """``cleaned``: what was removed from the query's text before screening (service.sanitize);
    the input recorded is the text screened, never the raw characters. ``decision``: a bulk
    row's, under its request's review threshold (else the result's own)."""
    given = _given(query)
    extra = {"sanitized": list(cleaned)} if cleaned else {}
    return {
        **context,
        "decision": decision or result.decision(),
        "input": given,
        "normalised": _normalised(query),
        "lists": result.lists,
        "algorithm": result.algorithm,
        "threshold": result.threshold,
        "candidates": result.candidates,
        "hits": [
            {"entity_id": h.entity_id, "list_id": h.list_id, "score": round(h.score, 4), "match": h.match}
            for h in result.hits
        ],
        "linked_hits": [
            {
                "entity_id": h.entity_id,
                "list_id": h.list_id,
                "score": round(h.score, 4),
                "match": h.match,
                "relation": h.relation,
                "matched_entity_id": h.matched_entity_id,
                "blocked_by_extension": h.blocked_by_extension,
                "explanation": h.explanation,
            }
            for h in result.linked_hits
        ],
        **extra,
    }


class AuditTrail:
    def __init__(self, client: redis.Redis, *, retention_seconds: int) -> None:
        self.redis = client
        self.retention_ms = retention_seconds * 1000

    def record(self, entries: Sequence[dict[str, Any]]) -> list[str]:
        """Append records (one round trip for all); their ids, which are the screening ids."""
        if not entries:
            return []
        oldest = self.oldest_id()
        pipe = self.redis.pipeline(transaction=False)
        for entry in entries:
            pipe.xadd(STREAM, {"record": self.body(entry)}, minid=oldest, approximate=False)
        try:
            ids = pipe.execute()
        except redis.RedisError as exc:
            raise failure(exc, "cannot record the screening in the audit trail") from exc
        return [i.decode() if isinstance(i, bytes) else str(i) for i in ids]

    def oldest_id(self) -> int:
        """The oldest stream id kept: each append trims what is older (the retention)."""
        return int(time.time() * 1000) - self.retention_ms

    @staticmethod
    def body(entry: dict[str, Any]) -> str:
        """A record as stored: JSON, with the time it was recorded first."""
        return json.dumps({"recorded_at": rfc3339(time.time()), **entry}, separators=(",", ":"), ensure_ascii=False)

    def screenings(
        self,
        queries: Sequence[Query],
        results: Sequence[ScreenResult],
        context: dict[str, Any],
        cleaned: Sequence[Sequence[dict[str, Any]]] = (),
    ) -> list[ScreenResult]:
        """Record each screening; the results with their screening ids set to the records' ids."""
        from dataclasses import replace

        notes = list(cleaned) or [()] * len(queries)
        ids = self.record([record_of(q, r, context, n) for q, r, n in zip(queries, results, notes)])
        return [replace(result, screening_id=i) for result, i in zip(results, ids)]

    def bulk_rows(self, rows: Sequence[BulkRow], context: dict[str, Any]) -> list[str]:
        """Record a batch of a bulk request's rows, screened, as one record (one stream entry a
        row would cost a round trip's worth of work each and bloat the stream's per-entry
        overhead); the rows' screening ids, "<record id>:<row number>", in order."""
        if not rows:
            return []
        first = rows[0][3]
        shared = {"lists": first.lists, "algorithm": first.algorithm, "threshold": first.threshold}
        entries = []
        for number, row_id, query, result, decision in rows:
            # The row's decision, under the request's review_threshold.
            entry = record_of(query, result, {"row": number, "row_id": row_id}, decision=decision)
            for key in _SHARED:
                if entry[key] == shared[key]:
                    del entry[key]
            entries.append(entry)
        (batch,) = self.record([{**context, "type": "bulk_rows", **shared, "rows": entries}])
        return [f"{batch}:{number}" for number, *_ in rows]

    def get(
        self, screening_id: str, fallback: Callable[[str], dict[str, Any] | None] | None = None
    ) -> dict[str, Any] | None:
        """A screening's record; a bulk row's is its batch's context with the row's own facts.
        ``fallback`` finds a record gone from the stream (the archive)."""
        row = _ROW_ID.match(screening_id)
        entry_id = row[1] if row else screening_id
        record = self._entry_of(entry_id)
        if record is None and fallback is not None:
            record = fallback(entry_id)
        if row is None:  # one screening; a bulk request's own record is not one (audit export has it)
            return record if record is not None and "type" not in record else None
        if record is None or record.get("type") != "bulk_rows":
            return None
        number = int(row[2])
        found = next((entry for entry in record.pop("rows") if entry["row"] == number), None)
        del record["type"]
        return None if found is None else {**record, **found, "screening_id": screening_id}

    def _entry_of(self, entry_id: str) -> dict[str, Any] | None:
        found_id = _ID.match(entry_id)
        if found_id is None or any(int(part) > _MAX_ID_PART for part in found_id.groups()):
            return None  # Redis would refuse it as no stream id: it names no screening
        found: Any = self.redis.xrange(STREAM, min=entry_id, max=entry_id, count=1)
        return _entry(*found[0]) if found else None

    def export(
        self, since_ms: int | None = None, until_ms: int | None = None, batch: int = 1000
    ) -> Iterator[dict[str, Any]]:
        """Every record from ``since_ms`` to ``until_ms`` (unix milliseconds), oldest first."""
        low = f"{since_ms}-0" if since_ms is not None else "-"
        high = f"{until_ms}-18446744073709551615" if until_ms is not None else "+"
        while True:
            chunk: Any = self.redis.xrange(STREAM, min=low, max=high, count=batch)
            for entry_id, fields in chunk:
                yield _entry(entry_id, fields)
            if len(chunk) < batch:
                return
            low = "(" + _str(chunk[-1][0])  # exclusive: after the last one read


def _str(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _entry(entry_id: Any, fields: Any) -> dict[str, Any]:
    raw = fields.get(b"record", fields.get("record"))
    record = {"screening_id": _str(entry_id), **json.loads(raw)}
    if isinstance(record.get("recorded_at"), (int, float)):  # recorded before times were RFC 3339
        record["recorded_at"] = rfc3339(record["recorded_at"])
    return record
