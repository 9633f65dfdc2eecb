"""Loading one list: raw files → parser → entities → a new version in the store.

A load either publishes a complete new version or changes nothing that readers see. Loading
files identical to the served version is a no-op, reported as such. A list never goes back in
time by accident: files of an older publication than the version served are refused unless
the operator forces them (``allow_older``, recorded in the version). A load whose source lacks
aliases or addresses the previous version had is made, and warns (``ListVersion.warnings``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from service import sources
from service.errors import LoadError, OlderPublication, failure_message
from service.sources import ParsedList
from service.store import ListStore, ListVersion

Progress = Callable[[int], None]  # called with the number of entities read so far

# A count of aliases or addresses that falls by more than this share from one version to the
# next is worth a warning: a real daily update moves them by a few percent at most.
LOSS_WARNED = 0.10


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
    allow_older: bool = False,
    lock_wait: float = 0.0,
) -> LoadResult:
    """Load ``paths`` as a new version of ``list_id``; a failure is recorded for /v1/lists.

    Raises OlderPublication when the files were published before the version served, unless
    ``allow_older``. ``lock_wait``: how long to wait for another load's lock."""
    with store.lock(list_id, wait=lock_wait):
        try:
            return _load(store, list_id, fmt, [Path(p) for p in paths], progress, allow_older)
        except Exception as exc:
            store.record_error(list_id, failure_message(exc))
            raise


def _load(
    store: ListStore, list_id: str, fmt: str, paths: list[Path], progress: Progress | None, allow_older: bool
) -> LoadResult:
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
        published, published_from = publication(parsed, paths)
        warnings = _losses(served.counts, writer.stats.as_counts()) if served is not None else []
        older = _older_than_served(list_id, served, published, paths)
        if older and not allow_older:
            raise OlderPublication(older + "; nothing was switched (--allow-older loads it anyway)")
        if older:
            warnings.append(f"loaded with --allow-older: {older}")
        version = writer.commit(
            published.isoformat() if published else None,
            published_from=published_from,
            warnings=warnings,
            allowed_older=bool(older),
        )
        return LoadResult(list_id, False, version)
    except BaseException:
        writer.abort()
        raise


def publication(parsed: ParsedList, paths: Sequence[Path]) -> tuple[dt.date | None, str | None]:
    """When the files were published, and how that is known: the date printed in the file,
    else the one in the main file's (or its folder's) name, else the latest entry's date."""
    if parsed.published is not None and parsed.published_exact:
        return parsed.published, "file"
    named = sources.date_in_name(Path(paths[0])) if paths else None
    if named is not None:
        return named, "file name"
    if parsed.published is not None:
        return parsed.published, "latest entry"
    return None, None


def _older_than_served(
    list_id: str, served: ListVersion | None, published: dt.date | None, paths: Sequence[Path]
) -> str | None:
    """Why the files would take the list back in time, or None. Files of unknown date pass:
    only a known date can be older (and every format now tells one, from its content or name)."""
    if served is None or not served.published or published is None:
        return None
    served_on = dt.date.fromisoformat(served.published[:10])
    if published >= served_on:
        return None
    names = ", ".join(Path(p).name for p in paths)
    return (
        f"{list_id}: {names} was published {published}, before the version served"
        f" ({served.version}, published {served_on})"
    )


def _losses(before: Mapping[str, int], after: Mapping[str, int]) -> list[str]:
    """Warnings for the aliases and addresses the new version lacks against the previous one."""
    def aliases(counts: Mapping[str, int]) -> int:
        return max(counts.get("names", 0) - counts.get("entities", 0), 0)

    measures = {
        "aliases": (aliases(before), aliases(after)),
        "addresses": (before.get("addresses", 0), after.get("addresses", 0)),
    }
    out = []
    for what, (had, has) in measures.items():
        if had and has < had * (1 - LOSS_WARNED):
            out.append(
                f"{what} fell from {had:,} to {has:,} ({(has - had) / had:+.0%}) against the previous version:"
                " the new source lacks what the previous one had (e.g. a lone sdn.csv after a full CSV set)"
            )
    return out
