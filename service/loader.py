"""Loading one list: raw files → parser → entities → a new version in the store.

A load either publishes a complete new version or changes nothing that readers see. Loading
files identical to the served version is a no-op, reported as such.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from service import sources
from service.errors import LoadError, failure_message
from service.store import ListStore, ListVersion

Progress = Callable[[int], None]  # called with the number of entities read so far


@dataclass(frozen=True)
class LoadResult:
    list_id: str
    unchanged: bool  # the files equal the served version's: nothing was written
    version: ListVersion


def describe_files(paths: Sequence[Path]) -> tuple[list[dict[str, object]], str]:
    """Name, size and SHA-256 of each file, and one checksum over the whole set."""
    files = []
    overall = hashlib.sha256()
    for path in sorted(paths, key=lambda p: p.name):
        digest = hashlib.sha256()
        size = 0
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
                size += len(chunk)
        files.append({"name": path.name, "sha256": digest.hexdigest(), "bytes": size})
        overall.update(path.name.lower().encode() + b"\0" + digest.digest())
    return files, overall.hexdigest()


def load_list(
    store: ListStore,
    list_id: str,
    fmt: str,
    paths: Sequence[Path],
    *,
    progress: Progress | None = None,
) -> LoadResult:
    """Load ``paths`` as a new version of ``list_id``; a failure is recorded for /v1/lists."""
    with store.lock(list_id):
        try:
            return _load(store, list_id, fmt, [Path(p) for p in paths], progress)
        except Exception as exc:
            store.record_error(list_id, failure_message(exc))
            raise


def _load(store: ListStore, list_id: str, fmt: str, paths: list[Path], progress: Progress | None) -> LoadResult:
    for path in paths:
        if not path.is_file():
            raise LoadError(f"{list_id}: {path} is not a file")
    files, checksum = describe_files(paths)
    served = store.version(list_id)
    if served is not None and served.checksum == checksum:
        store.mark_checked(list_id)
        return LoadResult(list_id, True, store.version(list_id) or served)

    parsed = sources.read(fmt, paths, list_id)
    writer = store.begin(list_id, fmt=fmt, files=files, checksum=checksum)
    try:
        for n, entity in enumerate(parsed.entities, 1):
            writer.add(entity)
            if progress is not None and n % 1000 == 0:
                progress(n)
        if progress is not None:
            progress(writer.stats.entities)
        # ``published`` may only be known once the whole file was read.
        published = parsed.published.isoformat() if parsed.published else None
        return LoadResult(list_id, False, writer.commit(published))
    except BaseException:
        writer.abort()
        raise
