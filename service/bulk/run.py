"""Screening a whole file in this process (``screening bulk``), optionally on several cores.

With ``processes`` > 1 the screener's indexes are built first, then worker processes are
forked: they share the built index copy-on-write (it is frozen out of the garbage
collector's sight, so its pages stay shared), and each screens whole batches. The parent
reads the file and writes the output in input order, holding only a few batches at a time.
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
from service.screening import Screener

Progress = Callable[[int], None]  # called with the rows done so far

_engine: Engine | None = None
_writer: Writer | None = None


def _render(rows: list[Row]) -> tuple[str, Summary]:
    assert _engine is not None and _writer is not None
    return render(_engine, _writer, rows)


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
    global _engine, _writer
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
    _engine, _writer = engine, writer
    pool = mp.get_context("fork").Pool(processes)
    try:
        pending: deque[mp.pool.AsyncResult[tuple[str, Summary]]] = deque()

        def collect() -> None:
            text, counts = pending.popleft().get()
            out.write(text)
            summary.merge(counts)
            if progress:
                progress(summary.rows)

        for batch in batches(rows):
            pending.append(pool.apply_async(_render, (batch,)))
            while len(pending) >= processes * 3:
                collect()
        while pending:
            collect()
    finally:
        pool.terminate()
        pool.join()
        _engine = _writer = None
    return summary
