"""Screening rows in batches: once per distinct query, through ``Screener.screen_many``.

Customer books repeat themselves (the same supplier on many invoices, the same name and
country on many accounts), so a run screens each distinct query once and keeps the result
while the list versions it was made on are still the ones served: the cache is emptied
the moment any list switches version. Each batch first asks the screener for the current
indexes (one Redis round trip), so a missing or stale list stops the run with
``Unavailable`` before a single row of that batch is written: never a "clear" by default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from service.bulk.reader import Row
from service.bulk.summary import Summary
from service.bulk.writer import Outcome, Writer, matching_lists
from service.errors import BadRequest
from service.matching.types import Query, ScreenResult
from service.screening import Screener

# Records a batch's screened rows in the audit trail (service.audit.AuditTrail.bulk_rows with
# the request's context); returns their screening ids, in order.
Recorder = Callable[[Sequence[tuple[int, str, Query, ScreenResult, str]]], list[str]]

# Distinct queries remembered per process (least recently used forgotten first). A file of a
# million rows holds about half a million distinct (name, country) pairs: at 50,000 a third
# of the screenings were of queries already screened and forgotten. An entry costs about
# 550 bytes (the query ~260, the result ~290 with its list versions shared), so this bounds
# the cache near 300 MB per process.
CACHE_SIZE = 500_000
BATCH_ROWS = 500  # rows screened per screen_many call


class Engine:
    def __init__(self, screener: Screener, *, cache_size: int = CACHE_SIZE) -> None:
        self.screener = screener
        self.cache_size = cache_size
        self._cache: dict[Query, ScreenResult] = {}
        self._versions: dict[str, str] = {}
        self._shared_lists: dict[str, str] = {}  # one dict of versions held by every cached result
        self.screened = 0  # distinct queries actually screened (cache misses)

    def _current_versions(self, queries: Sequence[Query]) -> dict[str, str]:
        wanted: list[str] = []
        for query in queries:
            for list_id in query.lists or self.screener.enabled:
                if list_id not in wanted:
                    wanted.append(list_id)
        return {list_id: index.version for list_id, index in self.screener.indexes(wanted).items()}

    def screen(self, rows: Sequence[Row]) -> list[Outcome]:
        """One outcome per row, in order. Raises Unavailable when the lists cannot be screened."""
        queries = [row.query for row in rows if row.query is not None]
        if not queries:
            return [Outcome(row, None) for row in rows]
        versions = self._current_versions(queries)
        if any(self._versions.get(k) != v for k, v in versions.items()):
            self._cache.clear()  # a list switched version: nothing remembered holds any more
            self._versions = dict(versions)
        cache = self._cache
        found: dict[Query, ScreenResult] = {}
        missing: list[Query] = []
        for query in dict.fromkeys(queries):
            known = cache.pop(query, None)
            if known is None:
                missing.append(query)
            else:
                found[query] = cache[query] = known  # re-inserted last: the least recently used go first
        errors: dict[Query, str] = {}
        for query, result in zip(missing, self._screen_many(missing, errors) if missing else []):
            if result is None:
                continue
            if any(self._versions.get(k) != v for k, v in result.lists.items()):
                self._versions = {}  # a list switched between the two reads: the next batch starts afresh
            if result.lists is not self._shared_lists:
                if result.lists == self._shared_lists:
                    # Equal versions, one dict: saves ~250 bytes a cached result (the same result).
                    result = dataclasses.replace(result, lists=self._shared_lists)
                else:
                    self._shared_lists = result.lists
            found[query] = result
            if len(cache) >= self.cache_size:
                del cache[next(iter(cache))]
            cache[query] = result
        outcomes = []
        for row in rows:
            if row.query is None:
                outcomes.append(Outcome(row, None))
            elif row.query in errors:
                outcomes.append(Outcome(row, None, errors[row.query]))
            else:
                outcomes.append(Outcome(row, found[row.query]))
        return outcomes

    def unknown(self, queries: Sequence[Query]) -> list[Query]:
        """The distinct queries of ``queries`` that this engine holds no result for."""
        return [query for query in dict.fromkeys(queries) if query not in self._cache]

    def screened_apart(self, queries: Sequence[Query]) -> list[tuple[Query, ScreenResult]]:
        """Screen distinct queries for another engine's ``prime`` (a query that cannot be
        screened is left out: that engine finds it unknown and screens it, to say why)."""
        errors: dict[Query, str] = {}
        results = self._screen_many(list(queries), errors)
        return [(query, result) for query, result in zip(queries, results) if result is not None]

    def prime(self, screened: Sequence[tuple[Query, ScreenResult]]) -> None:
        """Remember results screened elsewhere (``screened_apart`` in another process), if
        made on the list versions current now; ``screen`` then finds them."""
        if not screened:
            return
        versions = self._current_versions([query for query, _ in screened])
        if any(self._versions.get(k) != v for k, v in versions.items()):
            self._cache.clear()
            self._versions = dict(versions)
        for query, result in screened:
            if any(self._versions.get(k) != v for k, v in result.lists.items()):
                continue  # made on another version: screened again here
            if len(self._cache) >= self.cache_size:
                del self._cache[next(iter(self._cache))]
            self._cache[query] = result

    def _screen_many(self, queries: list[Query], errors: dict[Query, str]) -> list[ScreenResult | None]:
        self.screened += len(queries)
        try:
            return list(self.screener.screen_many(queries))
        except BadRequest:
            pass  # one query has nothing to match (a name of only punctuation): find which
        results: list[ScreenResult | None] = []
        for query in queries:
            try:
                results.append(self.screener.screen(query))
            except BadRequest as exc:
                errors[query] = exc.message
                results.append(None)
        return results


def render(
    engine: Engine,
    writer: Writer,
    rows: Sequence[Row],
    summary: Summary | None = None,
    recorder: Recorder | None = None,
) -> tuple[str, Summary]:
    """Screen ``rows`` and format them: the output text and the counts of this batch. With a
    ``recorder``, the screened rows are recorded (before any is written) and each output row
    carries its screening id; without one (``screening bulk``), there is none."""
    counts = Summary()
    records = []
    outcomes = engine.screen(rows)
    verdicts = [writer.decide(outcome) for outcome in outcomes]
    ids: dict[int, str] = {}
    if recorder is not None:
        screened = [
            (o.row.number, o.row.row_id, o.row.query, o.result, verdict)
            for o, verdict in zip(outcomes, verdicts)
            if verdict != "error" and o.row.query is not None and o.result is not None
        ]
        ids = dict(zip((item[0] for item in screened), recorder(screened))) if screened else {}
    for outcome, verdict in zip(outcomes, verdicts):
        lists = matching_lists(outcome.result) if outcome.result and verdict == "hit" else None
        counts.add(verdict, lists)
        records.extend(writer.records(outcome, verdict, ids.get(outcome.row.number)))
    if summary is not None:
        summary.merge(counts)
    return writer.format(records), counts
