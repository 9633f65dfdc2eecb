"""Alerts of the monitored book over HTTP: listed, read with their history, and decided."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify

from service.api.monitored import monitor
from service.api.monitoring_schemas import AlertArgsSchema, DecisionRequestSchema
from service.api.screenings import audit_bulk
from service.api.security import key_id
from service.api.validation import load, load_args
from service.errors import NotFound
from service.monitoring import alerts
from service.monitoring.monitor import now

bp = Blueprint("alerts", __name__, url_prefix="/v1")

ALERT_ARGS = AlertArgsSchema()
DECISION_REQUEST = DecisionRequestSchema()


@bp.get("/alerts")
def list_alerts():  # type: ignore[no-untyped-def]
    """Alerts, a page at a time, oldest first; by state or counterparty.
    ---
    get:
      tags: [monitoring]
      summary: List alerts
      parameters:
        - {in: query, name: state, schema: {type: string, enum: [open, cleared, confirmed, escalated, closed]}}
        - {in: query, name: client_id, schema: {type: string}}
        - {in: query, name: after, schema: {type: integer}, description: The last alert id of the previous page}
        - {in: query, name: limit, schema: {type: integer, minimum: 1, maximum: 1000, default: 100}}
      responses:
        200:
          description: A page of alerts
          content:
            application/json:
              schema: AlertPageSchema
        400:
          description: A bad query parameter
          content:
            application/json:
              schema: ErrorSchema
    """
    args = load_args(ALERT_ARGS)
    with monitor().db.reached() as engine, engine.connect() as connection:
        found = alerts.page(connection, **args)
    next_after = found[-1]["id"] if len(found) == args["limit"] else None
    return jsonify({"alerts": found, "next_after": next_after})


@bp.get("/alerts/<int:alert_id>")
def get_alert(alert_id: int):  # type: ignore[no-untyped-def]
    """One alert with its whole history.
    ---
    get:
      tags: [monitoring]
      summary: Get an alert
      parameters:
        - {in: path, name: alert_id, required: true, schema: {type: integer}}
      responses:
        200:
          description: The alert and every change made to it
          content:
            application/json:
              schema: AlertSchema
        404:
          description: No such alert
          content:
            application/json:
              schema: ErrorSchema
    """
    with monitor().db.reached() as engine, engine.connect() as connection:
        found = alerts.get(connection, alert_id)
    if found is None:
        raise NotFound(f"no alert {alert_id}")
    return jsonify(found)


@bp.post("/alerts/<int:alert_id>/decision")
def decide(alert_id: int):  # type: ignore[no-untyped-def]
    """Decide on an alert: cleared (a false positive), confirmed, escalated, or open again.
    ---
    post:
      tags: [monitoring]
      summary: Decide on an alert
      description: >-
        The decision is made on the listed record as the alert holds it (its digest is kept):
        a cleared pair stays cleared across list reloads until that record changes, then the
        alert reopens saying which fields changed. POST /v1/screen with the counterparty_id
        reports the cleared hit as suppressed. Recorded in the alert's history and in the audit
        trail with the key that decided.
      parameters:
        - {in: path, name: alert_id, required: true, schema: {type: integer}}
      requestBody:
        required: true
        content:
          application/json:
            schema: DecisionRequestSchema
            example: {state: cleared, note: "Different person: born 1980, listed 1963"}
      responses:
        200:
          description: The alert as decided, with its history
          content:
            application/json:
              schema: AlertSchema
        400:
          description: An invalid decision, or an alert that is closed
          content:
            application/json:
              schema: ErrorSchema
        404:
          description: No such alert
          content:
            application/json:
              schema: ErrorSchema
    """
    body = load(DECISION_REQUEST)
    return jsonify(record_decision(alert_id, body["state"], body["note"]))


def record_decision(alert_id: int, state: str, note: str | None) -> dict[str, Any]:
    """The decision made by the key of this request (the API's or the console session's),
    in the alert's history and in the audit trail; the alert as decided."""
    actor = key_id() or "anonymous"
    with monitor().db.reached() as engine, engine.begin() as connection:
        decided = alerts.decide(connection, alert_id, state, actor, note, now())
        # In the audit trail too, before the answer: who decided what, on which listed record.
        audit_bulk(
            "decision",
            {
                "alert_id": alert_id,
                "client_id": decided["client_id"],
                "entity_id": decided["entity_id"],
                "state": state,
                "note": note,
                "digest": decided["entity_digest"],
            },
        )
    return decided
