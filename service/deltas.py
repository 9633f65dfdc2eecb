"""What changed between two versions of a list: entities added, removed and changed.

Pure: no Redis here. ``service.store`` keeps a short digest of each entity's JSON per version
and calls :func:`diff` with readers over the two versions when a load commits a new version
of a list that had one. Counts are exact; the ids kept (with a name and kind each, so that an
analyst can read the record after the old version has expired) are capped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

KINDS = ("added", "removed", "changed")
BATCH = 1000

# (id, digest) pairs of a version, read in batches.
Digests = Iterable[tuple[str, str]]
# Digests (None: absent) of the given ids in a version.
Lookup = Callable[[Sequence[str]], list[str | None]]
# Which of the given ids a version holds.
Exists = Callable[[Sequence[str]], list[bool]]


def digest(entity_json: str | bytes) -> str:
    """The digest kept per entity, as 16 hex digits: equal JSON, equal digest (64 bits: a change
    missed needs a collision between an entity's two forms)."""
    data = entity_json.encode() if isinstance(entity_json, str) else entity_json
    return hashlib.blake2b(data, digest_size=8).hexdigest()


@dataclass
class Diff:
    """Exact counts; the first ``cap`` ids of each kind, in id order of what was kept."""

    cap: int
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    ids: dict[str, list[str]] = field(default_factory=lambda: {kind: [] for kind in KINDS})

    def add(self, kind: str, entity_id: str) -> None:
        self.counts[kind] += 1
        if len(self.ids[kind]) < self.cap:
            self.ids[kind].append(entity_id)

    @property
    def truncated(self) -> bool:
        return any(self.counts[kind] > len(self.ids[kind]) for kind in KINDS)


def _batches(pairs: Digests) -> Iterator[list[tuple[str, str]]]:
    items = iter(pairs)
    while batch := list(islice(items, BATCH)):
        yield batch


def diff(previous: Digests, new: Digests, in_new: Lookup, in_previous: Exists, *, cap: int) -> Diff:
    """Two passes, neither holding a whole version in memory: the previous version's entities
    looked up in the new one (removed, changed), then the new one's in the previous (added)."""
    out = Diff(cap)
    for batch in _batches(previous):
        for (entity_id, old), new_digest in zip(batch, in_new([entity_id for entity_id, _ in batch])):
            if new_digest is None:
                out.add("removed", entity_id)
            elif new_digest != old:
                out.add("changed", entity_id)
    for batch in _batches(new):
        ids = [entity_id for entity_id, _ in batch]
        for entity_id, known in zip(ids, in_previous(ids)):
            if not known:
                out.add("added", entity_id)
    for kind in KINDS:
        out.ids[kind].sort()
    return out


def summary(entity_id: str, entity: dict[str, Any] | None) -> dict[str, Any]:
    """How a delta names an entity: its id, first name and kind."""
    if entity is None:
        return {"id": entity_id, "name": None, "kind": None}
    names = entity.get("names") or [{}]
    return {"id": entity_id, "name": names[0].get("full"), "kind": entity.get("kind")}


def record(
    *,
    list_id: str,
    version: str,
    previous_version: str,
    loaded_at: float,
    found: Diff,
    entities: Callable[[str, list[str]], list[dict[str, Any] | None]],
) -> str:
    """The JSON kept for one new version. ``entities(version, ids)`` reads entities of a version."""
    body: dict[str, Any] = {
        "list_id": list_id,
        "version": version,
        "previous_version": previous_version,
        "loaded_at": loaded_at,
        "counts": found.counts,
        "truncated": found.truncated,
    }
    for kind in KINDS:
        ids = found.ids[kind]
        source = previous_version if kind == "removed" else version
        body[kind] = [summary(i, e) for i, e in zip(ids, entities(source, ids))] if ids else []
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)
