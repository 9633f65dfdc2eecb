"""Alerts of the monitored book, the analysts' decisions on them, and their history.

An alert is one (counterparty, listed entity) pair that matched. Its state:

- ``open``: to be reviewed (new, or reopened);
- ``cleared``: a false positive, decided by an analyst;
- ``confirmed``: a true match; ``escalated``: passed on for a second opinion;
- ``closed``: the match went away by itself (the entity left its list, the counterparty
  changed or left the book); it opens again if the match comes back.

A decision is made on the listed record as it was: the store's digest of that entity
(``service.deltas.digest``, kept per list version) is kept with it. A cleared pair stays
cleared while the listed record's digest is the one decided on, however often the list is
reloaded; when the record changes, the alert reopens, saying which of its fields changed.
Every change is appended to ``alert_events`` (the database refuses to update or delete
those rows).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from service.database import alert_events, alerts
from service.errors import BadRequest, NotFound

OPEN, CLEARED, CONFIRMED, ESCALATED, CLOSED = "open", "cleared", "confirmed", "escalated", "closed"
STATES = (OPEN, CLEARED, CONFIRMED, ESCALATED, CLOSED)
DECISIONS = (OPEN, CLEARED, CONFIRMED, ESCALATED)  # what an analyst may set
SYSTEM = "system"


@dataclass(frozen=True)
class Finding:
    """A match of a monitored counterparty: what an alert is made of."""

    client_id: str
    list_id: str
    entity_id: str
    match_kind: str  # "direct" or "linked"
    score: float
    listed_name: str | None
    matched_name: str | None
    digest: str | None  # the store's digest of the listed record in the version matched
    entity: dict[str, Any] | None  # the listed record, kept to say what changed later


@dataclass(frozen=True)
class Change:
    """What one reconciliation did to one alert, for the caller (and the webhooks) to report."""

    alert_id: int
    event: str  # opened, reopened, closed, updated
    client_id: str
    entity_id: str


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """The listed record's top-level fields that differ (names, addresses, programs …)."""
    before, after = before or {}, after or {}
    return sorted(key for key in set(before) | set(after) if before.get(key) != after.get(key))


def _event(
    connection: sa.Connection,
    alert_id: int,
    event: str,
    state: str,
    actor: str,
    now: dt.datetime,
    note: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    connection.execute(
        alert_events.insert().values(
            alert_id=alert_id, at=now, event=event, state=state, actor=actor, note=note, details=details
        )
    )


def reconcile(
    connection: sa.Connection,
    client_ids: Sequence[str],
    findings: Iterable[Finding],
    now: dt.datetime,
    *,
    complete: bool,
    reason: str = "screened",
) -> list[Change]:
    """Bring the alerts of these counterparties in line with what screening them found.

    ``complete``: the findings are everything they match now (they were screened against
    every list), so their open alerts not found again are closed. Otherwise (a delta of a
    list screened against the book) only what was found is touched.
    """
    found: dict[tuple[str, str], Finding] = {}
    for finding in findings:
        key = (finding.client_id, finding.entity_id)
        if key not in found or finding.score > found[key].score:
            found[key] = finding
    existing: dict[tuple[str, str], Any] = {}
    screened = set(client_ids)
    ids = sorted(screened | {client_id for client_id, _ in found})
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for row in connection.execute(sa.select(alerts).where(alerts.c.client_id.in_(chunk))):
            existing[(row.client_id, row.entity_id)] = row
    changes: list[Change] = []
    fresh: list[dict[str, Any]] = []  # new alerts, inserted together (an import opens thousands)
    for key, finding in found.items():
        row = existing.get(key)  # type: ignore[assignment]
        values = {
            "list_id": finding.list_id,
            "match_kind": finding.match_kind,
            "score": round(finding.score, 4),
            "listed_name": finding.listed_name,
            "matched_name": finding.matched_name,
            "entity_digest": finding.digest,
            "entity": finding.entity,
            "updated_at": now,
        }
        if row is None:
            fresh.append(
                {"client_id": finding.client_id, "entity_id": finding.entity_id, "state": OPEN, "created_at": now}
                | values
            )
            continue
        if row.state == CLOSED or (
            row.state == CLEARED and finding.digest is not None and finding.digest != row.decided_digest
        ):
            details: dict[str, Any] = {"reason": reason, "was": row.state, "score": values["score"]}
            if row.state == CLEARED:
                details["listed_record_changed"] = changed_fields(row.decided_entity, finding.entity)
                details["decided_digest"], details["digest"] = row.decided_digest, finding.digest
            connection.execute(alerts.update().where(alerts.c.id == row.id).values(state=OPEN, **values))
            _event(connection, row.id, "reopened", OPEN, SYSTEM, now, details=details)
            changes.append(Change(row.id, "reopened", finding.client_id, finding.entity_id))
            continue
        if (row.entity_digest, row.score) != (finding.digest, values["score"]):
            connection.execute(alerts.update().where(alerts.c.id == row.id).values(**values))
        # A cleared pair matched again on the record decided on: still cleared, nothing to record.
    if fresh:
        inserted = connection.execute(alerts.insert().returning(alerts.c.id, sort_by_parameter_order=True), fresh)
        ids_of_fresh = [row.id for row in inserted]
        connection.execute(
            alert_events.insert(),
            [
                {
                    "alert_id": alert_id,
                    "at": now,
                    "event": "opened",
                    "state": OPEN,
                    "actor": SYSTEM,
                    "note": None,
                    "details": {"reason": reason, "score": values["score"]},
                }
                for alert_id, values in zip(ids_of_fresh, fresh)
            ],
        )
        changes += [Change(i, "opened", v["client_id"], v["entity_id"]) for i, v in zip(ids_of_fresh, fresh)]
    if complete:
        for key, row in existing.items():
            if key in found or row.state == CLOSED or row.client_id not in screened:
                continue
            changes.append(close(connection, row, now, reason="no longer matches"))
    return changes


def close(connection: sa.Connection, row: Any, now: dt.datetime, *, reason: str) -> Change:
    connection.execute(alerts.update().where(alerts.c.id == row.id).values(state=CLOSED, updated_at=now))
    _event(connection, row.id, "closed", CLOSED, SYSTEM, now, details={"reason": reason, "was": row.state})
    return Change(row.id, "closed", row.client_id, row.entity_id)


def close_for_entities(
    connection: sa.Connection, entity_ids: Sequence[str], now: dt.datetime, *, reason: str
) -> list[Change]:
    """Close every alert on these listed entities (they left their list)."""
    changes = []
    for start in range(0, len(entity_ids), 500):
        chunk = list(entity_ids[start : start + 500])
        rows = connection.execute(
            sa.select(alerts).where(alerts.c.entity_id.in_(chunk), alerts.c.state != CLOSED)
        ).all()
        changes += [close(connection, row, now, reason=reason) for row in rows]
    return changes


def close_for_client(connection: sa.Connection, client_id: str, now: dt.datetime) -> list[Change]:
    rows = connection.execute(sa.select(alerts).where(alerts.c.client_id == client_id, alerts.c.state != CLOSED))
    return [close(connection, row, now, reason="counterparty removed from the book") for row in rows.all()]


def decide(
    connection: sa.Connection, alert_id: int, state: str, actor: str, note: str | None, now: dt.datetime
) -> dict[str, Any]:
    """An analyst's decision, on the listed record as the alert holds it now."""
    if state not in DECISIONS:
        raise BadRequest(f"state must be one of {', '.join(DECISIONS)}", details={"fields": {"state": [state]}})
    row = connection.execute(sa.select(alerts).where(alerts.c.id == alert_id)).first()
    if row is None:
        raise NotFound(f"no alert {alert_id}")
    if row.state == CLOSED:
        raise BadRequest(f"alert {alert_id} is closed: the match went away; nothing to decide")
    connection.execute(
        alerts.update()
        .where(alerts.c.id == alert_id)
        .values(
            state=state,
            decided_by=actor,
            decided_at=now,
            note=note,
            decided_digest=row.entity_digest,
            decided_entity=row.entity,
            updated_at=now,
        )
    )
    _event(
        connection,
        alert_id,
        "decided",
        state,
        actor,
        now,
        note=note,
        details={"digest": row.entity_digest, "was": row.state},
    )
    found = get(connection, alert_id)
    assert found is not None
    return found


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat().replace("+00:00", "Z")


def as_json(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "client_id": row.client_id,
        "list_id": row.list_id,
        "entity_id": row.entity_id,
        "match_kind": row.match_kind,
        "state": row.state,
        "score": row.score,
        "listed_name": row.listed_name,
        "matched_name": row.matched_name,
        "entity_digest": row.entity_digest,
        "decision": None
        if row.decided_at is None
        else {
            "by": row.decided_by,
            "at": _iso(row.decided_at),
            "note": row.note,
            "digest": row.decided_digest,
        },
        "created_at": _iso(row.created_at),
        "updated_at": _iso(row.updated_at),
    }


def get(connection: sa.Connection, alert_id: int, *, history: bool = True) -> dict[str, Any] | None:
    row = connection.execute(sa.select(alerts).where(alerts.c.id == alert_id)).first()
    if row is None:
        return None
    out = as_json(row)
    if history:
        events = connection.execute(
            sa.select(alert_events).where(alert_events.c.alert_id == alert_id).order_by(alert_events.c.id)
        )
        out["history"] = [
            {
                "at": _iso(e.at),
                "event": e.event,
                "state": e.state,
                "actor": e.actor,
                "note": e.note,
                "details": e.details,
            }
            for e in events
        ]
    return out


def page(
    connection: sa.Connection,
    *,
    state: str | None = None,
    client_id: str | None = None,
    list_id: str | None = None,
    search: str | None = None,
    after: int | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """``search``: a piece of the counterparty's id or of the listed or matched name, any case
    (the console's queue filter; the API filters by exact ``client_id``)."""
    query = sa.select(alerts).order_by(alerts.c.id).limit(limit)
    if state is not None:
        query = query.where(alerts.c.state == state)
    if client_id is not None:
        query = query.where(alerts.c.client_id == client_id)
    if list_id is not None:
        query = query.where(alerts.c.list_id == list_id)
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            sa.or_(*(column.ilike(pattern, escape="\\") for column in
                     (alerts.c.client_id, alerts.c.listed_name, alerts.c.matched_name)))
        )
    if after is not None:
        query = query.where(alerts.c.id > after)
    return [as_json(row) for row in connection.execute(query)]


def cleared_on(connection: sa.Connection, client_id: str, entity_ids: Sequence[str]) -> dict[str, Any]:
    """Entity id → the alert row of each pair of this counterparty cleared by an analyst."""
    if not entity_ids:
        return {}
    rows = connection.execute(
        sa.select(alerts).where(
            alerts.c.client_id == client_id, alerts.c.entity_id.in_(list(entity_ids)), alerts.c.state == CLEARED
        )
    )
    return {row.entity_id: row for row in rows}
