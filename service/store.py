"""The versioned list store. The only module that knows Redis keys.

Each load of a list writes a new *version* under keys of its own, all sharing one hash tag
(``{<list_id>/<version>}``), so that a version's multi-key operations stay in one Redis
Cluster slot. Readers find the version to read in one hash, ``scr:current``; a load
switches that pointer with a single HSET once the new version is complete, and only then
lets the old version expire after a grace period. A reader therefore never sees a mix of
two versions, and a load that fails or is killed half-way leaves the previous version
serving: its unfinished keys carry a TTL and vanish by themselves.

Layout (``scr`` is the prefix)::

    scr:{lists}:current          hash  list id → version being served
    scr:{lists}:checked          hash  list id → unix time the list was last confirmed current
    scr:{lists}:errors           hash  list id → JSON of the last failed load
    scr:{lists}:changes:<list id>  list  JSON of what each new version changed (entities added,
                                        removed, changed: ``service.deltas``), newest first, the
                                        last CHANGES_KEPT versions; pushed with the switch
    scr:history:<list id>        zset  versions ever started → start time (for clean-up)
    scr:lock:<list id>           string  held while a load of the list runs: a short lease that a
                                        thread of the load renews while the process lives
    scr:{<list id>/<version>}:meta      hash  version, files, checksum, published, counts …
    scr:{<list id>/<version>}:entities  hash  entity id → entity JSON
    scr:{<list id>/<version>}:links_in  hash  entity id → JSON list of links pointing at it
    scr:{<list id>/<version>}:network   hash  entity id → JSON: its derived links within the
                                        list (same address, same identifier) and what listed
                                        parties own of it (``service.network.ownership``)
    scr:{<list id>/<version>}:hashes    hash  entity id → 8-byte digest of its JSON, to tell the
                                        next version what changed without reading every entity
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import redis

from service import deltas
from service.errors import LoadError, Unavailable
from service.model import Entity, LinkType, to_dict
from service.network import keys as link_keys
from service.network.ownership import Stake, aggregate

log = logging.getLogger(__name__)

PREFIX = "scr"
# The three per-list hashes share a hash tag so that switching a list over (pointer, check
# time, error) is one transaction in one Redis Cluster slot.
CURRENT = f"{PREFIX}:{{lists}}:current"
CHECKED = f"{PREFIX}:{{lists}}:checked"
ERRORS = f"{PREFIX}:{{lists}}:errors"
CHANGES = PREFIX + ":{{lists}}:changes:{list_id}"
HISTORY = PREFIX + ":history:{list_id}"
LOCK = PREFIX + ":lock:{list_id}"
WRITE_PROBE = f"{PREFIX}:write-probe"  # written by readiness checks: does Redis take writes?
VERSION_KEY = PREFIX + ":{{{list_id}/{version}}}:{part}"
VERSION_PARTS = ("meta", "entities", "links_in", "network", "hashes")

# Keys of a load in progress live this long unless the load keeps going; a killed load's
# keys are gone an hour later.
LOADING_TTL = 3600
# A load holds its list's lock on a lease that a thread renews every third of it while the
# process lives; a killed load's lock frees itself within one lease. Short, so that the next
# load need not wait minutes; long enough to ride out a stalled Redis or a paused process.
LOCK_LEASE = 30
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
# The deltas kept per list, and the entity ids kept per kind (added, removed, changed) in each;
# the counts are always exact.
CHANGES_KEPT = 30
CHANGE_IDS = 500


# KEYS: meta, entities, links_in, network, hashes of one version.
# ARGV: entity count, published, loaded_at, counts, link counts.
_SEAL = """
if redis.call('exists', KEYS[1]) == 0 or redis.call('hlen', KEYS[2]) ~= tonumber(ARGV[1]) then
    return 0
end
for i = 1, #KEYS do redis.call('persist', KEYS[i]) end
redis.call('hset', KEYS[1], 'status', 'ready', 'published', ARGV[2], 'loaded_at', ARGV[3], 'counts', ARGV[4],
           'links', ARGV[5])
return 1
"""

# The switch. KEYS: current, checked, errors, changes (one slot: the {lists} tag).
# ARGV: list id, new version, now, the version the delta was computed from, the delta JSON ('' for
# none), how many deltas to keep. The delta is kept only if that version is the one replaced.
_SWITCH = """
local previous = redis.call('hget', KEYS[1], ARGV[1])
redis.call('hset', KEYS[1], ARGV[1], ARGV[2])
redis.call('hset', KEYS[2], ARGV[1], ARGV[3])
redis.call('hdel', KEYS[3], ARGV[1])
if ARGV[5] ~= '' and previous == ARGV[4] then
    redis.call('lpush', KEYS[4], ARGV[5])
    redis.call('ltrim', KEYS[4], 0, tonumber(ARGV[6]) - 1)
end
return previous
"""


def _text(value: Any) -> str:
    """A reply as text: the store's clients return bytes, a decode_responses client str."""
    return value.decode() if isinstance(value, bytes) else str(value)


def version_key(list_id: str, version: str, part: str) -> str:
    return VERSION_KEY.format(list_id=list_id, version=version, part=part)


def _is_ready(meta: Mapping[Any, Any]) -> bool:
    return bool(meta) and _text(meta.get(b"status", meta.get("status", ""))) == "ready"


def version_keys(list_id: str, version: str) -> list[str]:
    return [version_key(list_id, version, part) for part in VERSION_PARTS]


@dataclass(frozen=True)
class ListVersion:
    """What the store knows of one loaded version of a list."""

    list_id: str
    version: str
    format: str
    files: tuple[dict[str, Any], ...]  # name, sha256, bytes of each source file
    checksum: str
    published: str | None  # the date printed in the file, ISO
    loaded_at: float  # unix time the version went live
    counts: Mapping[str, int]
    checked_at: float | None = None  # unix time the list was last confirmed current
    # Links by type and by source: {"by_type": {"owned_by": 3, "same_address": 2 …},
    # "by_source": {"list": 5, "derived: same address": 2 …}, "blocked_by_extension": 1}
    links: Mapping[str, Any] = field(default_factory=dict)
    # Where ``published`` comes from: "file" (printed in it), "file name", or "latest entry"
    # (the file prints no date; its latest listing date is a lower bound).
    published_from: str | None = None
    warnings: tuple[str, ...] = ()  # what the load noticed: aliases or addresses lost, an older publication forced
    allowed_older: bool = False  # loaded with --allow-older over a newer publication

    @classmethod
    def from_meta(cls, meta: Mapping[Any, Any], checked_at: float | None) -> ListVersion:
        text = {_text(k): _text(v) for k, v in meta.items()}
        return cls(
            list_id=text["list_id"],
            version=text["version"],
            format=text["format"],
            files=tuple(json.loads(text["files"])),
            checksum=text["checksum"],
            published=text.get("published") or None,
            loaded_at=float(text["loaded_at"]),
            counts=json.loads(text["counts"]),
            checked_at=checked_at,
            links=json.loads(text.get("links") or "{}"),
            published_from=text.get("published_from") or None,
            warnings=tuple(json.loads(text.get("warnings") or "[]")),
            allowed_older=text.get("allowed_older") == "1",
        )


@dataclass(frozen=True)
class Serving:
    """What screening needs to know of the store, read in one round trip."""

    current: dict[str, str]  # list id → version being served
    checked: dict[str, float]  # list id → unix time last confirmed current
    intact: set[str]  # lists whose ``held`` version is still complete in Redis
    held: dict[str, str]  # the versions (list id → version) that ``intact`` is about


@dataclass
class LoadStats:
    entities: int = 0
    by_kind: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    names: int = 0
    addresses: int = 0
    identifiers: int = 0
    links: int = 0

    def add(self, entity: Entity) -> None:
        self.entities += 1
        self.by_kind[entity.kind.value] += 1
        self.names += len(entity.names)
        self.addresses += len(entity.addresses)
        self.identifiers += len(entity.identifiers)
        self.links += len(entity.links)

    def as_counts(self) -> dict[str, int]:
        return {
            "entities": self.entities,
            **{kind: n for kind, n in sorted(self.by_kind.items())},
            "names": self.names,
            "addresses": self.addresses,
            "identifiers": self.identifiers,
            "links": self.links,
        }


class VersionWriter:
    """Writes one new version of a list. Nothing is visible to readers until ``commit``."""

    BATCH = 1000

    def __init__(self, store: ListStore, list_id: str, version: str, meta: dict[Any, Any]):
        self.store = store
        self.list_id = list_id
        self.version = version
        self.stats = LoadStats()
        self._keys = {part: version_key(list_id, version, part) for part in VERSION_PARTS}
        self._seen: set[str] = set()
        self._links_in: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self._stakes: list[Stake] = []
        self._listed: set[str] = set()
        self._keys_of: list[tuple[str, tuple[str, ...]]] = []  # entity id → its derived-link keys
        self._link_types: dict[str, int] = defaultdict(int)
        self._pending: dict[Any, Any] = {}  # entity id → JSON, waiting for the next batch
        self._pending_digests: dict[Any, Any] = {}  # entity id → digest of that JSON
        r = store.redis
        pipe = r.pipeline(transaction=True)
        pipe.hset(self._keys["meta"], mapping={**meta, "status": "loading"})
        pipe.expire(self._keys["meta"], LOADING_TTL)
        pipe.execute()

    def add(self, entity: Entity) -> None:
        if entity.list_id != self.list_id:
            raise LoadError(f"entity {entity.id} belongs to {entity.list_id}, not {self.list_id}")
        if entity.id in self._seen:
            raise LoadError(f"{self.list_id}: entity id {entity.id} appears twice")
        self._seen.add(entity.id)
        self.stats.add(entity)
        record = to_dict(entity)
        if entity.listed:
            self._listed.add(entity.id)
        if keys := link_keys.link_keys(record):
            self._keys_of.append((entity.id, keys))
        for link in entity.links:
            self._link_types[link.type.value] += 1
            if link.type is LinkType.OWNED_BY and link.target:
                source = f"{self.list_id} {entity.reference}: {link.source or link.label or 'owned by'}"
                self._stakes.append(Stake(link.target, entity.id, link.share, source))
            if link.target:
                self._links_in[link.target].append(
                    {"source": entity.id, "type": link.type.value}
                    | ({"share": link.share} if link.share is not None else {})
                    | ({"label": link.label} if link.label else {})
                )
        text = json.dumps(record, separators=(",", ":"))
        self._pending[entity.id] = text
        self._pending_digests[entity.id] = deltas.digest(text)
        if len(self._pending) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        pipe = self.store.redis.pipeline(transaction=False)
        pipe.hset(self._keys["entities"], mapping=self._pending)
        pipe.expire(self._keys["entities"], LOADING_TTL)
        pipe.hset(self._keys["hashes"], mapping=self._pending_digests)
        pipe.expire(self._keys["hashes"], LOADING_TTL)
        pipe.expire(self._keys["meta"], LOADING_TTL)
        pipe.execute()
        self._pending = {}
        self._pending_digests = {}

    def commit(
        self,
        published: str | None,
        *,
        published_from: str | None = None,
        warnings: Iterable[str] = (),
        allowed_older: bool = False,
    ) -> ListVersion:
        """Make the version whole, then switch readers to it in one step."""
        self._flush()
        if self.stats.entities == 0:
            raise LoadError(f"{self.list_id}: the source holds no entities")
        r = self.store.redis
        notes: dict[Any, Any] = {
            "published_from": published_from or "",
            "warnings": json.dumps(list(warnings)),
            "allowed_older": "1" if allowed_older else "0",
        }
        r.hset(self._keys["meta"], mapping=notes)
        items = iter(self._links_in.items())
        while chunk := dict(islice(items, self.BATCH)):
            pipe = r.pipeline(transaction=False)
            pipe.hset(
                self._keys["links_in"],
                mapping={target: json.dumps(links, separators=(",", ":")) for target, links in chunk.items()},
            )
            pipe.expire(self._keys["links_in"], LOADING_TTL)
            pipe.execute()
        network, link_counts = self._network()
        records = iter(network.items())
        while part := dict(islice(records, self.BATCH)):
            pipe = r.pipeline(transaction=False)
            pipe.hset(
                self._keys["network"],
                mapping={entity: json.dumps(record, separators=(",", ":")) for entity, record in part.items()},
            )
            pipe.expire(self._keys["network"], LOADING_TTL)
            pipe.execute()
        now = time.time()
        # One slot, one script: the version becomes permanent and complete together, and only
        # if every entity written is still there (keys that expired or were flushed during a
        # long load must not be published as a list).
        sealed = r.eval(
            _SEAL,
            len(VERSION_PARTS),
            *self._keys.values(),
            self.stats.entities,
            published or "",
            repr(now),
            json.dumps(self.stats.as_counts()),
            json.dumps(link_counts),
        )
        if not sealed:
            raise LoadError(f"{self.list_id}: the new version's keys vanished during the load; nothing was switched")
        # What changed since the version served now (the lock keeps it the one replaced; the
        # switch keeps the delta only if it still is).
        served = r.hget(CURRENT, self.list_id)
        against = _text(served) if served is not None else ""
        delta = self._delta(against, now) if against and against != self.version else None
        # The switch: one HSET on one key, read with the previous value, the check time, the
        # error and the delta in one script on one slot.
        previous = r.eval(
            _SWITCH,
            4,
            CURRENT,
            CHECKED,
            ERRORS,
            CHANGES.format(list_id=self.list_id),
            self.list_id,
            self.version,
            repr(now),
            against,
            delta or "",
            CHANGES_KEPT,
        )
        if previous is not None and _text(previous) != self.version:
            self.store.retire(self.list_id, _text(previous))
        self.store.collect_garbage(self.list_id)
        version = self.store.version(self.list_id)
        assert version is not None
        return version

    def _delta(self, previous: str, loaded_at: float) -> str | None:
        """The JSON of what this version changed against ``previous``; None when that version
        is gone or the comparison fails (a load never fails for its delta: it is logged)."""
        store, list_id = self.store, self.list_id
        try:
            if not _is_ready(store.redis.hgetall(version_key(list_id, previous, "meta"))):
                return None
            if store.redis.exists(version_key(list_id, previous, "hashes")):
                in_previous = lambda ids: [d is not None for d in store.digests_of(list_id, previous, ids)]  # noqa: E731
            else:  # a version loaded before digests were kept
                in_previous = lambda ids: store.holds(list_id, previous, ids)  # noqa: E731
            found = deltas.diff(
                store.digests(list_id, previous),
                store.digests(list_id, self.version),
                lambda ids: store.digests_of(list_id, self.version, ids),
                in_previous,
                cap=CHANGE_IDS,
            )
            return deltas.record(
                list_id=list_id,
                version=self.version,
                previous_version=previous,
                loaded_at=loaded_at,
                found=found,
                entities=lambda version, ids: store.entities(list_id, version, ids),
            )
        except Exception:  # noqa: BLE001 - the new version is good; only its delta is missing
            log.exception("%s: could not compute the changes from %s to %s", list_id, previous, self.version)
            return None

    def _network(self) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
        """Per entity: its derived links inside this list and what listed parties own of it;
        and the version's links counted by type and by source."""
        network: dict[str, dict[str, Any]] = defaultdict(dict)
        by_type = dict(self._link_types)
        by_source: dict[str, int] = {"list": sum(by_type.values())} if by_type else {}
        pairs: dict[tuple[str, str, str], str] = {}  # (relation, entity, other) → provenance, first key wins
        for key, ids in link_keys.groups(self._keys_of).items():
            relation, source = link_keys.relation_of(key), link_keys.describe(key)
            for entity in ids:
                for other in ids:
                    if other != entity:
                        pairs.setdefault((relation, entity, other), source)
        for (relation, entity, other), source in pairs.items():
            network[entity].setdefault("derived", []).append({"type": relation, "target": other, "source": source})
            if entity < other:  # each pair once in the counts
                by_type[relation] = by_type.get(relation, 0) + 1
                label = source.partition(" (")[0]
                by_source[label] = by_source.get(label, 0) + 1
        ownership = aggregate(self._stakes, self._listed)
        for entity, owned in ownership.items():
            network[entity]["ownership"] = owned.as_dict()
        counts = {
            "by_type": dict(sorted(by_type.items())),
            "by_source": dict(sorted(by_source.items())),
            "blocked_by_extension": sum(1 for e, o in ownership.items() if o.blocked and e not in self._listed),
        }
        return network, counts

    def abort(self) -> None:
        """Drop what this writer wrote (best effort: the TTL removes it anyway)."""
        try:
            self.store.redis.delete(*self._keys.values())
        except redis.RedisError:
            pass


class ListStore:
    def __init__(self, client: redis.Redis, *, grace_seconds: int = 600, lock_lease: float = LOCK_LEASE) -> None:
        self.redis = client
        self.grace_seconds = grace_seconds
        self.lock_lease = lock_lease

    # --- writing ---------------------------------------------------------------------

    @contextmanager
    def lock(self, list_id: str, *, wait: float = 0.0) -> Iterator[None]:
        """Only one load of a list at a time; a second one fails rather than races.

        ``wait``: how long to wait for a lock held by another load (one lease outlasts a
        killed load's lock). While held, a daemon thread renews the lease every third of it;
        the lock dies with the process, not minutes after it."""
        key = LOCK.format(list_id=list_id)
        token = secrets.token_hex(8)
        lease_ms = max(int(self.lock_lease * 1000), 1)
        deadline = time.monotonic() + wait
        while not self.redis.set(key, token, nx=True, px=lease_ms):
            if time.monotonic() >= deadline:
                left = self.redis.pttl(key)
                within = f"; its lease ends in {left / 1000:.0f}s unless renewed" if left and left > 0 else ""
                raise LoadError(f"{list_id}: another load of this list is running{within}")
            time.sleep(min(0.2, max(deadline - time.monotonic(), 0.01)))
        stop = threading.Event()
        renewer = threading.Thread(
            target=self._renew, args=(key, token, lease_ms, stop), name=f"lock-lease {list_id}", daemon=True
        )
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join()
            # Release only our own lock, atomically.
            self.redis.eval(_RELEASE, 1, key, token)

    def _renew(self, key: str, token: str, lease_ms: int, stop: threading.Event) -> None:
        while not stop.wait(lease_ms / 3000):
            try:
                if not self.redis.eval(_RENEW, 1, key, token, lease_ms):
                    log.warning("%s: the load lost its lock (its lease ran out)", key)
                    return
            except redis.RedisError as exc:  # the load itself will meet the failure; keep trying
                log.warning("%s: could not renew the load's lease: %s", key, exc)

    def begin(self, list_id: str, *, fmt: str, files: list[dict[str, Any]], checksum: str) -> VersionWriter:
        version = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + checksum[:10]
        if self.redis.exists(version_key(list_id, version, "meta")):
            version += "-" + secrets.token_hex(3)
        self.redis.zadd(HISTORY.format(list_id=list_id), {version: time.time()})
        meta: dict[Any, Any] = {
            "list_id": list_id,
            "version": version,
            "format": fmt,
            "files": json.dumps(files),
            "checksum": checksum,
        }
        return VersionWriter(self, list_id, version, meta)

    def mark_checked(self, list_id: str, at: float | None = None) -> None:
        """Record that the list's source was checked and the served version is still current
        (``at``: when, by default now)."""
        pipe = self.redis.pipeline(transaction=True)
        pipe.hset(CHECKED, list_id, repr(time.time() if at is None else at))
        pipe.hdel(ERRORS, list_id)
        pipe.execute()

    def record_error(self, list_id: str, message: str) -> None:
        """Keep the last failure of a list for /v1/lists; best effort, since the failure
        may be Redis itself."""
        with suppress(redis.RedisError):
            self.redis.hset(ERRORS, list_id, json.dumps({"at": time.time(), "message": message}))

    def retire(self, list_id: str, version: str) -> None:
        """Let a replaced version expire once readers that started on it are done."""
        pipe = self.redis.pipeline(transaction=True)
        for key in version_keys(list_id, version):
            pipe.expire(key, self.grace_seconds)
        pipe.execute()

    def collect_garbage(self, list_id: str) -> None:
        """Expire versions that are neither current nor expiring (left by a killed load)."""
        history = HISTORY.format(list_id=list_id)
        current = self.redis.hget(CURRENT, list_id)
        for raw in self.redis.zrange(history, 0, -1):
            version = _text(raw)
            if current is not None and version == _text(current):
                continue
            keys = version_keys(list_id, version)
            ttls = [self.redis.ttl(key) for key in keys]
            if all(ttl == -2 for ttl in ttls):
                self.redis.zrem(history, version)
            elif any(ttl == -1 for ttl in ttls):
                self.retire(list_id, version)

    # --- reading ---------------------------------------------------------------------

    def ping(self) -> None:
        try:
            self.redis.ping()
        except redis.RedisError as exc:
            raise Unavailable(f"Redis is unreachable: {exc}") from exc

    def check_writable(self) -> None:
        """Raises Unavailable naming why Redis refuses a small write: every screening writes its
        audit record, so a Redis out of memory (``maxmemory`` under ``noeviction``) or read-only
        cannot serve screenings even while it answers reads."""
        try:
            self.redis.set(WRITE_PROBE, "1", px=60_000)
        except redis.exceptions.OutOfMemoryError as exc:
            raise Unavailable(f"Redis refuses writes: it is out of memory (maxmemory reached): {exc}") from exc
        except redis.exceptions.ReadOnlyError as exc:
            raise Unavailable(f"Redis refuses writes: it is a read-only replica: {exc}") from exc
        except redis.exceptions.ResponseError as exc:
            raise Unavailable(f"Redis refuses writes: {exc}") from exc
        except redis.RedisError as exc:
            raise Unavailable(f"Redis is unreachable: {exc}") from exc

    def current(self) -> dict[str, str]:
        """The version being served of every loaded list, read in one step."""
        return {_text(k): _text(v) for k, v in self.redis.hgetall(CURRENT).items()}

    def version(self, list_id: str, version: str | None = None) -> ListVersion | None:
        if version is None:
            raw = self.redis.hget(CURRENT, list_id)
            if raw is None:
                return None
            version = _text(raw)
        meta = self.redis.hgetall(version_key(list_id, version, "meta"))
        if not _is_ready(meta):
            return None
        checked = self.redis.hget(CHECKED, list_id)
        return ListVersion.from_meta(meta, float(checked) if checked else None)

    def versions(self) -> dict[str, ListVersion | None]:
        """Every list the store points at, with its served version's facts.

        A list whose pointer survives but whose version's keys are gone (evicted, or lost
        in a Redis restart) maps to None: it must not be served.
        """
        current = self.current()
        checked = {_text(k): float(v) for k, v in self.redis.hgetall(CHECKED).items()}
        pipe = self.redis.pipeline(transaction=False)
        for list_id, version in current.items():
            pipe.hgetall(version_key(list_id, version, "meta"))
        out: dict[str, ListVersion | None] = {}
        for (list_id, _), meta in zip(current.items(), pipe.execute()):
            out[list_id] = ListVersion.from_meta(meta, checked.get(list_id)) if _is_ready(meta) else None
        return out

    def serving(self, held: Mapping[str, str]) -> Serving:
        """The screening hot path's one round trip: every list's current version and last
        check time, and which of the versions a worker ``held`` (list id → version) are still
        complete in Redis."""
        pipe = self.redis.pipeline(transaction=False)
        self.queue_serving(pipe, held)
        return self.read_serving(held, pipe.execute())

    @staticmethod
    def queue_serving(pipe: Any, held: Mapping[str, str]) -> None:
        """Add the reads of ``serving`` to a pipeline (another module's round trip: the API
        key check makes it with its own, so that a screening costs one round trip, not two)."""
        pipe.hgetall(CURRENT)
        pipe.hgetall(CHECKED)
        for list_id, version in held.items():
            pipe.hget(version_key(list_id, version, "meta"), "status")

    @staticmethod
    def read_serving(held: Mapping[str, str], replies: list[Any]) -> Serving:
        """``serving``'s answer from the replies of ``queue_serving``'s commands."""
        current, checked, *statuses = replies
        intact = {list_id for list_id, status in zip(held, statuses) if status is not None and _text(status) == "ready"}
        return Serving(
            {_text(k): _text(v) for k, v in current.items()},
            {_text(k): float(v) for k, v in checked.items()},
            intact,
            dict(held),
        )

    def errors(self) -> dict[str, dict[str, Any]]:
        return {_text(k): json.loads(v) for k, v in self.redis.hgetall(ERRORS).items()}

    def entities(self, list_id: str, version: str, ids: Iterable[str]) -> list[dict[str, Any] | None]:
        ids = list(ids)
        if not ids:
            return []
        raw = self.redis.hmget(version_key(list_id, version, "entities"), ids)
        return [json.loads(r) if r is not None else None for r in raw]

    def network(self, list_id: str, version: str, entity_ids: Iterable[str] | None = None) -> dict[str, dict[str, Any]]:
        """Derived links and ownership of the given entities (of every entity that has any, by default)."""
        key = version_key(list_id, version, "network")
        if entity_ids is None:
            return {_text(k): json.loads(v) for k, v in self.redis.hgetall(key).items()}
        ids = list(entity_ids)
        raw = self.redis.hmget(key, ids) if ids else []
        return {entity: json.loads(r) for entity, r in zip(ids, raw) if r is not None}

    def links_in(self, list_id: str, version: str, entity_id: str) -> list[dict[str, Any]]:
        raw = self.redis.hget(version_key(list_id, version, "links_in"), entity_id)
        return json.loads(raw) if raw else []

    def iter_entities(self, list_id: str, version: str, count: int = 1000) -> Iterator[dict[str, Any]]:
        for _, raw in self.redis.hscan_iter(version_key(list_id, version, "entities"), count=count):
            yield json.loads(raw)

    # --- changes between versions ------------------------------------------------------

    def digests(self, list_id: str, version: str) -> Iterator[tuple[str, str]]:
        """(entity id, digest of its JSON) of every entity of a version; computed from the
        entities for a version loaded before digests were kept."""
        key = version_key(list_id, version, "hashes")
        if self.redis.exists(key):
            for entity_id, value in self.redis.hscan_iter(key, count=1000):
                yield _text(entity_id), _text(value)
            return
        for entity_id, raw in self.redis.hscan_iter(version_key(list_id, version, "entities"), count=1000):
            yield _text(entity_id), deltas.digest(raw)

    def digests_of(self, list_id: str, version: str, ids: Iterable[str]) -> list[str | None]:
        ids = list(ids)
        raw = self.redis.hmget(version_key(list_id, version, "hashes"), ids) if ids else []
        return [_text(value) if value is not None else None for value in raw]

    def holds(self, list_id: str, version: str, ids: Iterable[str]) -> list[bool]:
        """Which of ``ids`` the version has."""
        key = version_key(list_id, version, "entities")
        pipe = self.redis.pipeline(transaction=False)
        for entity_id in ids:
            pipe.hexists(key, entity_id)
        return [bool(found) for found in pipe.execute()]

    def changes(self, list_id: str) -> list[dict[str, Any]]:
        """What each of the list's last CHANGES_KEPT new versions changed, newest first."""
        return [json.loads(raw) for raw in self.redis.lrange(CHANGES.format(list_id=list_id), 0, -1)]
