"""Screening: counterparties in, explained hits out, from the list versions being served.

The flow of one request: read which version of each list is current (one Redis round trip,
which also tells whether each list is fresh enough to screen against), make sure this
worker holds the index of that version (with ``index_dir``: the machine's index file of the
version, ``service.index_file``, mapped, and built from Redis, the source of truth, by the
first process that needs it; without: built in this process's memory; either way swapped by
itself when a load switches versions),
select candidates, score them, keep the hits; then follow links from what was matched to
listed parties (``service.network.graph``): those are the linked hits, kept apart.

Fail closed: a list that is missing, stale, or whose version vanished from Redis makes the
whole screening a 503 naming the reason, never a silent "no match".
"""

from __future__ import annotations

import gc
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from pathlib import Path

from service import index_file
from service.catalog import Manifest
from service.errors import BadRequest, Unavailable
from service.matching import ssm2
from service.matching.algorithms import DEFAULT_ALGORITHM, scorer
from service.matching.index import IndexedEntity, ListIndex, Vocabulary
from service.matching.score import (
    DEFAULT_THRESHOLD,
    PreparedAddress,
    max_bonus,
    prepare_query,
)
from service.matching.types import Comparison, Feature, Hit, LinkedHit, PathStep, Query, ScreenResult
from service.network.graph import WEIGHTS, ListNetwork, Network, Node, Reached
from service.network.keys import SAME_ADDRESS, address_words, describe
from service.store import ListStore, Serving

log = logging.getLogger(__name__)

CANDIDATES = 40  # names per list and query that candidate selection considers
SCORED = 60  # entities scored per query, at most, across every list, best bound first
REVIEW_MARGIN = 0.10  # hits this far under the threshold are reported, with match false
# Scores are given to 4 decimal places and thresholds come from JSON, but both are floats
# underneath: 0.8 - 0.1 is 0.7000000000000001, and a candidate's bound of 0.666666… is
# under a floor of 0.6667 that its score, rounded, equals. Every comparison with a threshold
# or the reporting floor is made at the precision scores are given in: a score that shows as
# the threshold matches, one that shows as the floor is reported.
TOLERANCE = 0.00005  # half of the last decimal place given


def is_match(score: float, threshold: float) -> bool:
    return score >= threshold - TOLERANCE


def reporting_floor(threshold: float) -> float:
    """The lowest score reported (with match false, for review) under ``threshold``."""
    return threshold - REVIEW_MARGIN - TOLERANCE


Seed = tuple[Node, float, tuple[PathStep, ...], Node | None]  # see Network.reach


def _joined(indexes: dict[str, ListIndex]) -> Network:
    """One graph over the link graphs the indexes carry (every index the screener builds has one)."""
    lists = {}
    for list_id, index in indexes.items():
        if index.network is None:
            raise RuntimeError(f"the index of {list_id} holds no link graph")
        lists[list_id] = (index, index.network)
    return Network(lists)


# The matcher's word caches and the mapped index's record cache hold hundreds of thousands of
# long-lived objects, and every full collection walks them all: with the interpreter's
# thresholds (700, 10, 10) a worker paused 300–650 ms every few hundred distinct screenings
# (bench: 600 distinct synthetic names, max 316–643 ms; with these, 102–122 ms).
GC_THRESHOLDS = (50_000, 20, 100)


def tune_garbage_collection() -> None:
    """Collect young objects rarely and the oldest more rarely still, in a screening process."""
    gc.set_threshold(*GC_THRESHOLDS)


class Screener:
    def __init__(
        self,
        store: ListStore,
        manifests: dict[str, Manifest],
        enabled: Sequence[str],
        *,
        background: bool = False,
        index_dir: Path | None = None,
    ):
        """``background``: build a new version's index in a thread, and meanwhile keep
        screening against the version held (still complete in Redis for its grace period),
        or answer 503 while there is none, so no request waits minutes on a build.
        Otherwise the first request that needs an index builds it. ``index_dir``: where the
        machine's index files are (``service.index_file``; the processes of a machine share
        them); None: each index is built in this process's memory."""
        self.store = store
        self.manifests = manifests
        self.enabled = list(enabled)
        self.background = background
        self.index_dir = index_dir
        tune_garbage_collection()  # a process that screens holds large caches
        self._indexes: dict[str, ListIndex] = {}
        # Shared by the lists' indexes: a query word's near spellings are looked up once.
        self._vocabulary: Vocabulary = Vocabulary() if index_dir is None else index_file.SharedVocabulary()
        self._build_lock = threading.Lock()
        self._building: dict[str, str] = {}  # list id → version queued or being built
        self._queue: list[tuple[str, str]] = []  # (list id, version) waiting for the builder
        self._builder: threading.Thread | None = None
        self._cross_counts: tuple[tuple[tuple[str, str], ...], dict[str, int]] | None = None
        self._list_locks: dict[str, threading.Lock] = {}  # one build of a list at a time

    # --- public -----------------------------------------------------------------------

    def screen(self, query: Query, serving: Serving | None = None) -> ScreenResult:
        return self.screen_many([query], serving)[0]

    def screen_many(self, queries: Sequence[Query], serving: Serving | None = None) -> list[ScreenResult]:
        """``serving``: the store's state, when the caller read it already (see ``held``)."""
        wanted: list[str] = []
        for query in queries:
            for list_id in self._lists_of(query):
                if list_id not in wanted:
                    wanted.append(list_id)
        indexes = self.indexes(wanted, serving)
        return [self._screen(query, indexes) for query in queries]

    def indexes(self, list_ids: Sequence[str], serving: Serving | None = None) -> dict[str, ListIndex]:
        """The index of the current version of each list, or Unavailable with every reason.
        ``serving`` is used when it speaks of the versions this worker holds now."""
        held = {list_id: self._indexes[list_id].version for list_id in list_ids if list_id in self._indexes}
        if serving is None or any(serving.held.get(list_id) != version for list_id, version in held.items()):
            serving = self.store.serving(held)  # not read yet, or an index was replaced since
        current, checked, intact = serving.current, serving.checked, serving.intact
        now = time.time()
        problems = []
        out = {}
        for list_id in list_ids:
            version = current.get(list_id)
            if version is None:
                problems.append(f"list {list_id} is not loaded")
                continue
            max_age = self.manifests[list_id].max_age.total_seconds()
            age = now - checked.get(list_id, 0.0)
            if age > max_age:
                problems.append(
                    f"list {list_id} is stale: last confirmed current {int(age)}s ago, more than its maximum of"
                    f" {int(max_age)}s"
                )
                continue
            index = self._indexes.get(list_id)
            if index is not None and index.version == version:
                if list_id not in intact:
                    problems.append(f"list {list_id} version {version} is missing from Redis")
                    continue
            elif not self.background:
                index = self._build(list_id, version)
            else:
                self._build_in_background(list_id, version)
                if index is None or list_id not in intact:
                    problems.append(f"list {list_id}: this worker is still building its index of version {version}")
                    continue
                # The previous version, complete in Redis for its grace period, serves meanwhile.
            out[list_id] = index
        if problems:
            raise Unavailable("cannot screen: " + "; ".join(problems), details={"reasons": problems})
        return out

    def network(self, list_ids: Sequence[str] | None = None) -> Network:
        """The link graph over the current versions of these lists (every enabled list by
        default), or Unavailable, as for screening."""
        indexes = self.indexes(self.enabled if list_ids is None else list_ids)
        return _joined(indexes)

    def links_across_lists(self) -> dict[str, int] | None:
        """Derived links between the lists this worker holds, counted once per set of
        versions; None until it holds every enabled list."""
        held = {list_id: self._indexes[list_id] for list_id in self.enabled if list_id in self._indexes}
        if len(held) < len(self.enabled):
            return None
        versions = tuple(sorted((list_id, index.version) for list_id, index in held.items()))
        cached = self._cross_counts
        if cached is None or cached[0] != versions:
            cached = self._cross_counts = (versions, _joined(held).links_across_lists())
        return cached[1]

    def warm(self) -> None:
        """Open the machine's index files of the current versions, and (background mode)
        start building those not built yet, so that the first requests find them ready;
        problems are left for the requests to report."""
        if not self.background and self.index_dir is None:
            return
        try:
            current = self.store.current()
        except Exception as exc:  # Redis down at start: requests will say so
            log.warning("cannot warm the screening index: %s", exc)
            return
        for list_id in self.enabled:
            if list_id in current and not self._open_built(list_id, current[list_id]) and self.background:
                self._build_in_background(list_id, current[list_id])

    def _open_built(self, list_id: str, version: str) -> bool:
        """Open the machine's index file of this version now, if one is built: a new
        worker serves from its first request, with no 503 while it would build."""
        if self.index_dir is None or not index_file.path_of(self.index_dir, list_id, version).exists():
            return False
        try:
            self._build(list_id, version)
        except Exception as exc:  # damaged, or Redis down: the builder thread tries again
            log.warning("cannot open the index file of %s version %s: %s", list_id, version, exc)
            return False
        return True

    def index_problems(self, versions: dict[str, str]) -> list[str]:
        """For readiness: the lists (id → current version) this worker cannot screen
        against yet because it holds no index of them; starts building those."""
        problems = []
        for list_id, version in versions.items():
            if list_id in self._indexes:
                continue  # the current version, or the previous one while the new one builds
            if self.background:
                self._build_in_background(list_id, version)
            problems.append(f"list {list_id}: this worker is still building its index of version {version}")
        return problems if self.background else []

    def building(self) -> dict[str, str]:
        """List id → version whose index this worker is building."""
        return dict(self._building)

    def held(self) -> dict[str, str]:
        """List id → version whose index this worker holds."""
        # list() copies in one step: a build in another thread may add a list meanwhile.
        return {list_id: index.version for list_id, index in list(self._indexes.items())}

    # --- internals --------------------------------------------------------------------

    def _build_in_background(self, list_id: str, version: str) -> None:
        """Queue a build for this worker's one builder thread. One at a time: builds share
        the GIL anyway, and eight at once starved the requests (a /readyz took seconds)."""
        with self._build_lock:
            if self._building.get(list_id) == version:
                return
            self._building[list_id] = version
            self._queue.append((list_id, version))
            if self._builder is None:
                self._builder = threading.Thread(target=self._run_builds, name="index-builder", daemon=True)
                self._builder.start()

    def _run_builds(self) -> None:
        while True:
            with self._build_lock:
                if not self._queue:
                    self._builder = None
                    return
                list_id, version = self._queue.pop(0)
                if self._building.get(list_id) != version:
                    continue  # a newer version of the list was queued since
            started = time.perf_counter()
            try:
                index = self._build(list_id, version)
                log.info(
                    "index of %s version %s built: %d entities in %.1fs",
                    list_id,
                    version,
                    len(index),
                    time.perf_counter() - started,
                )
            except Exception:
                log.exception("building the index of %s version %s failed", list_id, version)
            finally:
                with self._build_lock:
                    if self._building.get(list_id) == version:
                        del self._building[list_id]

    def _list_lock(self, list_id: str) -> threading.Lock:
        with self._build_lock:
            return self._list_locks.setdefault(list_id, threading.Lock())

    def _lists_of(self, query: Query) -> list[str]:
        if not query.lists:
            return self.enabled
        unknown = [list_id for list_id in query.lists if list_id not in self.manifests]
        if unknown:
            raise BadRequest(f"unknown list ids: {', '.join(unknown)}", details={"fields": {"lists": unknown}})
        return list(dict.fromkeys(query.lists))

    def _build(self, list_id: str, version: str) -> ListIndex:
        with self._list_lock(list_id):
            index = self._indexes.get(list_id)
            if index is not None and index.version == version:
                return index
            meta = self.store.version(list_id, version)
            if meta is None:
                raise Unavailable(f"cannot screen: list {list_id} version {version} is missing from Redis")
            if isinstance(self._vocabulary, index_file.SharedVocabulary):
                assert self.index_dir is not None
                mapped = index_file.open_or_build(self.store, self.index_dir, list_id, version)
                self._vocabulary.attach(list_id, mapped)
                index = index_file.mapped_index(mapped, list_id, version, self._vocabulary)
            else:
                network = ListNetwork(list_id)
                entities = network.collect(self.store.iter_entities(list_id, version))
                index = ListIndex(list_id, version, entities, self._vocabulary)
                network.finish(self.store.network(list_id, version))
                index.network = network
            expected = meta.counts.get("entities")
            if expected is not None and len(index) != expected:
                raise Unavailable(
                    f"cannot screen: list {list_id} version {version} read back {len(index)} of {expected} entities"
                )
            self._indexes[list_id] = index
            # Millions of long-lived index objects would make every full garbage collection
            # walk them all (seconds, at a million entities): move them out of its sight.
            # They are still freed by reference counting when the index is replaced. (A
            # mapped index makes few objects, its link graph included.)
            gc.collect()
            gc.freeze()
            return index

    def _screen(self, query: Query, indexes: dict[str, ListIndex]) -> ScreenResult:
        pq = prepare_query(query)
        if pq.name is None and pq.address is None and not pq.identifiers:
            problem = "a name, an address or an identifier is needed (a name of only punctuation is none)"
            raise BadRequest(problem, details={"fields": {"name": [problem]}})
        threshold = DEFAULT_THRESHOLD if query.threshold is None else query.threshold
        floor = reporting_floor(threshold)
        algorithm = query.algorithm or DEFAULT_ALGORITHM
        try:
            score = scorer(algorithm)
        except ValueError as error:
            raise BadRequest(str(error), details={"fields": {"algorithm": [str(error)]}}) from None
        lists = self._lists_of(query)
        # Selection bounds each name's score by the algorithm's costs: ssm-2 reads the query's
        # words its own way, and query words around a listed organisation's whole name cost less.
        search, leftover = pq.name, 1.0
        if algorithm == ssm2.ALGORITHM:
            search, leftover = ssm2.search_name(pq), ssm2.W.query_around_listed
        hits: list[Hit] = []
        scored = 0
        work: list[tuple[float, float, str, int]] = []  # (bound, rarity, list, entity number)
        bonus = max_bonus(pq)
        for list_id in lists:
            index = indexes[list_id]
            if search is not None:
                # Qualifiers the query states can add at most bonus: a name that cannot
                # reach the reporting floor even so is not worth scoring.
                for candidate in index.name_candidates(search, CANDIDATES, floor - bonus, leftover):
                    if candidate.bound + bonus >= floor:
                        work.append((candidate.bound, candidate.weight, list_id, candidate.entity))
            if pq.address is not None and pq.name is None:
                for number in index.address_candidates(pq.address, CANDIDATES):
                    work.append((1.0, 0.0, list_id, number))
            if pq.identifiers:
                for number in index.identifier_candidates(key for key, _ in pq.identifiers):
                    work.append((2.0, 0.0, list_id, number))
        work.sort(key=lambda item: (-item[0], -item[1]))
        seen: set[tuple[str, int]] = set()
        matched: dict[Node, Comparison] = {}  # entities the list carries only as linked, matched
        for _, _, list_id, number in work[:SCORED]:
            if (list_id, number) in seen:
                continue
            seen.add((list_id, number))
            index = indexes[list_id]
            entity = index.entities[number]
            # Every name of a candidate is scored, not only those selection found: the
            # best may be one it does not reach (an original-script name for a Latin query).
            result = score(pq, entity.record, floor)
            scored += 1
            if result.score < floor or result.score <= 0:
                continue
            if not entity.listed:
                matched[(list_id, number)] = result
                continue
            hits.append(
                Hit(
                    entity_id=entity.id,
                    list_id=list_id,
                    reference=entity.reference,
                    kind=entity.kind,
                    listed_name=entity.name,
                    matched_name=result.matched_name,
                    score=result.score,
                    match=is_match(result.score, threshold),
                    features=result.features,
                    programs=entity.programs,
                )
            )
        linked: list[LinkedHit] = []
        if query.network_depth > 0:
            network = _joined({list_id: indexes[list_id] for list_id in lists})
            linked = self._linked(network, pq.address, query, matched, hits, threshold)
        hits.sort(key=lambda hit: (-hit.score, hit.entity_id))
        return ScreenResult(
            screening_id=uuid.uuid4().hex,
            algorithm=algorithm,
            threshold=threshold,
            lists={list_id: indexes[list_id].version for list_id in lists},
            hits=tuple(hits[: query.limit]),
            candidates=scored,
            linked_hits=tuple(linked[: query.limit]),
        )

    def _linked(
        self,
        network: Network,
        pq_address: PreparedAddress | None,
        query: Query,
        matched: dict[Node, Comparison],
        hits: list[Hit],
        threshold: float,
    ) -> list[LinkedHit]:
        """Listed parties reached through links: from the entities matched that the lists
        carry only as linked, and from every entity at the counterparty's own address."""
        direct = {hit.entity_id for hit in hits}
        floor = reporting_floor(threshold)
        # Each entity matched is walked from on its own, so that every one of them shows
        # (an unlisted importer at a listed maker's address shows, though the maker is a
        # direct hit); what the counterparty's address reaches is walked from together.
        walks: list[list[Seed]] = [
            [(node, result.score, (), node)] for node, result in matched.items()
        ]
        if pq_address is not None and (words := address_words(pq_address.full)) is not None:
            at_address = WEIGHTS[SAME_ADDRESS]
            who = query.name or "the counterparty"
            seeds: list[Seed] = []
            for node, key in network.at_address(words):
                entity = network.entity(node)
                if entity.id in direct or node in matched:
                    continue
                step = PathStep(None, who, SAME_ADDRESS, entity.id, entity.name, None, describe(key))
                seeds.append((node, at_address, (step,), None))
            walks.append(seeds)
        out: list[LinkedHit] = []
        reached_from_matches: set[str] = set()
        for seeds in walks:
            for reached in network.reach(seeds, floor, query.network_depth):
                party = network.entity(reached.node)
                if reached.seed is None and (party.id in direct or party.id in reached_from_matches):
                    continue  # the counterparty's address reached what its name already did
                if reached.seed is not None:
                    reached_from_matches.add(party.id)
                out.append(self._linked_hit(network, reached, party, matched, pq_address, threshold))
        out.sort(key=lambda hit: (-hit.score, hit.entity_id))
        return out

    @staticmethod
    def _linked_hit(
        network: Network,
        reached: Reached,
        party: IndexedEntity,
        matched: dict[Node, Comparison],
        address: PreparedAddress | None,
        threshold: float,
    ) -> LinkedHit:
        seed = network.entity(reached.seed) if reached.seed is not None else None
        comparison = matched.get(reached.seed) if reached.seed is not None else None
        if comparison is not None:
            match_score, features, matched_name = comparison.score, comparison.features, comparison.matched_name
        else:  # the counterparty's own address: an exact match of its normalised words
            match_score, matched_name = 1.0, None
            line = address.full if address is not None else ""
            features = (Feature("address", 1.0, f"query {line!r}: {reached.path[0].source}"),)
        ownership = network.ownership(reached.seed) if reached.seed is not None else None
        blocked = bool(
            ownership is not None
            and ownership.blocked
            and any(chain[-1].owner == party.id for chain in ownership.chains)
        )
        return LinkedHit(
            entity_id=party.id,
            list_id=reached.node[0],
            reference=party.reference,
            kind=party.kind,
            listed_name=party.name,
            programs=party.programs,
            score=reached.score,
            match=is_match(reached.score, threshold),
            relation=reached.path[0].relation,
            distance=len(reached.path),
            path=reached.path,
            explanation=network.explain(reached.path),
            matched_entity_id=seed.id if seed is not None else None,
            matched_name=matched_name,
            match_score=match_score,
            features=features,
            blocked_by_extension=blocked,
            ownership_share=ownership.share if ownership is not None else None,
        )
