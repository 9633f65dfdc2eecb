"""The monitored book over HTTP: counterparties put, read, paged, removed and imported from CSV."""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, current_app, jsonify, request

from service.api.monitoring_schemas import CounterpartyRequestSchema, PageArgsSchema
from service.api.screenings import audit_bulk, audited
from service.api.validation import invalid, load, load_args
from service.errors import NotFound, TooLarge
from service.monitoring import alerts, book
from service.monitoring.alerts import Change
from service.monitoring.book import CLIENT_ID_MAX, Counterparty
from service.monitoring.importer import import_csv
from service.monitoring.monitor import Monitor

bp = Blueprint("monitored", __name__, url_prefix="/v1")

COUNTERPARTY_REQUEST = CounterpartyRequestSchema()
PAGE_ARGS = PageArgsSchema()


def monitor() -> Monitor:
    return current_app.extensions["monitor"]


def _client_id(client_id: str) -> str:
    if not client_id.strip() or len(client_id) > CLIENT_ID_MAX:
        raise invalid({"client_id": [f"Must be 1 to {CLIENT_ID_MAX} characters, not blank."]})
    return client_id


def _changes(changes: list[Change]) -> list[dict[str, Any]]:
    return [{"alert_id": c.alert_id, "event": c.event, "entity_id": c.entity_id} for c in changes]


def _with_alerts(party: Counterparty, **extra: Any) -> dict[str, Any]:
    with monitor().db.reached() as engine, engine.connect() as connection:
        found = book.get(connection, party.client_id) or party
        held = [
            a for a in alerts.page(connection, client_id=party.client_id, limit=1000) if a["state"] != alerts.CLOSED
        ]
    return {"counterparty": found.as_json(), "alerts": held, **extra}


@bp.put("/monitored/<path:client_id>")
def put_counterparty(client_id: str):  # type: ignore[no-untyped-def]
    """Add a counterparty to the monitored book, or change it; it is screened now.
    ---
    put:
      tags: [monitoring]
      summary: Put a monitored counterparty
      description: >-
        Screened against every list served, as POST /v1/screen would (the screening is in the
        audit trail); each match, direct or linked, is an alert. A changed counterparty's alerts
        that no longer match close. From then on, each new list version is screened against it.
      parameters:
        - {in: path, name: client_id, required: true, schema: {type: string, maxLength: 200}, example: C-000123}
      requestBody:
        required: true
        content:
          application/json:
            schema: CounterpartyRequestSchema
            example: {name: Elvis Logan Morey, kind: person, country: CU, tags: [retail]}
      responses:
        200:
          description: The counterparty as kept, its alerts, and what this request changed
          content:
            application/json:
              schema: MonitoredResponseSchema
        400:
          description: The request is invalid; details.fields names each bad field
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: A list is missing or stale, Redis or the database is unreachable; nothing was changed
          content:
            application/json:
              schema: ErrorSchema
    """
    query, tags = load(COUNTERPARTY_REQUEST)
    party = Counterparty.of(_client_id(client_id), query, tags)
    results, changes = monitor().put([party])
    (result,) = audited([party.query()], results)
    return jsonify(_with_alerts(party, screening_id=result.screening_id, changes=_changes(changes)))


@bp.get("/monitored/<path:client_id>")
def get_counterparty(client_id: str):  # type: ignore[no-untyped-def]
    """One monitored counterparty and its alerts that are not closed.
    ---
    get:
      tags: [monitoring]
      summary: Get a monitored counterparty
      parameters:
        - {in: path, name: client_id, required: true, schema: {type: string}}
      responses:
        200:
          description: The counterparty and its alerts
          content:
            application/json:
              schema: MonitoredResponseSchema
        404:
          description: Not in the book
          content:
            application/json:
              schema: ErrorSchema
    """
    with monitor().db.reached() as engine, engine.connect() as connection:
        party = book.get(connection, client_id)
    if party is None:
        raise NotFound(f"no monitored counterparty {client_id!r}")
    return jsonify(_with_alerts(party))


@bp.delete("/monitored/<path:client_id>")
def delete_counterparty(client_id: str):  # type: ignore[no-untyped-def]
    """Take a counterparty out of the book; its open alerts close, their history stays.
    ---
    delete:
      tags: [monitoring]
      summary: Remove a monitored counterparty
      parameters:
        - {in: path, name: client_id, required: true, schema: {type: string}}
      responses:
        200:
          description: Removed; the alerts it closed
          content:
            application/json:
              schema: AlertChangesSchema
        404:
          description: Not in the book
          content:
            application/json:
              schema: ErrorSchema
    """
    changes = monitor().remove(client_id)
    if changes is None:
        raise NotFound(f"no monitored counterparty {client_id!r}")
    return jsonify({"client_id": client_id, "changes": _changes(changes)})


@bp.get("/monitored")
def list_counterparties():  # type: ignore[no-untyped-def]
    """The monitored book, a page at a time, in client-id order.
    ---
    get:
      tags: [monitoring]
      summary: List monitored counterparties
      parameters:
        - {in: query, name: after, schema: {type: string}, description: The last client id of the previous page}
        - {in: query, name: limit, schema: {type: integer, minimum: 1, maximum: 1000, default: 100}}
      responses:
        200:
          description: A page of counterparties
          content:
            application/json:
              schema: MonitoredPageSchema
        400:
          description: A bad query parameter
          content:
            application/json:
              schema: ErrorSchema
    """
    args = load_args(PAGE_ARGS)
    with monitor().db.reached() as engine, engine.connect() as connection:
        parties = book.page(connection, after=args["after"], limit=args["limit"])
    next_after = parties[-1].client_id if len(parties) == args["limit"] else None
    return jsonify({"counterparties": [p.as_json() for p in parties], "next_after": next_after})


@bp.post("/monitored")
def import_counterparties():  # type: ignore[no-untyped-def]
    """Add or change many counterparties from a CSV file (the body); each is screened.
    ---
    post:
      tags: [monitoring]
      summary: Import counterparties from CSV
      description: >-
        Read as POST /v1/screen/csv reads (delimiter, encoding and header found by themselves);
        the `id` column is the client id and is required. Each bad row is reported with its
        line and problem; every good one is imported and screened. Up to
        SCREENING_BULK_INLINE_MAX_BYTES; larger books: `screening monitored import FILE`.
      requestBody:
        required: true
        content:
          text/csv:
            schema: {type: string}
            example: "id,name,country\\nC-1,Elvis Logan Morey,CU\\n"
      responses:
        200:
          description: What was imported, and each row that was not
          content:
            application/json:
              schema: ImportResponseSchema
        413:
          description: Larger than this endpoint screens in one request
          content:
            application/json:
              schema: ErrorSchema
        415:
          description: Not a CSV, or no id column
          content:
            application/json:
              schema: ErrorSchema
        503:
          description: A list is missing or stale, Redis or the database is unreachable
          content:
            application/json:
              schema: ErrorSchema
    """
    limit = current_app.extensions["settings"].bulk_inline_max_bytes
    body = request.get_data(cache=False)
    if len(body) > limit:
        raise TooLarge(f"the file is larger than {limit:,} bytes: use `screening monitored import`")
    report = import_csv(monitor(), io.BytesIO(body))
    # One audit record for the import, as for bulk uploads; each alert keeps its own history.
    audit_bulk(
        "monitored_import", {k: v for k, v in report.items() if k != "errors"} | {"bad_rows": len(report["errors"])}
    )
    return jsonify(report)


def mark_suppressed(body: dict[str, Any], result: Any, client_id: str) -> None:
    """Hits of a screening that an analyst cleared for this counterparty, on the listed record as
    it still is, get ``suppressed`` with the decision: reported, never dropped."""
    cleared = monitor().suppressed(client_id, result)
    for hit in [*body["hits"], *body["linked_hits"]]:
        if hit["entity_id"] in cleared:
            hit["suppressed"] = cleared[hit["entity_id"]]
