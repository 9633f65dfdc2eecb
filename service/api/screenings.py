"""The audit trail over HTTP: a screening's stored record, by its id; and the hook that records."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, current_app, g, jsonify, request

from service.api.security import key_id
from service.audit import AuditTrail
from service.errors import NotFound
from service.matching.types import Query, ScreenResult

bp = Blueprint("screenings", __name__, url_prefix="/v1")


def _trail() -> AuditTrail:
    return current_app.extensions["audit"]


def _context() -> dict[str, Any]:
    return {"endpoint": request.path, "key_id": key_id(), "request_id": getattr(g, "request_id", None)}


def audited(queries: Sequence[Query], results: Sequence[ScreenResult]) -> list[ScreenResult]:
    """Record each screening of this request before it is answered; their ids are the records'."""
    return _trail().screenings(queries, results, _context())


def audit_bulk(kind: str, facts: dict[str, Any]) -> None:
    """Record a bulk request: its rows' results are kept with the job (or were streamed back)."""
    _trail().record([{**_context(), "type": kind, **facts}])


@bp.get("/screenings/<screening_id>")
def get_screening(screening_id: str):  # type: ignore[no-untyped-def]
    """A screening as recorded when it was answered: input, list versions, algorithm, hits.
    ---
    get:
      tags: [screening]
      summary: Screening record
      description: >-
        Any key may read the screenings it made; an admin key reads every one. The record is
        read from the Redis stream (SCREENING_AUDIT_RETENTION_SECONDS), else from the archive
        in the database (`screening audit ship` moves it there; kept
        SCREENING_ARCHIVE_RETENTION_DAYS).
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
    record = _trail().get(screening_id)
    if record is None:
        record = current_app.extensions["archive"].get(screening_id)
    key = getattr(g, "api_key", None)
    if record is None or (key is not None and not key.allows("admin") and record.get("key_id") != key.id):
        raise NotFound(f"no screening {screening_id} (ids look like 1764463200123-0)")
    return jsonify(record)
