"""Importing a book from CSV: read as bulk screening reads (``service.bulk.reader``), the id
column as the client id; each bad row reported with its line, every good one put and screened
in batches.

Screening is what an import costs, so it is done once per distinct counterparty: rows that
would screen the same thing (same name, kind, address, country, birth date, identifiers;
the client id and tags do not count) share one screening, within a batch and across the
file (the last ``REMEMBERED`` distinct screenings are kept). With ``processes`` > 1 batches
are screened on forked workers (``ScreeningPool``) while this process writes the batches
already screened.

Each batch is written in one transaction (the book, its alerts and their history, the
webhook outbox), committed before the next: an import that fails half-way (a list gone
stale: 503; the database gone) leaves every batch before the failing one imported and
nothing of it or after it; the error says how far it got, and importing the file again
finishes the job (a counterparty put twice is replaced, its alerts reconciled, not doubled).
A row the screener refuses (a name of only punctuation…) is reported with its line like any
other bad row; none is dropped silently.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from service.bulk.reader import CsvInput, NotCsv
from service.errors import ScreeningError
from service.matching.types import Query, ScreenResult
from service.monitoring.book import CLIENT_ID_MAX, Counterparty
from service.monitoring.monitor import Monitor
from service.monitoring.screening_pool import Outcome, Pending, ScreeningPool

BATCH = 500
REMEMBERED = 200_000  # distinct screenings kept for later rows of the same file


@dataclass
class _Batch:
    parties: list[Counterparty]
    lines: list[int]
    queries: list[Query]
    known: dict[Query, Outcome]  # screened before this batch was sent
    sent: list[Query]  # screened for it now (the rest: by a batch still in flight before it)
    pending: Pending


@dataclass
class Report:
    rows: int = 0
    imported: int = 0
    screened: int = 0  # distinct screenings made (imported minus the rows that shared one)
    alerts_opened: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    last_line: int = 0  # the last line of the last batch committed

    def as_json(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "imported": self.imported,
            "screened": self.screened,
            "alerts_opened": self.alerts_opened,
            "errors": self.errors,
        }


def _rows(source: CsvInput, report: Report) -> Iterator[tuple[int, Counterparty]]:
    """(line, counterparty) of each good row; each bad one reported."""
    seen: set[str] = set()
    for row in source:
        report.rows += 1
        client_id = (row.fields.get("row_id") or "").strip()
        problem = row.error
        if not client_id:
            problem = "no client id (the id column is empty)"
        elif len(client_id) > CLIENT_ID_MAX:
            problem = f"the client id is longer than {CLIENT_ID_MAX} characters"
        elif client_id in seen:
            problem = f"client id {client_id!r} is given twice in this file"
        if problem is not None or row.query is None:
            report.errors.append(
                {"row": row.line, "client_id": client_id or None, "error": problem or "nothing to screen"}
            )
            continue
        seen.add(client_id)
        yield row.line, Counterparty.of(client_id, row.query)


def import_csv(
    target: Monitor,
    stream: BinaryIO,
    *,
    batch_size: int = BATCH,
    processes: int = 1,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Import a CSV of counterparties in batches: {rows, imported, screened, alerts_opened, errors}."""
    source = CsvInput(stream)
    if "row_id" not in source.mapping:
        raise NotCsv("the file has no id column: each counterparty needs its client id (a column named id)")
    report = Report()
    remembered: dict[Query, Outcome] = {}
    in_flight: set[Query] = set()
    waiting: deque[_Batch] = deque()

    def send(pool: ScreeningPool, parties: list[Counterparty], lines: list[int]) -> None:
        queries = [party.query() for party in parties]
        known = {query: remembered[query] for query in queries if query in remembered}
        sent = [query for query in dict.fromkeys(queries) if query not in known and query not in in_flight]
        in_flight.update(sent)
        report.screened += len(sent)
        waiting.append(_Batch(parties, lines, queries, known, sent, pool.submit(sent)))

    def finish() -> None:
        batch = waiting.popleft()
        outcomes = batch.known
        for query, outcome in zip(batch.sent, batch.pending.get()):
            remembered[query] = outcome
            in_flight.discard(query)
        good: list[Counterparty] = []
        results: list[ScreenResult] = []
        for party, line, query in zip(batch.parties, batch.lines, batch.queries):
            outcome = outcomes.get(query) or remembered[query]  # screened by an earlier batch in flight
            if isinstance(outcome, str):
                report.errors.append({"row": line, "client_id": party.client_id, "error": outcome})
                continue
            good.append(party)
            results.append(outcome)
        changes = target.record(good, results) if good else []
        report.imported += len(good)
        report.alerts_opened += sum(c.event in ("opened", "reopened") for c in changes)
        report.last_line = batch.lines[-1]
        if len(remembered) > REMEMBERED:  # forget the older half (never what a batch in flight awaits)
            for query in list(remembered)[: len(remembered) // 2]:
                del remembered[query]
        if progress is not None:
            progress(report.imported)

    try:
        with ScreeningPool(target.screener, processes) as pool:
            parties: list[Counterparty] = []
            lines: list[int] = []
            for line, party in _rows(source, report):
                parties.append(party)
                lines.append(line)
                if len(parties) >= batch_size:
                    send(pool, parties, lines)
                    parties, lines = [], []
                    while len(waiting) > pool.depth:
                        finish()
            if parties:
                send(pool, parties, lines)
            while waiting:
                finish()
    except ScreeningError as exc:
        where = f"up to line {report.last_line}" if report.imported else "none"
        exc.message = (
            f"{exc.message} (import stopped: {report.imported:,} counterparties imported, {where};"
            " the rest not; import the file again to finish: those already in the book are replaced)"
        )
        exc.args = (exc.message,)
        raise
    return report.as_json()
