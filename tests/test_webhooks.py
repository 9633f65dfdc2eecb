"""Webhooks against a real receiver on 127.0.0.1 that fails half its calls: every event
delivered at least once with its idempotency id and a valid signature, retried with back-off,
dead after the limit, logged; none lost when a real deliverer process is SIGKILLed."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import redis
import sqlalchemy as sa

from service import database, webhooks
from service.app import create_app
from service.config import Settings
from service.database import webhook_deliveries, webhook_events
from service.loader import load_list
from service.store import ListStore
from service.webhooks import Deliverer, Policy
from tests.test_monitoring import OFAC

SECRET = "whsec_test_secret_0123456789"


class Receiver:
    """A real HTTP server that answers 500 to every other call and checks each signature."""

    def __init__(self, delay: float = 0.0) -> None:
        self.calls: list[tuple[str, int]] = []  # (Webhook-Id, status answered)
        self.bad_signatures = 0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stamp = self.headers["Webhook-Timestamp"]
                expected = "v1=" + hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
                event_id = self.headers["Webhook-Id"]
                assert json.loads(body)["id"] == event_id
                if delay:
                    time.sleep(delay)
                with receiver.lock:
                    if not hmac.compare_digest(expected, self.headers["Webhook-Signature"]):
                        receiver.bad_signatures += 1
                    status = 500 if len(receiver.calls) % 2 == 0 else 204
                    receiver.calls.append((event_id, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def delivered(self) -> set[str]:
        return {event_id for event_id, status in self.calls if status == 204}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.server.shutdown()


@pytest.fixture
def app(settings: Settings, database_url: str, redis_client: redis.Redis):  # type: ignore[no-untyped-def]
    load_list(ListStore(redis_client), "us_ofac_sdn", "ofac_csv", OFAC)
    served = replace(settings, database_url=database_url, enabled_lists=("us_ofac_sdn",))
    return create_app(served, redis_client=redis_client)


def outbox(db: database.Database) -> dict[str, str]:
    with db.engine.connect() as connection:
        return {row.event_id: row.type for row in connection.execute(sa.select(webhook_events))}


def test_every_event_is_delivered_signed_to_a_receiver_failing_half_its_calls(app, receiver, conforms) -> None:  # type: ignore[no-untyped-def]
    http = app.test_client()
    made = http.post("/v1/webhooks", json={"url": receiver.url, "events": list(webhooks.EVENTS), "secret": SECRET})
    assert made.status_code == 201, made.json
    conforms(made, "/v1/webhooks", "post")
    assert made.json["secret"] == SECRET and "secret" not in http.get("/v1/webhooks").json["webhooks"][0]
    logan = {"name": "Elvis Logan Morey"}
    http.put("/v1/monitored/C-1", json=logan)  # alert.opened
    http.put("/v1/monitored/C-1", json={"name": "Somebody Else"})  # alert.closed
    http.put("/v1/monitored/C-1", json=logan)  # alert.reopened
    http.put("/v1/monitored/C-2", json=logan)  # alert.opened
    db = app.extensions["monitor"].db
    events = outbox(db)
    assert sorted(events.values()) == ["alert.closed", "alert.opened", "alert.opened", "alert.reopened"]

    Deliverer(db, Policy(base_seconds=0)).run_once()
    assert receiver.delivered() == set(events), "every event, at least once"
    assert receiver.bad_signatures == 0
    failed_first = [event_id for event_id, status in receiver.calls if status == 500]
    assert failed_first and set(failed_first) <= receiver.delivered(), "retried with the same Webhook-Id"
    log = http.get(f"/v1/webhooks/{made.json['id']}/deliveries")
    conforms(log, "/v1/webhooks/{subscription_id}/deliveries")
    assert len(log.json["attempts"]) == len(receiver.calls)
    assert {a["status"] for a in log.json["attempts"]} == {500, 204}
    assert {a["delivery_state"] for a in log.json["attempts"]} == {"delivered"}


def test_back_off_doubles_and_a_delivery_dies_after_the_limit(app) -> None:  # type: ignore[no-untyped-def]
    db = app.extensions["monitor"].db
    webhooks.subscribe(db, "http://127.0.0.1:1/nobody-listens", ["alert.opened"], SECRET, None)
    app.test_client().put("/v1/monitored/C-1", json={"name": "Elvis Logan Morey"})
    policy = Policy(max_attempts=3, base_seconds=0, timeout_seconds=1)
    assert [Policy(base_seconds=30).delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    Deliverer(db, policy).run_once()
    with db.engine.connect() as connection:
        [row] = connection.execute(sa.select(webhook_deliveries)).all()
    assert (row.state, row.attempts, row.last_status) == ("dead", 3, None) and "ConnectionError" in row.last_error
    slow = Policy(max_attempts=3, base_seconds=60)
    webhooks.subscribe(db, "http://127.0.0.1:1/again", ["alert.closed"], SECRET, None)
    app.test_client().delete("/v1/monitored/C-1")
    before = dt.datetime.now(dt.UTC)
    Deliverer(db, slow).run_once()
    with db.engine.connect() as connection:
        row = connection.execute(sa.select(webhook_deliveries).where(webhook_deliveries.c.state == "pending")).one()
    due = row.next_attempt_at if row.next_attempt_at.tzinfo else row.next_attempt_at.replace(tzinfo=dt.UTC)
    assert row.attempts == 1 and dt.timedelta(seconds=55) < due - before < dt.timedelta(seconds=65)


@pytest.mark.slow
def test_no_event_is_lost_when_the_deliverer_is_killed(database_url, redis_url, tmp_path) -> None:  # type: ignore[no-untyped-def]
    receiver = Receiver(delay=0.01)
    db = database.Database(database_url)
    webhooks.subscribe(db, receiver.url, ["list.updated"], SECRET, None)
    now = dt.datetime.now(dt.UTC)
    with db.engine.begin() as connection:
        webhooks.record(connection, [("list.updated", {"n": n}) for n in range(300)], now)
    events = outbox(db)
    env = {**os.environ, "REDIS_URL": redis_url, "DATABASE_URL": database_url, "SCREENING_DATA_DIR": str(tmp_path)}
    command = [
        sys.executable,
        "-m",
        "service.cli",
        "webhooks",
        "deliver",
        "--backoff",
        "0",
        "--every",
        "1s",
        "--max-attempts",
        "40",
    ]
    for _ in range(3):
        process = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
        target = len(receiver.calls) + 60
        deadline = time.monotonic() + 60
        while len(receiver.calls) < target and time.monotonic() < deadline:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert len(receiver.delivered()) < len(events), "killed while deliveries were left"
    for _ in range(5):
        done = subprocess.run(command + ["--once"], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    missing = set(events) - receiver.delivered()
    with db.engine.connect() as connection:
        rows = connection.execute(sa.select(webhook_deliveries).where(webhook_deliveries.c.event_id.in_(missing))).all()
    calls = [c for c in receiver.calls if c[0] in missing]
    assert not missing, f"{len(missing)} events never delivered: {rows} {calls}"
    receiver.server.shutdown()
    db.dispose()
