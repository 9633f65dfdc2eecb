"""Screening the monitored book: counterparties in, alerts out.

A counterparty is screened with the service's own ``Screener`` (the same lists, matcher and
threshold as ``POST /v1/screen``) when it is added or changed; its matches (direct hits and
linked hits with ``match`` true) become alerts, each keyed to the store's digest of the
listed record matched. The screening comes first and the database write after: a list that
cannot be screened against (503) leaves the book unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from service import webhooks
from service.database import Database
from service.matching.types import Hit, LinkedHit, ScreenResult
from service.monitoring import alerts, book, state
from service.monitoring.alerts import Change, Finding
from service.monitoring.book import Counterparty
from service.screening import Screener
from service.store import ListStore


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Records:
    """Digests and records of listed entities, read from the store per list version."""

    def __init__(self, store: ListStore) -> None:
        self.store = store

    def of(self, pairs: Sequence[tuple[str, str, str]]) -> dict[str, tuple[str | None, dict[str, Any] | None]]:
        """(list id, version, entity id) → entity id → (digest, record)."""
        wanted: dict[tuple[str, str], list[str]] = defaultdict(list)
        for list_id, version, entity_id in pairs:
            wanted[(list_id, version)].append(entity_id)
        out: dict[str, tuple[str | None, dict[str, Any] | None]] = {}
        for (list_id, version), ids in wanted.items():
            ids = list(dict.fromkeys(ids))
            digests = self.store.digests_of(list_id, version, ids)
            records = self.store.entities(list_id, version, ids)
            out.update(zip(ids, zip(digests, records)))
        return out


def findings_of(client_ids: Sequence[str], results: Sequence[ScreenResult], records: Records) -> list[Finding]:
    matched: list[tuple[str, ScreenResult, Any, str]] = []
    for client_id, result in zip(client_ids, results):
        matched += [(client_id, result, hit, "direct") for hit in result.hits if hit.match]
        matched += [(client_id, result, hit, "linked") for hit in result.linked_hits if hit.match]
    known = records.of([(hit.list_id, result.lists[hit.list_id], hit.entity_id) for _, result, hit, _ in matched])
    out = []
    for client_id, _, hit, kind in matched:
        digest, record = known.get(hit.entity_id, (None, None))
        out.append(
            Finding(
                client_id=client_id,
                list_id=hit.list_id,
                entity_id=hit.entity_id,
                match_kind=kind,
                score=hit.score,
                listed_name=hit.listed_name,
                matched_name=hit.matched_name,
                digest=digest,
                entity=record,
            )
        )
    return out


class Monitor:
    def __init__(self, db: Database, screener: Screener, store: ListStore) -> None:
        self.db = db
        self.screener = screener
        self.records = Records(store)

    def put(self, parties: Sequence[Counterparty]) -> tuple[list[ScreenResult], list[Change]]:
        """Add or replace counterparties, screening each; the screenings and what changed in alerts."""
        results = self.screener.screen_many([party.query() for party in parties])
        return results, self.record(parties, results)

    def record(self, parties: Sequence[Counterparty], results: Sequence[ScreenResult]) -> list[Change]:
        """Write counterparties screened (``results`` in the same order) and their alerts, in one
        transaction: the book, the alerts and their history, the webhook outbox."""
        ids = [party.client_id for party in parties]
        found = findings_of(ids, results, self.records)
        moment = now()
        with self.db.reached() as engine, engine.begin() as connection:
            book.put_many(connection, parties, moment)
            changes = alerts.reconcile(connection, ids, found, moment, complete=True, reason="counterparty screened")
            webhooks.record(connection, webhooks.alert_events(changes), moment)  # the outbox, same transaction
            if results:
                state.start(connection, results[0].lists, results[0].algorithm, moment)
        return changes

    def rescreen(self, client_ids: Sequence[str], reason: str) -> list[Change]:
        """Screen these counterparties of the book again, in full; their alerts brought in line."""
        if not client_ids:
            return []
        parties = self.parties(client_ids)
        if not parties:
            return []
        results = self.screener.screen_many([party.query() for party in parties])
        return self.reconcile([party.client_id for party in parties], results, reason)

    def parties(self, client_ids: Sequence[str]) -> list[Counterparty]:
        """These counterparties as the book holds them now (those it holds)."""
        with self.db.reached() as engine, engine.connect() as connection:
            return list(book.get_many(connection, list(client_ids)).values())

    def reconcile(self, client_ids: Sequence[str], results: Sequence[ScreenResult], reason: str) -> list[Change]:
        """Bring the alerts of counterparties screened again (``results`` in the same order) in line."""
        found = findings_of(client_ids, results, self.records)
        moment = now()
        with self.db.reached() as engine, engine.begin() as connection:
            changes = alerts.reconcile(connection, client_ids, found, moment, complete=True, reason=reason)
            webhooks.record(connection, webhooks.alert_events(changes), moment)
            return changes

    def remove(self, client_id: str) -> list[Change] | None:
        """Take a counterparty out of the book; its alerts close (their history stays). None: not there."""
        moment = now()
        with self.db.reached() as engine, engine.begin() as connection:
            if not book.delete(connection, client_id):
                return None
            changes = alerts.close_for_client(connection, client_id, moment)
            webhooks.record(connection, webhooks.alert_events(changes), moment)
            return changes

    def suppressed(self, client_id: str, result: ScreenResult) -> dict[str, dict[str, Any]]:
        """Entity id → the decision, for each hit of this screening a decision cleared on the
        listed record as it is now (a record changed since is not suppressed)."""
        hits: list[Hit | LinkedHit] = [*result.hits, *result.linked_hits]
        if not hits:
            return {}
        with self.db.reached() as engine, engine.connect() as connection:
            cleared = alerts.cleared_on(connection, client_id, [hit.entity_id for hit in hits])
        if not cleared:
            return {}
        known = self.records.of(
            [(hit.list_id, result.lists[hit.list_id], hit.entity_id) for hit in hits if hit.entity_id in cleared]
        )
        out = {}
        for entity_id, row in cleared.items():
            digest = known.get(entity_id, (None, None))[0]
            if digest is not None and digest == row.decided_digest:
                decision = alerts.as_json(row)["decision"]
                out[entity_id] = {"alert_id": row.id, "state": row.state, **decision}
        return out
