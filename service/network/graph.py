"""The link graph a worker screens through.

Built beside each list version's name index, from the same entity records: the links the
list gives (both ways: "A owned_by B" is also "B owns A"), the keys that derive links
(``keys``), and the ownership the load computed (``ownership``). ``Network`` joins the
list versions a screening uses, so a derived link crosses lists: an OpenSanctions company
and an OFAC-listed one at the same address are linked.

Screening walks it best-first from what the counterparty matched: every link multiplies
the score by its weight (weaker types weigh less, so a score falls with each link), a path
stops at the first listed party and at ``depth`` links, and is dropped once its score falls
under the reporting floor, so the walk stays small.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from service.matching.index import IndexedEntity, ListIndex
from service.matching.types import PathStep
from service.model import INVERSE_LINK, LinkType
from service.network.keys import MAX_GROUP, describe, link_keys, relation_of
from service.network.ownership import BLOCKING_SHARE, Ownership

# Relations read from the other end; the network endpoint shows each link once, from the
# entity that holds it ("A owned_by B", not also "B owns A").
_FLIPPED = {"owns": "owned_by", "directed_by": "director_of"}
_SYMMETRIC = frozenset({"family_of", "associate_of", "linked_to", "same_address", "same_identifier"})

# What one link is worth: a hit through it scores the match score times this.
WEIGHTS = {
    "owned_by": 0.95,  # owned or controlled by, share not given
    "owned_by_majority": 1.0,  # ≥ 50%, or part of the stakes that block it by extension
    "owned_by_minority": 0.80,  # a known share under 50%
    "directed_by": 0.90,
    "director_of": 0.85,
    "owns": 0.75,
    "family_of": 0.80,
    "associate_of": 0.75,
    "linked_to": 0.75,
    "same_identifier": 0.95,
    "same_address": 0.85,
}

WORDS = {
    "owned_by": "owned by",
    "owns": "owns",
    "director_of": "director of",
    "directed_by": "directed by",
    "family_of": "family member of",
    "associate_of": "associate of",
    "linked_to": "linked to",
    "same_address": "same address as",
    "same_identifier": "same identifier as",
}


@dataclass(frozen=True, slots=True)
class Edge:
    list_id: str
    target: int  # entity number in that list's index
    relation: str
    share: float | None
    label: str | None
    source: str


Node = tuple[str, int]  # (list id, entity number)


@dataclass(frozen=True, slots=True)
class GraphLink:
    """A link between two entities of a ``Network``, read "holder relation target"."""

    holder: Node
    target: Node
    relation: str
    share: float | None
    label: str | None
    source: str


class ListNetwork:
    """The links of one list version, by entity number in its ``ListIndex``."""

    def __init__(self, list_id: str) -> None:
        self.list_id = list_id
        self.edges: dict[int, list[Edge]] = {}
        self.keys: dict[str, list[int]] = {}  # derived-link key → entity numbers
        self.keys_of: dict[int, tuple[str, ...]] = {}
        self.ownership: dict[int, Ownership] = {}
        self.numbers: dict[str, int] = {}  # entity id → number, for entities with any link
        # Address keys as word sets, and two ways to find them from a counterparty's address
        # (see Network.at_address): under each of their words, and under their rarest word.
        self.address_words: dict[str, frozenset[str]] = {}
        self.by_word: dict[str, list[str]] = {}
        self.by_rarest_word: dict[str, list[str]] = {}
        self._count = 0
        self._ids: dict[str, int] = {}
        self._links: list[tuple[int, dict[str, Any]]] = []

    def collect(self, entities: Iterable[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
        """Pass the records through to the index builder, noting their links and keys; the
        index numbers entities in this same order."""
        for entity in entities:
            number = self._count
            self._count += 1
            self._ids[entity["id"]] = number
            self._links.extend((number, link) for link in entity.get("links", ()) if link.get("target"))
            if keys := link_keys(entity):
                self.keys_of[number] = keys
                for key in keys:
                    self.keys.setdefault(key, []).append(number)
            yield entity

    def finish(self, stored: Mapping[str, Mapping[str, Any]]) -> None:
        """Resolve the links to entity numbers; ``stored``: the version's network records
        (``ListStore.network``), whose ownership the load computed."""
        for number, link in self._links:
            target = self._ids.get(link["target"])
            if target is None or target == number:
                continue
            source = f"{self.list_id}: {link.get('source') or link.get('label') or 'link given by the list'}"
            kind = LinkType(link["type"])
            share, label = link.get("share"), link.get("label")
            inverse = INVERSE_LINK[kind]
            self.edges.setdefault(number, []).append(Edge(self.list_id, target, kind.value, share, label, source))
            self.edges.setdefault(target, []).append(Edge(self.list_id, number, inverse, share, label, source))
        for entity_id, record in stored.items():
            owned = self._ids.get(entity_id)
            if owned is not None and "ownership" in record:
                self.ownership[owned] = Ownership.from_dict(entity_id, record["ownership"])
        self._index_addresses()
        self.numbers = {
            entity_id: number
            for entity_id, number in self._ids.items()
            if number in self.edges or number in self.keys_of or number in self.ownership
        }
        del self._ids, self._links

    def __len__(self) -> int:
        return self._count

    def _index_addresses(self) -> None:
        self.address_words = {key: frozenset(key[2:].split()) for key in self.keys if key.startswith("a:")}
        frequency: dict[str, int] = {}
        for words in self.address_words.values():
            for word in words:
                frequency[word] = frequency.get(word, 0) + 1
        for key, words in self.address_words.items():
            for word in words:
                self.by_word.setdefault(word, []).append(key)
            rarest = min(words, key=lambda w: (frequency[w], w))
            self.by_rarest_word.setdefault(rarest, []).append(key)

    def same_building(self, words: frozenset[str]) -> Iterator[str]:
        """Address keys of this list in the building a counterparty's address ``words``
        name: keys holding all of them (found under the query's rarest word), and keys all
        of whose words it holds (found under their own rarest word, which it must hold)."""
        postings = [self.by_word.get(word, ()) for word in words]
        found = set(min(postings, key=len)) if postings else set()
        for word in words:
            found.update(self.by_rarest_word.get(word, ()))
        for key in found:
            listed = self.address_words[key]
            if words <= listed or listed <= words:
                yield key


def weight(edge: Edge, holder: Ownership | None, owners_of_chains: set[str], target_id: str) -> float:
    """What ``edge`` is worth, leaving an entity whose ownership is ``holder``."""
    if edge.relation == LinkType.OWNED_BY.value:
        if holder is not None and holder.blocked and target_id in owners_of_chains:
            return WEIGHTS["owned_by_majority"]
        if edge.share is None:
            return WEIGHTS["owned_by"]
        return WEIGHTS["owned_by_majority" if edge.share >= BLOCKING_SHARE else "owned_by_minority"]
    return WEIGHTS[edge.relation]


@dataclass(frozen=True)
class Reached:
    """A listed party reached from a seed, by its best path."""

    node: Node
    seed: Node | None  # the entity the counterparty matched; None: its own address did
    score: float
    path: tuple[PathStep, ...]


class Network:
    """The graph over the list versions of one screening."""

    def __init__(self, lists: Mapping[str, tuple[ListIndex, ListNetwork]]) -> None:
        self.lists = lists

    def entity(self, node: Node) -> IndexedEntity:
        return self.lists[node[0]][0].entities[node[1]]

    def ownership(self, node: Node) -> Ownership | None:
        return self.lists[node[0]][1].ownership.get(node[1])

    def find(self, entity_id: str) -> Node | None:
        list_id = entity_id.partition(":")[0]
        held = self.lists.get(list_id)
        if held is None or (number := held[1].numbers.get(entity_id)) is None:
            return None
        return (list_id, number)

    def sharing(self, key: str) -> list[Node]:
        """Every entity holding ``key``, across lists; none when a crowd holds it."""
        members = [(list_id, n) for list_id, (_, net) in self.lists.items() for n in net.keys.get(key, ())]
        return members if len(members) <= MAX_GROUP else []

    def at_address(self, words: frozenset[str]) -> Iterator[tuple[Node, str]]:
        """Entities with an address in the same building as a counterparty's (``words``:
        ``keys.address_words`` of it), each with that address's key, none when a crowd is."""
        found = [
            ((list_id, number), key)
            for list_id, (_, net) in self.lists.items()
            for key in net.same_building(words)
            for number in net.keys[key]
        ]
        if len(found) <= MAX_GROUP:
            yield from found

    def links_across_lists(self) -> dict[str, int]:
        """Derived links between entities of different lists, by type (pairs, each once)."""
        counts = {"same_address": 0, "same_identifier": 0}
        ids = sorted(self.lists)
        for i, list_id in enumerate(ids):
            for key, numbers in self.lists[list_id][1].keys.items():
                others = [len(self.lists[other][1].keys.get(key, ())) for other in ids[i + 1 :]]
                if not any(others) or len(numbers) + sum(others) > MAX_GROUP:
                    continue
                counts[relation_of(key)] += len(numbers) * sum(others)
        return counts

    def edges(self, node: Node) -> Iterator[Edge]:
        """Every link of an entity: those the lists give, then those derived across lists."""
        list_id, number = node
        net = self.lists[list_id][1]
        yield from net.edges.get(number, ())
        for key in net.keys_of.get(number, ()):
            relation, source = relation_of(key), describe(key)
            for other in self.sharing(key):
                if other != node:
                    yield Edge(other[0], other[1], relation, None, None, source)

    def neighbourhood(self, root: Node, depth: int, max_nodes: int) -> tuple[dict[Node, int], list[GraphLink], bool]:
        """Everything within ``depth`` links of ``root``, breadth first: each entity with
        its distance, each link once, and whether ``max_nodes`` cut it short."""
        distance = {root: 0}
        frontier = [root]
        edges: dict[tuple[Node, Node, str, str], GraphLink] = {}
        truncated = False
        for level in range(1, depth + 1):
            following: list[Node] = []
            for node in frontier:
                for edge in self.edges(node):
                    other = (edge.list_id, edge.target)
                    if other not in distance:
                        if len(distance) >= max_nodes:
                            truncated = True
                            continue
                        distance[other] = level
                        following.append(other)
                    link = self._canonical(node, other, edge)
                    edges.setdefault((link.holder, link.target, link.relation, link.source), link)
            frontier = following
        return distance, list(edges.values()), truncated

    @staticmethod
    def _canonical(node: Node, other: Node, edge: Edge) -> GraphLink:
        if edge.relation in _FLIPPED:
            return GraphLink(other, node, _FLIPPED[edge.relation], edge.share, edge.label, edge.source)
        if edge.relation in _SYMMETRIC and other < node:
            return GraphLink(other, node, edge.relation, edge.share, edge.label, edge.source)
        return GraphLink(node, other, edge.relation, edge.share, edge.label, edge.source)

    def describe(self, entity_id: str | None, name: str) -> str:
        if entity_id is None:
            return "the counterparty" if name == "the counterparty" else f"the counterparty '{name}'"
        node = self.find(entity_id)
        unlisted = node is not None and not self.entity(node).listed
        return f"'{name}' ({entity_id.partition(':')[0]}{', not listed' if unlisted else ''})"

    def explain(self, path: tuple[PathStep, ...]) -> str:
        """A path in words: "'A' (opensanctions, not listed) — owned 75% by — 'B' (opensanctions)"."""
        parts = [self.describe(path[0].from_id, path[0].from_name)]
        for step in path:
            words = WORDS.get(step.relation, step.relation)
            if step.share is not None and step.relation == "owned_by":
                words = f"owned {step.share:g}% by"
            elif step.share is not None and step.relation == "owns":
                words = f"owns {step.share:g}% of"
            parts.append(f"— {words} — {self.describe(step.to_id, step.to_name)}")
        return " ".join(parts)

    def step(self, node: Node, edge: Edge) -> PathStep:
        source, target = self.entity(node), self.entity((edge.list_id, edge.target))
        return PathStep(source.id, source.name, edge.relation, target.id, target.name, edge.share, edge.source)

    def reach(
        self, seeds: Iterable[tuple[Node, float, tuple[PathStep, ...], Node | None]], floor: float, depth: int
    ) -> list[Reached]:
        """Listed parties reachable from the seeds — (entity, score, path so far, matched
        entity) — within ``depth`` links, each by its best-scoring path at or over ``floor``."""
        heap: list[tuple[float, int, Node, tuple[PathStep, ...], Node | None]] = []
        order = itertools.count()
        best: dict[Node, float] = {}
        for node, score, path, seed in seeds:
            if score > best.get(node, 0.0):
                best[node] = score
                heapq.heappush(heap, (-score, next(order), node, path, seed))
        found: dict[Node, Reached] = {}
        while heap:
            negative, _, node, path, seed = heapq.heappop(heap)
            score = -negative
            if score < best.get(node, 0.0):
                continue  # a better path to it was found after this one was queued
            if path and self.entity(node).listed:
                found.setdefault(node, Reached(node, seed, score, path))
                continue  # a listed party ends the path: what lies beyond is its own network
            if len(path) >= depth:
                continue
            holder = self.ownership(node)
            chain_owners = {chain[0].owner for chain in holder.chains} if holder else set()
            for edge in self.edges(node):
                target = (edge.list_id, edge.target)
                if any(step.from_id == self.entity(target).id for step in path):
                    continue
                reached = score * weight(edge, holder, chain_owners, self.entity(target).id)
                if reached < floor or reached <= best.get(target, 0.0):
                    continue
                best[target] = reached
                heapq.heappush(heap, (-reached, next(order), target, (*path, self.step(node, edge)), seed))
        return sorted(found.values(), key=lambda r: -r.score)
