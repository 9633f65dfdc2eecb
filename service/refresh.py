"""Bringing every enabled list up to date: find or download its newest source, then load it.

Each list succeeds or fails on its own; a list that fails keeps serving its last good
version, and the failure is recorded for /v1/lists and /readyz. ``repeat`` runs such rounds
on a schedule (``screening lists update --every 1h``).
"""

from __future__ import annotations

import logging
import re
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from service import catalog, download
from service.catalog import Manifest
from service.errors import LoadError, NetworkUnreachable, failure_message
from service.loader import LoadResult, Progress, load_list
from service.store import ListStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    list_id: str
    status: str  # "loaded", "unchanged" or "failed"
    seconds: float
    result: LoadResult | None = None
    error: str | None = None
    files: tuple[Path, ...] = ()
    chosen: str | None = None  # folder mode: which file was chosen and why
    index_seconds: float | None = None  # the machine's index file of the version built in this long
    index_error: str | None = None  # why it could not be (the load stands; workers build it)


def _download_newest(
    manifest: Manifest, folder: Path, timeout: float, retries: int, backoff: float
) -> tuple[str, list[Path]]:
    """The first of the manifest's sources that downloads and passes its sanity check."""
    errors = []
    for source in manifest.sources:
        try:
            return source.format, download.download(
                source,
                manifest.id,
                folder / manifest.id / source.format,
                timeout=timeout,
                retries=retries,
                backoff=backoff,
            )
        except NetworkUnreachable:
            raise  # no other source can download either
        except LoadError as exc:
            errors.append(exc.message)
    raise LoadError("; ".join(errors))


def refresh(
    store: ListStore,
    manifests: list[Manifest],
    *,
    lists_dir: Path | None,
    downloads_dir: Path,
    timeout: float = 120,
    retries: int = 3,
    backoff: float = 2.0,
    progress: Callable[[str], Progress | None] = lambda list_id: None,
    index_dir: Path | None = None,
) -> list[Outcome]:
    """Load each list from ``lists_dir`` when given, else from its official URLs; with
    ``index_dir``, then build this machine's index file of each version loaded (``build_index``)."""
    found = catalog.discover(lists_dir) if lists_dir is not None else None
    outcomes = []
    offline_since: str | None = None  # once the network is known down, no list tries it
    for manifest in manifests:
        started = time.perf_counter()
        paths: list[Path] = []
        chosen = None
        try:
            try:
                if found is not None:
                    assert lists_dir is not None
                    source = found.get(manifest.id)
                    if source is None:
                        raise LoadError(f"{manifest.id}: no file of this list in {lists_dir}")
                    fmt, paths, chosen = source.format, list(source.paths), source.why(lists_dir)
                elif offline_since is not None:
                    raise NetworkUnreachable(
                        f"{manifest.id}: not downloaded: the network was found out of reach ({offline_since})"
                        "; set SCREENING_LISTS_DIR to read list files from a folder"
                    )
                else:
                    try:
                        fmt, paths = _download_newest(manifest, downloads_dir, timeout, retries, backoff)
                    except NetworkUnreachable:
                        offline_since = f"downloading {manifest.id}"
                        raise
            except LoadError as exc:
                store.record_error(manifest.id, exc.message)  # load_list records its own failures
                raise
            # A killed load's lock lapses within one lease: wait that long rather than fail.
            result = load_list(
                store, manifest.id, fmt, paths, progress=progress(manifest.id), lock_wait=store.lock_lease + 1
            )
        except Exception as exc:  # noqa: BLE001 - one list's failure must not stop the others
            elapsed = time.perf_counter() - started
            error = failure_message(exc)
            outcomes.append(Outcome(manifest.id, "failed", elapsed, error=error, files=tuple(paths), chosen=chosen))
            continue
        status = "unchanged" if result.unchanged else "loaded"
        elapsed = time.perf_counter() - started
        index_seconds, index_error = None, None
        if index_dir is not None:
            index_seconds, index_error = build_index(store, index_dir, manifest.id, result.version.version)
        outcomes.append(
            Outcome(
                manifest.id,
                status,
                elapsed,
                result,
                files=tuple(paths),
                chosen=chosen,
                index_seconds=index_seconds,
                index_error=index_error,
            )
        )
    return outcomes


def build_index(store: ListStore, index_dir: Path, list_id: str, version: str) -> tuple[float | None, str | None]:
    """Build this machine's index file of a version just loaded (``service.index_file``), so
    that its workers open the file rather than build it while they answer 503. Returns the
    seconds it took (None: the file was there already) and the error, if it failed: a
    failure does not undo the load (Redis is the source of truth; a worker builds the file
    itself when it needs it), it is logged and reported."""
    from service import index_file

    if index_file.path_of(index_dir, list_id, version).exists():
        return None, None  # built already (a version left unchanged); workers verify it on opening
    started = time.perf_counter()
    try:
        index_file.open_or_build(store, index_dir, list_id, version)
    except Exception as exc:  # noqa: BLE001 - the load succeeded; the file is a cache
        error = failure_message(exc)
        log.warning("%s: the index file of version %s was not built: %s", list_id, version, error)
        return None, error
    return time.perf_counter() - started, None


# --- on a schedule ----------------------------------------------------------------------------

_UNITS = {"d": 86400, "h": 3600, "m": 60, "s": 1}


def parse_duration(text: str) -> float:
    """Seconds in ``1h``, ``30m``, ``90s``, ``1h30m``, ``2d`` or a plain number of seconds."""
    raw = text.strip().lower()
    if re.fullmatch(r"\d+", raw):
        seconds = int(raw)
    elif re.fullmatch(r"(\d+[dhms])+", raw):
        seconds = sum(int(n) * _UNITS[unit] for n, unit in re.findall(r"(\d+)([dhms])", raw))
    else:
        raise ValueError(f"{text!r} is not a duration: use e.g. 1h, 30m, 90s or 1h30m")
    if seconds < 1:
        raise ValueError(f"{text!r}: the interval must be at least 1s")
    return float(seconds)


def repeat(
    update_round: Callable[[], object], interval: float, *, stop: threading.Event, log: Callable[[str], None]
) -> int:
    """Run ``update_round`` every ``interval`` seconds, start to start (at once again when a round
    took longer), until ``stop`` is set; a round that raises is logged and the next one runs as
    planned. Returns the number of rounds run."""
    rounds = 0
    while not stop.is_set():
        started = time.monotonic()
        rounds += 1
        try:
            update_round()
        except Exception as exc:  # noqa: BLE001 - the next round may well succeed
            log(f"update round {rounds} failed: {failure_message(exc)}")
        if stop.is_set():
            break
        wait = max(0.0, interval - (time.monotonic() - started))
        log(f"next update round in {wait:.0f}s")
        stop.wait(wait)
    return rounds


@contextmanager
def stop_on_signals(stop: threading.Event, log: Callable[[str], None]) -> Iterator[None]:
    """SIGTERM or SIGINT sets ``stop``: the round running finishes (or the wait ends at once).
    A second signal interrupts the round: a load cut short leaves the last good version serving."""
    signals = (signal.SIGTERM, signal.SIGINT)

    def handle(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        log(f"{signal.Signals(signum).name}: stopping once this round is done")
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in signals}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
