"""Bringing every enabled list up to date: find or download its newest source, then load it.

Each list succeeds or fails on its own; a list that fails keeps serving its last good
version, and the failure is recorded for /v1/lists and /readyz.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from service import catalog, download
from service.catalog import Manifest
from service.errors import LoadError, failure_message
from service.loader import LoadResult, Progress, load_list
from service.store import ListStore


@dataclass(frozen=True)
class Outcome:
    list_id: str
    status: str  # "loaded", "unchanged" or "failed"
    seconds: float
    result: LoadResult | None = None
    error: str | None = None
    files: tuple[Path, ...] = ()


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
) -> list[Outcome]:
    """Load each list from ``lists_dir`` when given, else from its official URLs."""
    found = catalog.discover(lists_dir) if lists_dir is not None else None
    outcomes = []
    for manifest in manifests:
        started = time.perf_counter()
        paths: list[Path] = []
        try:
            try:
                if found is not None:
                    source = found.get(manifest.id)
                    if source is None:
                        raise LoadError(f"{manifest.id}: no file of this list in {lists_dir}")
                    fmt, paths = source.format, list(source.paths)
                else:
                    fmt, paths = _download_newest(manifest, downloads_dir, timeout, retries, backoff)
            except LoadError as exc:
                store.record_error(manifest.id, exc.message)  # load_list records its own failures
                raise
            result = load_list(store, manifest.id, fmt, paths, progress=progress(manifest.id))
        except Exception as exc:  # noqa: BLE001 - one list's failure must not stop the others
            elapsed = time.perf_counter() - started
            outcomes.append(Outcome(manifest.id, "failed", elapsed, error=failure_message(exc), files=tuple(paths)))
            continue
        status = "unchanged" if result.unchanged else "loaded"
        outcomes.append(Outcome(manifest.id, status, time.perf_counter() - started, result, files=tuple(paths)))
    return outcomes
