"""Screening batches of counterparties for the book, in this process or on several cores.

Importing a large book and re-screening the part of it a list delta reaches are bound by
screening (a few milliseconds a counterparty), not by the database. With ``processes`` > 1
the screener's indexes are built first and worker processes forked from here (as ``screening
bulk`` does): they share the built index copy-on-write and screen whole batches while this
process reads the input and writes to the database, results collected in submission order.

A worker hands back only what the book keeps of a screening — the hits that match (direct
and linked), the list versions and the matcher — so that a batch's answer is small to send.
A query the screener refuses (a name of only punctuation…) comes back as the reason, for the
caller to report against its row; a list that cannot be screened against (Unavailable) fails
the batch, and the caller's import with it.
"""

from __future__ import annotations

import multiprocessing as mp
from collections.abc import Sequence
from dataclasses import replace
from types import TracebackType
from typing import Protocol

from service.errors import BadRequest
from service.forking import finish
from service.matching.types import Query, ScreenResult
from service.screening import Screener

Outcome = ScreenResult | str  # a screening (its matches only), or why the query was refused

_screener: Screener | None = None  # the forked workers' screener, inherited from the parent


def kept(result: ScreenResult) -> ScreenResult:
    """A screening reduced to what the book keeps: the matching hits (no non-matching ones)."""
    return replace(
        result,
        hits=tuple(hit for hit in result.hits if hit.match),
        linked_hits=tuple(hit for hit in result.linked_hits if hit.match),
    )


def screen(screener: Screener, queries: Sequence[Query]) -> list[Outcome]:
    """Each query's outcome. One refused query does not sink its batch: the batch is then
    screened one query at a time, so that each refusal is told apart."""
    if not queries:
        return []
    try:
        return [kept(result) for result in screener.screen_many(queries)]
    except BadRequest:
        if len(queries) == 1:
            return [_refusal(screener, queries[0])]
    return [_refusal(screener, query) for query in queries]


def _refusal(screener: Screener, query: Query) -> Outcome:
    try:
        return kept(screener.screen_many([query])[0])
    except BadRequest as exc:
        return exc.message


def _screen_in_worker(queries: Sequence[Query]) -> list[Outcome]:
    assert _screener is not None
    return screen(_screener, queries)


class Pending(Protocol):
    def get(self) -> list[Outcome]: ...


class _Done:
    def __init__(self, outcomes: list[Outcome]) -> None:
        self.outcomes = outcomes

    def get(self) -> list[Outcome]:
        return self.outcomes


class ScreeningPool:
    """``with ScreeningPool(screener, processes) as pool: pool.submit(queries).get()``.

    One process: ``submit`` screens at once. More: it queues the batch on forked workers and
    ``get`` waits for it (raising what the worker raised, Unavailable included).
    """

    def __init__(self, screener: Screener, processes: int = 1) -> None:
        self.screener = screener
        self.processes = max(1, processes)
        self._pool: mp.pool.Pool | None = None

    def __enter__(self) -> ScreeningPool:
        global _screener
        if self.processes > 1:
            # Built before forking, so that the workers inherit the indexes instead of each building them.
            self.screener.indexes(self.screener.enabled)
            _screener = self.screener
            self._pool = mp.get_context("fork").Pool(self.processes)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        global _screener
        if self._pool is not None:
            finish(self._pool, failed=kind is not None)
            self._pool = None
            _screener = None

    @property
    def depth(self) -> int:
        """Batches worth keeping in flight: enough to keep every worker busy while this
        process writes, few enough to hold little; none when this process screens them."""
        return 0 if self._pool is None else self.processes * 2

    def submit(self, queries: Sequence[Query]) -> Pending:
        if self._pool is None:
            return _Done(screen(self.screener, queries))
        return self._pool.apply_async(_screen_in_worker, (list(queries),))
