"""The audit trail over HTTP: a screening's stored record, by its id; and the hook that records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from service.api.context import services
from service.api.security import key_id
from service.audit import AuditTrail
from service.bulk.engine import Recorder
from service.errors import NotFound, Refused
from service.matching.types import Query, ScreenResult

bp = Blueprint("screenings", __name__, url_prefix="/v1")


def _trail() -> AuditTrail:
    return current_app.extensions["audit"]


def audit_context() -> dict[str, Any]:
    """Who asked, where and in which request: part of every record (a job keeps it for its rows)."""
    return {"endpoint": request.path, "key_id": key_id(), "request_id": getattr(g, "request_id", None)}


def audited(
    queries: Sequence[Query], results: Sequence[ScreenResult], cleaned: Sequence[list[dict[str, Any]]] = ()
) -> list[ScreenResult]:
    """Record each screening of this request before it is answered; their ids are the records'.
    ``cleaned``: per query, what was removed from its text (recorded with it)."""
    return _trail().screenings(queries, results, audit_context(), cleaned)


def screened(queries: Sequence[Query], cleaned: Sequence[list[dict[str, Any]]]) -> list[ScreenResult]:
    """Screen the queries of this request and record them before they are answered: in one
    Redis round trip with the key's and the lists' checks when the key passed in this worker
    before (service.api.one_trip), else after the checks made up front."""
    screener = services().screener
    results = screener.screen_many(queries, g.get("serving"))  # a failure: security.key_checked_first
    pending = g.pop("unconfirmed", None)
    if pending is None:
        return audited(queries, results, cleaned)
    key_id, digest, scope = pending
    try:
        g.api_key, serving, ids = current_app.extensions["one_trip"].record(
            key_id, digest, scope, queries, results, audit_context(), cleaned
        )
    except Refused as exc:
        g.refused_key_id = exc.key_id  # the access line of a 401/403/429 names the key
        raise
    if ids is None:  # the lists moved on since this worker last read them: screen on what was read
        return audited(queries, screener.screen_many(queries, serving), cleaned)
    return [replace(result, screening_id=i) for result, i in zip(results, ids, strict=True)]


def audit_bulk(kind: str, facts: dict[str, Any]) -> str:
    """Record a bulk request (file, options, rows); its rows are recorded batch by batch
    as they are screened (``recorder``). Returns the record's id."""
    (record_id,) = _trail().record([{**audit_context(), "type": kind, **facts}])
    return record_id


def recorder(facts: dict[str, Any]) -> Recorder:
    """What records a bulk request's rows, batch by batch, with this request's context."""
    return partial(_trail().bulk_rows, context={**audit_context(), **facts})


@bp.get("/screenings/<screening_id>")
def get_screening(screening_id: str):  # type: ignore[no-untyped-def]
    """A screening as recorded when it was answered: input, list versions, algorithm, hits.
    ---
    get:
      tags: [screening]
      summary: Screening record
      description: >-
        A screening of POST /v1/screen or /v1/screen/batch, or one row of a CSV screened by
        POST /v1/screen/csv or a job: the screening_id of its output row ("1764463200123-0:17",
        the record of the row's batch and the row's number). Any key may read the screenings it
        made; an admin key reads every one. The record is read from the Redis stream
        (SCREENING_AUDIT_RETENTION_SECONDS), else from the archive in the database (`screening
        audit ship` moves it there; kept SCREENING_ARCHIVE_RETENTION_DAYS).
      parameters:
        - {in: path, name: screening_id, required: true, schema: {type: string}, example: 1764463200123-0}
      responses:
        200:
          description: The record
          content:
            application/json:
              schema: ScreeningRecordSchema
        404:
          description: No such screening (or not one of this key's)
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: Not in Redis, and the archive's database is unreachable or not migrated
          content:
            application/json:
              schema: ErrorSchema
    """
    return jsonify(screening_record(screening_id))


def screening_record(screening_id: str) -> dict[str, Any]:
    """The record, if this request's key may read it (the API and the console)."""
    record = _trail().get(screening_id, fallback=current_app.extensions["archive"].get)
    key = getattr(g, "api_key", None)
    if record is None or (key is not None and not key.allows("admin") and record.get("key_id") != key.id):
        raise NotFound(f"no screening {screening_id} (ids look like 1764463200123-0, or 1764463200123-0:17 for a row)")
    return record
