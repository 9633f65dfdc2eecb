"""Webhooks: events of the monitored book delivered to subscribers, at least once, signed.

Events (``alert.opened``, ``alert.reopened``, ``alert.closed``, ``list.updated``) are written
to an outbox table in the same transaction as the change they report: an alert opened is an
event recorded, or neither happened. A deliverer (``screening webhooks deliver``) fans each
new event out into one delivery per subscription that wants it, then sends the deliveries
that are due:

- ``POST`` of the event's JSON with ``Webhook-Id`` (the event's id: the receiver's
  idempotency key, the same on every retry), ``Webhook-Timestamp`` (unix seconds) and
  ``Webhook-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>" with the subscription's
  secret>``, so a receiver can check who sent it and refuse replays of old timestamps;
- a 2xx marks it delivered; anything else (or no answer within the timeout) is retried with
  exponential back-off (base × 2^attempts, capped), and after ``max_attempts`` it is dead;
- every attempt is logged per subscription (status, error, milliseconds).

A delivery is marked delivered only after its 2xx: a deliverer killed mid-request leaves it
due, and it is sent again (at least once; receivers dedupe by ``Webhook-Id``). On
PostgreSQL the due rows are taken ``FOR UPDATE SKIP LOCKED``, so several deliverers share
the work without sending one delivery twice at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import requests
import sqlalchemy as sa

from service.database import (
    Database,
    webhook_attempts,
    webhook_deliveries,
    webhook_events,
    webhook_subscriptions,
)
from service.errors import BadRequest, NotFound

log = logging.getLogger(__name__)

EVENTS = ("alert.opened", "alert.reopened", "alert.closed", "list.updated")
PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"


@dataclass(frozen=True)
class Policy:
    max_attempts: int = 8
    base_seconds: float = 30.0  # 30 s, 1 min, 2 min … capped
    cap_seconds: float = 6 * 3600.0
    timeout_seconds: float = 10.0

    def delay(self, attempts: int) -> float:
        return min(self.base_seconds * (2 ** (attempts - 1)), self.cap_seconds)


def _iso(moment: dt.datetime | None) -> str | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat().replace("+00:00", "Z")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def record(connection: sa.Connection, events: Iterable[tuple[str, dict[str, Any]]], now: dt.datetime) -> int:
    """Write events to the outbox, in the caller's transaction."""
    rows = []
    for kind, data in events:
        event_id = "evt_" + uuid.uuid4().hex
        payload = {"id": event_id, "type": kind, "created_at": _iso(now), "data": data}
        rows.append({"event_id": event_id, "type": kind, "payload": payload, "fanned_out": False, "created_at": now})
    if rows:
        connection.execute(webhook_events.insert(), rows)
    return len(rows)


def alert_events(changes: Iterable[Any]) -> list[tuple[str, dict[str, Any]]]:
    """Outbox events for what a reconciliation did to alerts (service.monitoring.alerts.Change)."""
    return [
        (f"alert.{c.event}", {"alert_id": c.alert_id, "client_id": c.client_id, "entity_id": c.entity_id})
        for c in changes
        if c.event in ("opened", "reopened", "closed")
    ]


# --- subscriptions -----------------------------------------------------------------------


def _subscription_json(row: Any, *, secret: bool = False) -> dict[str, Any]:
    out = {
        "id": row.id,
        "url": row.url,
        "events": list(row.events),
        "active": row.active,
        "created_by": row.created_by,
        "created_at": _iso(row.created_at),
    }
    if secret:
        out["secret"] = row.secret
    return out


def subscribe(
    db: Database, url: str, events: Sequence[str], secret: str | None, created_by: str | None
) -> dict[str, Any]:
    unknown = [e for e in events if e not in EVENTS]
    if unknown:
        raise BadRequest(f"unknown events: {', '.join(unknown)}", details={"fields": {"events": unknown}})
    now = dt.datetime.now(dt.UTC)
    with db.reached() as engine, engine.begin() as connection:
        new_id = connection.execute(
            webhook_subscriptions.insert().values(
                url=url,
                secret=secret or "whsec_" + secrets.token_urlsafe(32),
                events=list(dict.fromkeys(events)),
                active=True,
                created_by=created_by,
                created_at=now,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        row = connection.execute(sa.select(webhook_subscriptions).where(webhook_subscriptions.c.id == new_id)).one()
    return _subscription_json(row, secret=True)


def subscriptions(db: Database) -> list[dict[str, Any]]:
    with db.reached() as engine, engine.connect() as connection:
        rows = connection.execute(sa.select(webhook_subscriptions).order_by(webhook_subscriptions.c.id))
        return [_subscription_json(row) for row in rows]


def unsubscribe(db: Database, subscription_id: int) -> None:
    with db.reached() as engine, engine.begin() as connection:
        done = connection.execute(
            webhook_subscriptions.update()
            .where(webhook_subscriptions.c.id == subscription_id, webhook_subscriptions.c.active.is_(True))
            .values(active=False)
        )
        if done.rowcount == 0:
            raise NotFound(f"no active webhook subscription {subscription_id}")


def delivery_log(db: Database, subscription_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """The subscription's latest attempts, newest first."""
    with db.reached() as engine, engine.connect() as connection:
        if (
            connection.execute(
                sa.select(webhook_subscriptions.c.id).where(webhook_subscriptions.c.id == subscription_id)
            ).first()
            is None
        ):
            raise NotFound(f"no webhook subscription {subscription_id}")
        rows = connection.execute(
            sa.select(webhook_attempts, webhook_deliveries.c.state, webhook_deliveries.c.attempts)
            .join(webhook_deliveries, webhook_deliveries.c.id == webhook_attempts.c.delivery_id)
            .where(webhook_attempts.c.subscription_id == subscription_id)
            .order_by(webhook_attempts.c.id.desc())
            .limit(limit)
        )
        return [
            {
                "event_id": row.event_id,
                "at": _iso(row.at),
                "status": row.status,
                "error": row.error,
                "ms": round(row.ms, 1),
                "delivery_state": row.state,
                "attempts": row.attempts,
            }
            for row in rows
        ]


# --- delivering ----------------------------------------------------------------------------


class Deliverer:
    def __init__(self, db: Database, policy: Policy | None = None, session: requests.Session | None = None) -> None:
        self.db = db
        self.policy = policy or Policy()
        self.session = session or requests.Session()

    def fan_out(self, batch: int = 500) -> int:
        """One delivery per event and subscription that wants it; how many events were fanned out."""
        now = dt.datetime.now(dt.UTC)
        with self.db.reached() as engine, engine.begin() as connection:
            events = connection.execute(
                sa.select(webhook_events.c.id, webhook_events.c.event_id, webhook_events.c.type)
                .where(webhook_events.c.fanned_out.is_(False))
                .order_by(webhook_events.c.id)
                .limit(batch)
                .with_for_update(skip_locked=True)
            ).all()
            if not events:
                return 0
            subs = connection.execute(
                sa.select(webhook_subscriptions.c.id, webhook_subscriptions.c.events).where(
                    webhook_subscriptions.c.active.is_(True)
                )
            ).all()
            rows = [
                {
                    "subscription_id": sub.id,
                    "event_id": event.event_id,
                    "state": PENDING,
                    "attempts": 0,
                    "next_attempt_at": now,
                    "created_at": now,
                }
                for event in events
                for sub in subs
                if event.type in sub.events
            ]
            if rows:
                connection.execute(webhook_deliveries.insert(), rows)
            connection.execute(
                webhook_events.update().where(webhook_events.c.id.in_([e.id for e in events])).values(fanned_out=True)
            )
        return len(events)

    def deliver_due(self, batch: int = 50) -> int:
        """Send the deliveries that are due, each in its own transaction; how many were tried."""
        tried = 0
        while tried < batch:
            if not self._deliver_one():
                break
            tried += 1
        return tried

    def _deliver_one(self) -> bool:
        now = dt.datetime.now(dt.UTC)
        with self.db.reached() as engine, engine.begin() as connection:
            row = connection.execute(
                sa.select(
                    webhook_deliveries,
                    webhook_subscriptions.c.url,
                    webhook_subscriptions.c.secret,
                    webhook_events.c.payload,
                )
                .join(webhook_subscriptions, webhook_subscriptions.c.id == webhook_deliveries.c.subscription_id)
                .join(webhook_events, webhook_events.c.event_id == webhook_deliveries.c.event_id)
                .where(webhook_deliveries.c.state == PENDING, webhook_deliveries.c.next_attempt_at <= now)
                .order_by(webhook_deliveries.c.next_attempt_at, webhook_deliveries.c.id)
                .limit(1)
                .with_for_update(skip_locked=True, of=webhook_deliveries)
            ).first()
            if row is None:
                return False
            # The row stays locked while it is sent: another deliverer skips it; if this one
            # dies, the lock goes with its connection and the delivery is due again.
            body = json.dumps(row.payload, separators=(",", ":"), ensure_ascii=False).encode()
            timestamp = int(time.time())
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "sanctions-screening-webhooks/1",
                "Webhook-Id": row.event_id,
                "Webhook-Timestamp": str(timestamp),
                "Webhook-Signature": sign(row.secret, timestamp, body),
            }
            started = time.perf_counter()
            status: int | None = None
            error: str | None = None
            try:
                response = self.session.post(
                    row.url, data=body, headers=headers, timeout=self.policy.timeout_seconds, allow_redirects=False
                )
                status = response.status_code
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
            except requests.RequestException as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
            ms = (time.perf_counter() - started) * 1000
            attempts = row.attempts + 1
            values: dict[str, Any] = {"attempts": attempts, "last_status": status, "last_error": error}
            if error is None:
                values.update(state=DELIVERED, delivered_at=dt.datetime.now(dt.UTC))
            elif attempts >= self.policy.max_attempts:
                values.update(state=DEAD)
                log.warning("webhook %s to %s dead after %d attempts: %s", row.event_id, row.url, attempts, error)
            else:
                values.update(next_attempt_at=now + dt.timedelta(seconds=self.policy.delay(attempts)))
            connection.execute(webhook_deliveries.update().where(webhook_deliveries.c.id == row.id).values(values))
            connection.execute(
                webhook_attempts.insert().values(
                    delivery_id=row.id,
                    subscription_id=row.subscription_id,
                    event_id=row.event_id,
                    at=now,
                    status=status,
                    error=error,
                    ms=ms,
                )
            )
        return True

    def run_once(self) -> tuple[int, int]:
        fanned = 0
        while count := self.fan_out():
            fanned += count
        return fanned, self.deliver_due(batch=10_000)
