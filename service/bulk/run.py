"""Screening a whole file in this process (``screening bulk``), optionally on several cores.

With ``processes`` > 1 the screener's indexes are built first, then worker processes are
forked: they share the built index copy-on-write (it is frozen out of the garbage
collector's sight, so its pages stay shared). The parent reads the file and hands out each
batch's queries that it has not handed out before (a query repeated anywhere in the file is
screened once, in whichever process got it first), then formats the rows in input order
from the results (each row under its own id), holding only a few batches at a time.
"""

from __future__ import annotations

import multiprocessing as mp
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from service.bulk.engine import BATCH_ROWS, Engine, render
from service.bulk.reader import Row
from service.bulk.summary import Summary
from service.bulk.writer import Writer
from service.forking import forked_pool
from service.matching.types import Query, ScreenResult
from service.screening import Screener

Progress = Callable[[int], None]  # called with the rows done so far

_engine: Engine | None = None  # a forked worker's: screens the queries handed to it


def _screen(queries: list[Query]) -> list[tuple[Query, ScreenResult]]:
    assert _engine is not None
    return _engine.screened_apart(queries)


def batches(rows: Iterable[Row], size: int = BATCH_ROWS) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def screen_file(
    screener: Screener,
    rows: Iterable[Row],
    out: TextIO,
    writer: Writer,
    *,
    processes: int = 1,
    progress: Progress | None = None,
) -> Summary:
    """Screen every row, writing the output (header first) to ``out``; returns the counts.
    Raises ``Unavailable`` (after writing what was screened before) when the lists fail."""
    global _engine
    summary = Summary()
    out.write(writer.header())
    engine = Engine(screener)
    if processes <= 1:
        for batch in batches(rows):
            text, _ = render(engine, writer, batch, summary)
            out.write(text)
            if progress:
                progress(summary.rows)
        return summary
    # Build every index before forking, so the children inherit it instead of each building one.
    screener.indexes(screener.enabled)
    _engine = Engine(screener)
    try:
        with forked_pool(processes) as pool:
            # A batch waits for the screenings of its new queries, and of those it repeats from
            # batches still in flight (handed out, not yet back).
            pending: deque[tuple[list[Row], list[mp.pool.AsyncResult[list[tuple[Query, ScreenResult]]]]]] = deque()
            in_flight: dict[Query, mp.pool.AsyncResult[list[tuple[Query, ScreenResult]]]] = {}

            def collect() -> None:
                rows, waits = pending.popleft()
                for wait in dict.fromkeys(waits):
                    screened = wait.get()
                    engine.prime(screened)
                    for query, _ in screened:
                        if in_flight.get(query) is wait:
                            del in_flight[query]
                text, _ = render(engine, writer, rows, summary)
                out.write(text)
                if progress:
                    progress(summary.rows)

            for batch in batches(rows):
                queries = [row.query for row in batch if row.query is not None]
                waits = [in_flight[q] for q in dict.fromkeys(queries) if q in in_flight]
                new = [q for q in engine.unknown(queries) if q not in in_flight]
                if new:
                    handed = pool.apply_async(_screen, (new,))
                    in_flight.update(dict.fromkeys(new, handed))
                    waits.append(handed)
                pending.append((batch, waits))
                while len(pending) >= processes * 3:
                    collect()
            while pending:
                collect()
    finally:
        _engine = None
    return summary
