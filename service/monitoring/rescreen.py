"""Re-screening the book when a list changes: by the delta, not the whole book against the whole list.

When a list's version switches, only the listed entities it added or changed can raise a new
alert. The book is indexed like a list (a ``ListIndex`` over the counterparties' names,
addresses and identifiers: the same normalisation and candidate selection), and each added or
changed listed record is looked up *in the book* by its names and identifiers. The
counterparties it reaches — and those with an alert on a changed entity — are then screened
again in full, forward, exactly as ``POST /v1/screen`` would, and their alerts reconciled:
a new match opens an alert, a cleared one reopens if its listed record changed (the digest
moved) and stays cleared if not. Entities the version removed close their alerts.

The version each list was last screened against is kept in the database (``state``) and
moved on only after the re-screening committed: a re-screening killed half-way runs again.
Where the store's per-version deltas cannot say exactly what changed since then (several
versions passed and one delta was truncated, or the chain is broken), the whole book is
screened again instead, as it is when the matcher's version changes (``rescreen_all``:
resumable, from a checkpoint of the last client id done).
"""

from __future__ import annotations

import gc
import logging
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from service import webhooks
from service.database import counterparties
from service.matching import ssm2
from service.matching.algorithms import DEFAULT_ALGORITHM as ALGORITHM
from service.matching.index import ListIndex
from service.matching.normalize import identifier_key
from service.matching.score import DEFAULT_THRESHOLD, prepare_name
from service.monitoring import alerts, book, state
from service.monitoring.book import Counterparty
from service.monitoring.monitor import Monitor, now
from service.monitoring.screening_pool import Pending, ScreeningPool
from service.screening import REVIEW_MARGIN
from service.store import ListStore

log = logging.getLogger(__name__)

BOOK = "book"
CANDIDATES = 200  # counterparties per listed name looked at
# Reverse lookup is only a net: what it catches is screened forward, at the real threshold.
FLOOR = DEFAULT_THRESHOLD - REVIEW_MARGIN - 0.15
BATCH = 500  # counterparties screened and reconciled together


def entity_of(party: Counterparty) -> dict[str, Any]:
    """A counterparty in the form of a listed entity, for the book's index."""
    entity: dict[str, Any] = {"id": party.client_id, "kind": party.kind if party.kind != "any" else "organization"}
    if party.name:
        entity["names"] = [{"full": party.name, "type": "primary"}]
    if party.address:
        entity["addresses"] = [party.address]
    if party.country:
        entity["countries"] = [party.country]
    if party.identifiers:
        entity["identifiers"] = [{"value": i["value"], "type": i.get("type")} for i in party.identifiers]
    return entity


class BookIndex:
    """The book indexed like a list; rebuilt when the book changed since it was built."""

    def __init__(self) -> None:
        self.index: ListIndex | None = None
        self.signature: tuple[Any, ...] | None = None

    @staticmethod
    def _signature(connection: sa.Connection) -> tuple[Any, ...]:
        row = connection.execute(
            sa.select(sa.func.count(), sa.func.max(counterparties.c.updated_at)).select_from(counterparties)
        ).one()
        return tuple(row)

    def get(self, connection: sa.Connection) -> ListIndex:
        signature = self._signature(connection)
        if self.index is None or signature != self.signature:
            self.index = None  # the old one freed before the new one is built, not after
            self.index = ListIndex(BOOK, str(signature), (entity_of(p) for p in book.every(connection)))
            self.signature = signature
            # As the screener does with a list's index: millions of long-lived objects moved out
            # of the garbage collector's sight (each full collection would walk them all, and a
            # forked screening process would copy the pages it touches doing so).
            gc.collect()
            gc.freeze()
        return self.index

    def reached_by(self, index: ListIndex, records: Iterable[Mapping[str, Any]]) -> set[str]:
        """Client ids of the counterparties these listed records may match (by name or identifier)."""
        found: set[int] = set()
        for record in records:
            for name in record.get("names", ()):
                if not name.get("full"):
                    continue
                prepared = prepare_name(name["full"], name.get("type", "primary"))
                if not prepared.tokens:
                    continue
                # Looked up as ssm-1 reads the name and as ssm-2 does (digits read as letters,
                # endings and particles taken off): the book is screened with either.
                for form in dict.fromkeys([prepared, ssm2.search_form(prepared)]):
                    found.update(c.entity for c in index.name_candidates(form, CANDIDATES, FLOOR))
            keys = [key for i in record.get("identifiers", ()) if (key := identifier_key(i.get("value", "")))]
            found.update(index.identifier_candidates(keys))
        return {index.entities[number].id for number in found}


@dataclass
class Delta:
    added: set[str] = field(default_factory=set)
    changed: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)


def delta_between(store: ListStore, list_id: str, since: str, until: str) -> Delta | None:
    """What the list changed from version ``since`` to ``until``, from the store's per-version
    deltas (newest first); None when they cannot say it exactly."""
    chain = []
    version = until
    by_version = {d["version"]: d for d in store.changes(list_id)}
    while version != since:
        found = by_version.get(version)
        if found is None or found.get("truncated"):
            return None
        chain.append(found)
        version = found["previous_version"]
    out = Delta()
    for step in reversed(chain):  # oldest first: a later step overrides an earlier one
        for kind in ("added", "changed", "removed"):
            ids = {e["id"] for e in step[kind]}
            getattr(out, kind).update(ids)
            for other in {"added", "changed", "removed"} - {kind}:
                getattr(out, other).difference_update(ids)
    return out


@dataclass
class Report:
    lists: dict[str, str] = field(default_factory=dict)  # list id → what was done
    screened: int = 0
    opened: int = 0
    reopened: int = 0
    closed: int = 0

    def count(self, changes: Sequence[alerts.Change]) -> None:
        for change in changes:
            if change.event in ("opened", "reopened", "closed"):
                setattr(self, change.event, getattr(self, change.event) + 1)


class Rescreener:
    def __init__(
        self,
        monitor: Monitor,
        store: ListStore,
        enabled: Sequence[str],
        *,
        enqueue_all: Callable[[], bool] | None = None,
        processes: int = 1,
    ) -> None:
        """``enqueue_all``: hand a whole-book re-screening to a background job (RQ) rather than
        run it here; it returns whether it queued one (False: one is queued or running).
        ``processes``: screening processes (forked for each round that screens)."""
        self.processes = processes
        self.monitor = monitor
        self.store = store
        self.enabled = list(enabled)
        self.enqueue_all = enqueue_all
        self.book_index = BookIndex()

    def _pool(self) -> ScreeningPool:
        return ScreeningPool(self.monitor.screener, self.processes)

    def _screen(self, pool: ScreeningPool, client_ids: Sequence[str], reason: str, report: Report) -> None:
        """Screen these counterparties again in batches (on the pool's workers while this
        process reconciles the batches done), each batch's alerts in one transaction."""
        ids = sorted(client_ids)
        waiting: deque[tuple[list[Counterparty], Pending]] = deque()

        def finish() -> None:
            parties, pending = waiting.popleft()
            done = [(p.client_id, r) for p, r in zip(parties, pending.get()) if not isinstance(r, str)]
            if len(done) < len(parties):  # accepted when put, refused now: the matcher changed its mind
                log.warning("%d counterparties could not be screened again", len(parties) - len(done))
            report.count(self.monitor.reconcile([i for i, _ in done], [r for _, r in done], reason))
            report.screened += len(done)

        for start in range(0, len(ids), BATCH):
            parties = self.monitor.parties(ids[start : start + BATCH])
            waiting.append((parties, pool.submit([party.query() for party in parties])))
            while len(waiting) > pool.depth:
                finish()
        while waiting:
            finish()

    def run_once(self, progress: Callable[[str], None] | None = None) -> Report:
        """Bring the book up to every list's current version (and the matcher's); what it did."""
        report = Report()
        db = self.monitor.db
        with db.reached() as engine, engine.connect() as connection:
            known = state.read(connection)
        if not known:
            return report  # the book was never screened: nothing to bring up to date
        algorithm = known.get(state.ALGORITHM_KEY, {})
        if algorithm.get("version") != ALGORITHM or algorithm.get("after") is not None:
            why = f"matcher {algorithm.get('version')} → {ALGORITHM}"
            self._whole_book(report, progress, why)
            return report
        current = self.store.current()
        for list_id in self.enabled:
            until = current.get(list_id)
            since = known.get(state.list_key(list_id), {}).get("version")
            if until is None or since == until:
                continue
            delta = delta_between(self.store, list_id, since, until) if since is not None else None
            if delta is None:
                why = f"{list_id} {since} → {until}: the deltas cannot say what changed"
                # Recorded as a matcher change would be, so that later rounds resume this run
                # (or wait for its job) instead of starting it over.
                with db.reached() as engine, engine.begin() as connection:
                    state.write(connection, state.ALGORITHM_KEY, {"version": why, "after": None}, now())
                self._whole_book(report, progress, why)
                return report
            self._apply(list_id, until, delta, report)
            report.lists[list_id] = (
                f"{since} → {until}: {len(delta.added)} added, {len(delta.changed)} changed,"
                f" {len(delta.removed)} removed"
            )
            if progress is not None:
                progress(f"{list_id}: {report.lists[list_id]}")
        return report

    def _whole_book(self, report: Report, progress: Callable[[str], None] | None, why: str) -> None:
        if self.enqueue_all is None:
            report.lists["*"] = why
            self.rescreen_all(report, progress)
            return
        queued = self.enqueue_all()
        report.lists["*"] = f"{why}: whole book {'queued' if queued else 'already queued or running'} (RQ)"

    def _apply(self, list_id: str, version: str, delta: Delta, report: Report) -> None:
        fresh = sorted(delta.added | delta.changed)
        records = [r for r in self.store.entities(list_id, version, fresh) if r is not None]
        db = self.monitor.db
        with db.reached() as engine, engine.connect() as connection:
            reached = self.book_index.reached_by(self.book_index.get(connection), records)
            if delta.changed:
                rows = connection.execute(
                    sa.select(alerts.alerts.c.client_id).where(alerts.alerts.c.entity_id.in_(sorted(delta.changed)))
                )
                reached.update(row.client_id for row in rows)
        with self._pool() as pool:
            self._screen(pool, sorted(reached), f"{list_id} version {version}", report)
        with db.reached() as engine, engine.begin() as connection:
            moment = now()
            removed = alerts.close_for_entities(
                connection, sorted(delta.removed), moment, reason=f"removed from {list_id} in version {version}"
            )
            report.count(removed)
            counts = {"added": len(delta.added), "changed": len(delta.changed), "removed": len(delta.removed)}
            update = {"list_id": list_id, "version": version, "counts": counts, "screened": len(reached)}
            webhooks.record(connection, [*webhooks.alert_events(removed), ("list.updated", update)], moment)
            state.write(connection, state.list_key(list_id), {"version": version}, moment)

    def rescreen_all(
        self, report: Report, progress: Callable[[str], None] | None = None, *, restart: bool = False
    ) -> None:
        """Screen the whole book again, in client-id order, a checkpoint after each batch: a run
        killed half-way resumes after the last batch done. Then every list and the matcher are
        recorded as screened against."""
        db = self.monitor.db
        current = self.store.current()
        with db.reached() as engine, engine.begin() as connection:
            known = state.read(connection).get(state.ALGORITHM_KEY, {})
            after = None if restart else known.get("after")
            state.write(connection, state.ALGORITHM_KEY, {"version": known.get("version"), "after": after}, now())
        with self._pool() as pool:
            while True:
                with db.reached() as engine, engine.connect() as connection:
                    ids = [p.client_id for p in book.page(connection, after=after, limit=BATCH * (pool.depth + 1))]
                if not ids:
                    break
                self._screen(pool, ids, "whole book screened again", report)
                after = ids[-1]
                with db.reached() as engine, engine.begin() as connection:
                    checkpoint = {"version": known.get("version"), "after": after}
                    state.write(connection, state.ALGORITHM_KEY, checkpoint, now())
                if progress is not None:
                    progress(f"whole book: {report.screened:,} screened, up to {after}")
        with db.reached() as engine, engine.begin() as connection:
            moment = now()
            for list_id in self.enabled:
                if list_id in current:
                    state.write(connection, state.list_key(list_id), {"version": current[list_id]}, moment)
            state.write(connection, state.ALGORITHM_KEY, {"version": ALGORITHM, "after": None}, moment)
        report.lists["*"] = "whole book screened again"
