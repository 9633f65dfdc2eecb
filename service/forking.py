"""A pool of forked worker processes that ends cleanly.

``Pool.terminate`` kills the workers with SIGTERM while one may hold the task queue's lock,
and the pool's own handler thread may meanwhile fork a replacement that then waits for that
lock forever: ``join`` never returns (seen: an import on two processes hung the test suite).
So a pool that finished its work is closed and joined (every worker takes its stop sentinel
and exits); only a pool left by an error is terminated.
"""

from __future__ import annotations

import multiprocessing as mp
import multiprocessing.pool
from collections.abc import Iterator
from contextlib import contextmanager


def finish(pool: multiprocessing.pool.Pool, failed: bool) -> None:
    """Close and join a pool that did its work; terminate one left by an error."""
    if failed:
        pool.terminate()
    else:
        pool.close()
    pool.join()


@contextmanager
def forked_pool(processes: int) -> Iterator[multiprocessing.pool.Pool]:
    pool = mp.get_context("fork").Pool(processes)
    try:
        yield pool
    except BaseException:
        finish(pool, failed=True)
        raise
    finish(pool, failed=False)
